"""Writes of products: one path for the admin, imports and commands."""
from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.models import Product
from catalog.services.translations import translation_stamps_record, translation_texts_stored
from catalog.translation import PRODUCT_TRANSLATED_FIELDS


class StaleProductError(ValidationError):
    """The product was saved by someone else since the editor loaded it."""


def product_stale_message(*, product_id: int) -> str:
    last = Product.history.filter(id=product_id).select_related("history_user").first()
    who = getattr(last.history_user, "username", None) if last else None
    when = last.history_date.strftime("%Y-%m-%d %H:%M UTC") if last else "recently"
    by = f" by {who}" if who else ""
    return (
        f"This product was changed{by} at {when}, after you opened it. Your changes were not "
        "saved, so nothing was overwritten: reload the page to see the current version and "
        "apply your changes again."
    )


def product_version_check(*, product_id: int, expected_version: int | None) -> None:
    """Lock the row for the rest of the transaction and refuse a save made from an old copy."""
    current = (
        Product.objects.select_for_update()
        .filter(pk=product_id)
        .values_list("version", flat=True)
        .first()
    )
    if expected_version is None or current != expected_version:
        raise StaleProductError(product_stale_message(product_id=product_id), code="stale")


@transaction.atomic
def product_save(*, product: Product, expected_version: int | None = None, user=None) -> Product:
    """Create or update a product. An update must name the version it was edited from.

    Translations written by the save are stamped, and the product's completeness is
    recomputed once the transaction commits.
    """
    before = None
    if product.pk:
        product_version_check(product_id=product.pk, expected_version=expected_version)
        product.version = expected_version + 1
        before = translation_texts_stored(Product, product.pk, PRODUCT_TRANSLATED_FIELDS)
    product.save()
    translation_stamps_record(product=product, before=before, user=user)
    return product
