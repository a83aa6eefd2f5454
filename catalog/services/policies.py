"""Writes of the logistics policies: returns policies, brands' defaults, shipping rates.

A shipping rate belongs to one scope (a brand's default, a category's or a product's
override) and a scope has one rate per market. Completeness below a changed rate is
recomputed by its ``post_save``/``post_delete`` receivers.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from catalog.models import Brand, ReturnsPolicy, ShippingRate

from .completeness import completeness_schedule_scope
from .content import shipping_markets_check
from .errors import ContentError, ErrorCollector, full_clean, join_path
from .import_digests import import_digests_forget

SCOPES = ("brand", "category", "product")


def shipping_rates_check(*, rates: Sequence[ShippingRate], path=("shipping_rates",)) -> None:
    """Each rate valid, and one rate per market: among ``rates`` and against the stored ones.

    Errors are keyed ``shipping_rates.<index>.<field>``. Rates of an owner not saved yet (a
    brand being created) are checked without it; the save checks them again with it.
    """
    errors = ErrorCollector()
    listed_twice: set[int] = set()
    try:
        shipping_markets_check(
            countries_listed=[rate.country.code if rate.country else "" for rate in rates])
    except ContentError as twice:
        for key, messages in twice.error_dict.items():
            errors.add(join_path(*path, key), ValidationError(messages))
            listed_twice.add(int(key.split(".")[0]))
    for index, rate in enumerate(rates):
        if index in listed_twice:
            continue
        unsaved_owner = [name for name in SCOPES
                         if (owner := getattr(rate, name)) is not None and owner.pk is None]
        errors.full_clean(rate, *path, index, exclude=unsaved_owner)
    errors.raise_if_any()


@transaction.atomic
def shipping_rates_save(*, rates: Sequence[ShippingRate], removed: Iterable[ShippingRate] = (),
                        user=None) -> list[ShippingRate]:
    """Delete ``removed``, then check and save ``rates`` (new or changed, any scopes)."""
    # A product's own rates are its export's shipping column, written here without a new
    # version of the product: the next import of its rows compares them (a rate moved from
    # one product to another changes both).
    saved = [rate.pk for rate in [*rates, *removed] if rate.pk]
    import_digests_forget(product_ids={
        *(rate.product_id for rate in [*rates, *removed]),
        *(ShippingRate.objects.filter(pk__in=saved, product__isnull=False)
          .values_list("product_id", flat=True) if saved else ())})
    for rate in removed:
        if rate.pk:
            rate._history_user = user
            rate.delete()
    shipping_rates_check(rates=rates)
    for rate in rates:
        rate._history_user = user
        rate.save()
    return list(rates)


@transaction.atomic
def returns_policy_save(*, policy: ReturnsPolicy, user=None) -> ReturnsPolicy:
    full_clean(policy)
    policy._history_user = user
    policy.save()
    return policy


@transaction.atomic
def brand_save(*, brand: Brand, user=None) -> Brand:
    """Create or update a brand; a new default returns policy recomputes the brand's products."""
    full_clean(brand)
    changed = brand.pk is not None and not Brand.objects.filter(
        pk=brand.pk, returns_policy_id=brand.returns_policy_id).exists()
    brand.save()
    if changed:
        completeness_schedule_scope(brand_id=brand.pk)
    return brand
