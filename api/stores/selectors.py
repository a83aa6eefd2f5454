"""What an enrolled screen reads: the store-screens snapshot found by a scanned or typed code."""
from __future__ import annotations

from dataclasses import dataclass

import orjson
from django.core.exceptions import ValidationError

from api.selectors import snapshot_for_gtin, snapshot_get
from catalog.models import Product, Variant
from catalog.models.fields import gtin_normalize, validate_gtin
from catalog.stores.models import Store
from media.selectors import media_references_resolve

UNKNOWN, NOT_PUBLISHED = "unknown_code", "not_published"


def _published(row) -> dict:
    """A snapshot's payload as served: media references made URLs with today's settings."""
    return orjson.loads(media_references_resolve(row.raw_payload))


@dataclass(frozen=True)
class ScreenMatch:
    product: dict | None  # the published payload in the locale
    matched: dict | None  # the scanned variant: {"gtin"} or {"sku"}
    reason: str | None = None  # why nothing is shown: unknown_code, not_published


def _is_gtin(code: str) -> bool:
    try:
        validate_gtin(code)
    except ValidationError:
        return False
    return True


def screen_product_find(*, store: Store, code: str, locale: str) -> ScreenMatch:
    """A barcode (GTIN), a style code or a SKU, as the store's channel published it.

    Only live snapshots count: a product that exists but is not published on the channel is
    told apart from a code nobody knows, so that staff know which one it is.
    """
    code = code.strip()
    channel = store.channel
    if _is_gtin(code):
        gtin = gtin_normalize(code)
        row = snapshot_for_gtin(channel=channel, locale=locale, gtin=gtin)
        if row is not None:
            return ScreenMatch(_published(row), {"gtin": gtin})
        if Variant.objects.filter(gtin=gtin).exists():
            return ScreenMatch(None, None, NOT_PUBLISHED)
    style = code.upper()
    row = snapshot_get(channel=channel, locale=locale, style_code=style)
    if row is not None:
        return ScreenMatch(_published(row), None)
    variant = (Variant.objects.filter(sku__iexact=code)
               .values_list("sku", "colour__product__style_code").first())
    if variant is not None:
        sku, style = variant
        row = snapshot_get(channel=channel, locale=locale, style_code=style)
        if row is None:
            return ScreenMatch(None, None, NOT_PUBLISHED)
        return ScreenMatch(_published(row), {"sku": sku})
    if Product.objects.filter(style_code=style).exists():
        return ScreenMatch(None, None, NOT_PUBLISHED)
    return ScreenMatch(None, None, UNKNOWN)
