"""Customer ratings (field 12), written by the reviews platform: live data, never approved."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import transaction

from catalog.models import Product
from catalog.services.errors import ErrorCollector
from catalog.services.import_digests import import_digests_forget
from catalog.services.publishing import snapshots_ratings_refresh

MAX_COUNT = 2_147_483_647


def _average(value) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


@transaction.atomic
def product_ratings_set(*, product: Product, average, count: int, source: str = "") -> Product:
    """Store the product's rating average (0-5, two decimals) and count.

    Published snapshots show the new ratings at once, with no new version or approval. A
    count of 0 means no ratings yet (the average is cleared). Sending the stored values again
    writes nothing. Refused with a ContentError naming `average` or `count`.
    """
    errors = ErrorCollector()
    number = _average(average)
    if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= MAX_COUNT:
        errors.add("count", "The count is a whole number from 0.", code="invalid")
    if count and average is None:
        errors.add("average", "Ratings with a count need an average.", code="required")
    elif average is not None and (number is None or not 0 <= number <= 5):
        errors.add("average", "The average is a number from 0 to 5.", code="invalid")
    elif number is not None and number != number.quantize(Decimal("0.01")):
        errors.add("average", "Give the average with at most two decimals.", code="invalid")
    errors.raise_if_any()
    if not count:
        number = None
    product = Product.objects.select_for_update().get(pk=product.pk)
    if product.rating_count == count and product.rating_average == number:
        return product
    product.rating_average, product.rating_count = number, count
    product._change_reason = f"Ratings from {source}" if source else "Ratings"
    product.save(update_fields=["rating_average", "rating_count", "updated_at"])
    # Exported columns, written without a new version: the next import compares them.
    import_digests_forget(product_ids=[product.pk])
    snapshots_ratings_refresh(product=product)
    return product
