"""Reads of stock: availability per variant, in one store and across its market."""
from __future__ import annotations

from catalog.models import Channel

from .models import Store, StoreStock

HERE, MARKET, NONE = "here", "market", "none"


def stores_for(*, channel: Channel) -> list[Store]:
    return list(Store.objects.filter(channel=channel).order_by("country", "code"))


def availability_for(*, channel: Channel, payload: dict, store: Store | None = None) -> dict:
    """Stock of every variant a published payload lists, in the channel's stores, one query.

    Without `store`: each variant's count in every store of the channel. With it: only that
    store and the other stores of its market, and a `status` per variant: `here` (in stock in
    this store), `market` (only in another store of its market) or `none`.
    """
    variants = [
        {"sku": variant["sku"], "gtin": variant["gtin"], "size": variant["size"],
         "colour_code": colour["code"]}
        for colour in payload.get("colours") or [] for variant in colour.get("variants") or []
    ]
    stock = StoreStock.objects.filter(
        store__channel=channel, variant__sku__in=[v["sku"] for v in variants])
    if store is not None:
        stock = stock.filter(store__country=store.country)
    rows = stock.order_by("store__code").values_list(
        "variant__sku", "store__code", "store__name", "quantity", "as_of")
    by_sku: dict[str, list[dict]] = {}
    for sku, code, name, quantity, as_of in rows:
        by_sku.setdefault(sku, []).append(
            {"store": code, "name": name, "quantity": quantity, "as_of": as_of.isoformat()})
    for variant in variants:
        variant["stores"] = by_sku.get(variant["sku"], [])
        if store is not None:
            here = next((s for s in variant["stores"] if s["store"] == store.code), None)
            variant["quantity_here"] = here["quantity"] if here else 0
            variant["status"] = (
                HERE if variant["quantity_here"] > 0
                else MARKET if any(s["quantity"] > 0 for s in variant["stores"]) else NONE)
    return {"style_code": payload.get("style_code"), "variants": variants}
