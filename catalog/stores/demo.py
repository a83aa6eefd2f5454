"""The `load_demo` stores step: shops in the demo markets, with stock of the published styles."""
from datetime import datetime, timezone
from random import Random

from catalog.models import Channel, ProductSnapshot, Variant

from .models import Store, StoreStock
from .services import stock_write, store_save

# code, name, country, locales (the screens' default first)
STORES = [
    ("paris-opera", "Paris Opéra", "FR", ["fr", "en"]),
    ("lyon-bellecour", "Lyon Bellecour", "FR", ["fr", "en"]),
    ("warszawa-mokotow", "Warszawa Mokotów", "PL", ["pl", "en"]),
    ("shanghai-jingan", "Shanghai Jing'an", "CN", ["zh-hans", "en"]),
    ("london-soho", "London Soho", "GB", ["en"]),
]
AS_OF = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)


def load_demo_stores(command) -> None:
    channel = Channel.objects.filter(code="store-screens").first()
    if channel is None:
        return
    stores = []
    for code, name, country, locales in STORES:
        store = Store.objects.filter(code=code).first() or Store(code=code)
        store.name, store.country, store.channel = name, country, channel
        store.locales = [x for x in locales if x in channel.locales] or channel.locales[:1]
        stores.append(store_save(store=store))
    styles = ProductSnapshot.objects.filter(channel=channel, deleted=False).values("style_code")
    variants = list(Variant.objects.filter(colour__product__style_code__in=styles)
                    .order_by("id").values_list("id", "sku"))
    written = 0
    for store in stores:
        if StoreStock.objects.filter(store=store).exists():
            continue  # idempotent: a reload keeps the counts the demo's users changed
        rng = Random(store.code)
        lines = [{"sku": sku, "quantity": rng.choice([0, 0, 1, 2, 3, 5, 8]), "as_of": AS_OF.isoformat()}
                 for _, sku in variants if rng.random() < 0.7]
        written += stock_write(store=store, lines=lines).applied
    command.stdout.write(
        f"Demo stores: {', '.join(s.code for s in stores)}; {written} stock counts written. "
        "Enrol a screen with: manage.py create_screen_token paris-opera"
    )
