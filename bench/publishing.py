"""Publishing: building and writing snapshots for the three demo channels in every locale.

    .venv/bin/python bench/publishing.py                  # 1,000 products
    .venv/bin/python bench/publishing.py --products 5000 --rebuild

The catalog goes into a throwaway SQLite database (``bench/out/publishing.sqlite3``), built
once and reused (``--rebuild`` starts over): ``load_demo``'s catalog without its photo and
workflow steps, so that rendition generation (the media benchmark's subject) is not measured.

Measured:
- payload building alone (``product_for_publishing`` + ``snapshot_payload`` for 3 channels x
  their locales, 11 payloads per product): products per second and queries per product;
- ``snapshots_publish`` (payloads, snapshot rows written, ``snapshots_changed`` sent), one
  transaction per product as approval does: products per second and queries per product;
- republishing the same products (rows updated, versions bumped);
- peak resident memory of the process.
"""
from __future__ import annotations

import argparse
import resource
import time

from benchsupport import OUT, QueryCounter, setup_django

DB = OUT / "publishing.sqlite3"


def build(products: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", products=products, no_admin=True, catalog_only=True)


def measure() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from catalog.models import Channel, Product, ProductSnapshot
    from catalog.services.publishing import (
        product_for_publishing,
        snapshot_payload,
        snapshots_publish,
    )

    channels = list(Channel.objects.order_by("code"))
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    payloads = sum(len(c.locales) for c in channels)
    print(f"{len(ids)} products x {len(channels)} channels = {payloads} payloads per product")

    ProductSnapshot.objects.all().delete()
    counter = QueryCounter()
    now = timezone.now()
    with connection.execute_wrapper(counter):
        start = time.perf_counter()
        for pk in ids:
            full = product_for_publishing(pk, channels)
            for channel in channels:
                for locale in channel.locales:
                    snapshot_payload(full, channel, locale, version=1, published_at=now)
        build_s = time.perf_counter() - start
    build_q = counter.reset()
    print(f"build payloads: {len(ids) / build_s:,.0f} products/s, "
          f"{build_q / len(ids):.1f} queries/product")

    for label in ("publish (insert)", "republish (update)"):
        products = list(Product.objects.filter(pk__in=ids).order_by("pk"))
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            for product in products:
                with transaction.atomic():
                    snapshots_publish(product=product, channels=channels)
            elapsed = time.perf_counter() - start
        queries = counter.reset()
        print(f"{label}: {len(ids) / elapsed:,.0f} products/s "
              f"({len(ids) * payloads / elapsed:,.0f} snapshots/s), "
              f"{queries / len(ids):.1f} queries/product")
    print(f"snapshots: {ProductSnapshot.objects.count()}")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    DB.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild and DB.exists():
        DB.unlink()
    fresh = not DB.exists()
    setup_django(DB)
    if fresh:
        build(args.products)
    measure()


if __name__ == "__main__":
    main()
