"""Writes of products: one path for the admin, imports and commands."""
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from catalog.models import Brand, Category, Colour, Product, ReturnsPolicy, Season
from catalog.models.choices import CARE_GROUPS
from catalog.services.content import (
    CATALOG,
    CatalogLookups,
    ContentPlan,
    assign,
    content_plan,
    content_plan_write,
    field_values,
)
from catalog.services.errors import ErrorCollector, full_clean
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

    Refused with a :class:`ContentError` for a bad field (a category with sub-categories, a
    taken style code...). Translations written by the save are stamped, and the product's
    completeness is recomputed once the transaction commits.
    """
    if product.pk:
        product_version_check(product_id=product.pk, expected_version=expected_version)
    full_clean(product)
    return _product_write(product=product, expected_version=expected_version, user=user)


@transaction.atomic
def product_translations_save(*, product: Product, expected_version: int | None,
                              user=None) -> Product:
    """Save a product whose translated fields only were changed, and cleaned, by
    ``translations_write``: the version is checked, the stamps and history recorded as by
    ``product_save``; the whole product is not cleaned again, since nothing else changed
    (its unique and constraint checks cost a translators' file several queries a product).
    """
    product_version_check(product_id=product.pk, expected_version=expected_version)
    return _product_write(product=product, expected_version=expected_version, user=user)


def _product_write(*, product: Product, expected_version: int | None, user) -> Product:
    """Save a checked product whose version was checked, bumping the version and stamping."""
    before = None
    if product.pk:
        product.version = expected_version + 1
        before = translation_texts_stored(Product, product.pk, PRODUCT_TRANSLATED_FIELDS)
    if user is not None:
        product._history_user = user
    product.save()
    translation_stamps_record(product=product, before=before, user=user)
    return product


@dataclass
class ProductContentSaved:
    product: Product
    colours: list[Colour]  # the colours given, saved, in the order given
    changed: bool  # False: everything given was as stored, nothing was written


def _loaded_relations(product: Product) -> list[str]:
    """Foreign keys of `product` set from an object loaded from the database: full_clean
    would query again that it exists (a query per key and product), the object says so."""
    names = []
    for f in product._meta.concrete_fields:
        if f.many_to_one and f.is_cached(product):
            related = f.get_cached_value(product)
            if (related is not None and not related._state.adding
                    and related.pk == getattr(product, f.attname)):
                names.append(f.name)
    return names


def product_content_check(*, product: Product, stored: Product | None,
                          fields: dict | None = None, colours: list[dict] | None = None,
                          composition: list[dict] | None = None,
                          size_chart: list[dict] | None = None,
                          shipping: list[dict] | None = None, errors: ErrorCollector,
                          catalog: CatalogLookups = CATALOG,
                          style_code_checked: bool = False) -> ContentPlan:
    """The rules of :func:`product_content_save`, on objects in memory: `fields` set on
    `product` and every list matched and checked (:func:`content_plan`); problems go to
    `errors`. `stored`: the product as stored (None: a new one). `style_code_checked`: the
    caller looked the style code up already (a batch, for all its products at once).
    Shared by :func:`product_content_save` and :class:`~catalog.services.content_batch.ContentBatch`.
    """
    assign(product, fields or {}, errors, excluded=("status", "version"))
    # The product's check constraints repeat its fields' validators (rating and model height
    # ranges), which full_clean runs; Django would validate them again with a query each.
    errors.full_clean(product, exclude=_loaded_relations(product),
                      validate_unique=not style_code_checked, validate_constraints=False)
    return content_plan(
        product=product, colours=colours, composition=composition, size_chart=size_chart,
        shipping=shipping, errors=errors, catalog=catalog,
        category_changed=stored is not None and stored.category_id != product.category_id,
    )


_NOT_COMPARED = ("version", "updated_at", "created_at")


def product_content_changed(*, stored: Product | None, product: Product,
                            plan: ContentPlan) -> bool:
    """False when everything given was as stored: nothing to write, no history, no recompute."""
    return (stored is None or plan.changed
            or field_values(stored, skip=_NOT_COMPARED) != field_values(product,
                                                                         skip=_NOT_COMPARED))


@transaction.atomic
def product_content_save(*, product: Product, fields: dict | None = None,
                         colours: list[dict] | None = None,
                         composition: list[dict] | None = None,
                         size_chart: list[dict] | None = None,
                         shipping: list[dict] | None = None,
                         expected_version: int | None = None, user=None) -> ProductContentSaved:
    """Create or update a product with the rows of its page, in one transaction.

    ``fields``: product fields to set (``{"name_fr": ..., "category": ...}``), on top of what
    ``product`` already carries. Each list, when given, is the whole list after the save (see
    :mod:`catalog.services.content`): ``colours`` rows may carry ``"variants"``, their own
    list. An update must name the version it was edited from. Every problem of the product and
    its rows is refused together in one :class:`ContentError`, keyed by path; nothing is
    written then. A save that changes nothing writes nothing (no new version, no history).
    Many products at once (an import): :class:`~catalog.services.content_batch.ContentBatch`,
    by the same rules.
    """
    errors = ErrorCollector()
    stored = None
    if product.pk:
        product_version_check(product_id=product.pk, expected_version=expected_version)
        stored = Product.objects.get(pk=product.pk)
    plan = product_content_check(
        product=product, stored=stored, fields=fields, colours=colours,
        composition=composition, size_chart=size_chart, shipping=shipping, errors=errors)
    errors.raise_if_any()
    changed = product_content_changed(stored=stored, product=product, plan=plan)
    if changed:
        _product_write(product=product, expected_version=expected_version, user=user)
        content_plan_write(plan=plan, product=product, user=user)
    return ProductContentSaved(
        product=product, colours=plan.colours.kept if plan.colours else [], changed=changed)


# What a mass edit may set: the products' references (by id), care symbols, and the shipping
# overrides (the whole list, as on the product page).
MASS_EDIT_REFERENCES = {"season": Season, "category": Category, "brand": Brand,
                        "returns_policy": ReturnsPolicy}
MASS_EDIT_FIELDS = (*MASS_EDIT_REFERENCES, *CARE_GROUPS, "shipping")


def products_mass_edit(*, user, product_ids: Iterable[int], fields: dict) -> list:
    """Set `fields` on each product through :func:`product_content_save`, each in its own
    savepoint: a product the product page would refuse (a category whose rules its sizes
    break...) is left untouched and reported. An outcome per product, in the order given
    (``catalog.services.workflow.ProductOutcome``); history says "Mass edit by <user>".

    `fields`: names of `MASS_EDIT_FIELDS`; references by id (``None`` clears an optional
    one), care symbols by code (``""`` clears), ``shipping`` as rows of the page's list.
    """
    from django.core.exceptions import NON_FIELD_ERRORS

    from catalog.services.errors import ContentError
    from catalog.services.workflow import ProductOutcome

    if not (user and user.has_perm("catalog.change_product")):
        raise PermissionDenied("You do not have permission to edit products.")
    unknown = sorted(set(fields) - set(MASS_EDIT_FIELDS))
    if unknown:
        raise ValidationError(f"A mass edit cannot set {', '.join(unknown)}; it sets "
                              f"{', '.join(MASS_EDIT_FIELDS)}.", code="unknown_field")
    values, problems = {}, []
    for name, value in fields.items():
        model = MASS_EDIT_REFERENCES.get(name)
        if model is None:
            if name != "shipping":
                values[name] = value
        elif value is not None and not model.objects.filter(pk=value).exists():
            problems.append(f"There is no {model._meta.verbose_name} with id {value}.")
        else:
            values[f"{name}_id"] = value
    ids = list(dict.fromkeys(product_ids))
    products = Product.objects.in_bulk(ids)
    reason = f"Mass edit by {user.get_username()}"
    outcomes = []
    for pk in ids:
        product = products.get(pk)
        if product is None:
            outcomes.append(ProductOutcome(pk, "", False, ["This product no longer exists."],
                                           "not_found"))
            continue
        if problems:
            outcomes.append(ProductOutcome(pk, product.style_code, False, problems, "invalid"))
            continue
        product._change_reason = reason
        try:
            saved = product_content_save(product=product, fields=values,
                                         shipping=fields.get("shipping"),
                                         expected_version=product.version, user=user)
        except ContentError as error:
            outcomes.append(ProductOutcome(pk, product.style_code, False, [
                message if path == NON_FIELD_ERRORS else f"{path}: {message}"
                for path, messages in error.paths.items() for message in messages
            ], "refused"))
        except ValidationError as error:  # stale: saved by someone else meanwhile
            outcomes.append(ProductOutcome(pk, product.style_code, False, error.messages,
                                           "refused"))
        else:
            outcomes.append(ProductOutcome(pk, product.style_code, True,
                                           [] if saved.changed else ["Already so: unchanged."]))
    return outcomes
