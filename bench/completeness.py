"""Completeness recompute: the whole catalog in batches, then one product after an edit.

    .venv/bin/python bench/completeness.py                 # 20,000 products, 3 channels x 4 locales
    .venv/bin/python bench/completeness.py --products 2000 --rebuild

The catalog goes into a throwaway SQLite database (``bench/out/completeness.sqlite3``), built
once and reused (``--rebuild`` starts over): ``load_demo``'s catalog without its photo and
workflow steps, then photos as plain rows (1 to 5 per colour, so the minimums fail for some
colours), translation stamps, and the English care text edited on every 20th product so
that its translations are outdated. The three demo channels publish in all four locales.

Measured in a fresh process, so that its peak memory is the recompute's:
- full recompute from an empty completeness table: products per second, queries per batch,
  rows written, peak resident memory and the peak of Python allocations (tracemalloc);
- the same again with nothing changed (every row compared, none written);
- one product edited through ``product_save`` (as the admin saves it): queries and time of
  the recompute that follows the commit.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
import tracemalloc

from benchsupport import OUT, QueryCounter, setup_django

DB = OUT / "completeness.sqlite3"


def build(products: int) -> None:
    """The catalog: demo products, photos, stamps, some outdated translations."""
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import F, Value
    from django.db.models.functions import Concat, Mod

    from catalog.models import Channel, Colour, Product
    from catalog.services.translations import translation_stamps_bootstrap
    from catalog.models import ProductPhoto
    from media.models import Asset

    call_command("migrate", verbosity=0)


    started = time.perf_counter()
    call_command("load_demo", products=products, no_admin=True, catalog_only=True,
                 stdout=sys.stderr)
    Channel.objects.update(locales=["en", "fr", "pl", "zh-hans"])
    assets = [Asset.objects.create(kind="image", sha256=f"{n:064x}", file=f"originals/{n}.jpg",
                                   format="JPEG", mime_type="image/jpeg", width=800,
                                   height=1000, byte_size=1)
              for n in range(1, 6)]
    colour_ids = list(Colour.objects.order_by("pk").values_list("pk", flat=True))
    photos = [ProductPhoto(colour_id=colour_id, asset=assets[n], position=n + 1)
              for colour_id in colour_ids for n in range(1 + colour_id % 5)]
    with transaction.atomic():
        ProductPhoto.objects.bulk_create(photos, batch_size=2000)
    translation_stamps_bootstrap()
    Product.objects.annotate(nth=Mod("pk", 20)).filter(nth=0).update(
        care_text_en=Concat(F("care_text_en"), Value(" Dry flat.")))
    print(f"built {Product.objects.count()} products, {len(photos)} photos in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


def measure(batch_size: int) -> dict:
    from django.db import connection, transaction

    from catalog.models import Channel, Product, ProductCompleteness
    from catalog.services.completeness import completeness_recompute
    from catalog.services.products import product_save

    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    products = Product.objects.count()
    channels = list(Channel.objects.all())
    ProductCompleteness.objects.all().delete()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        full = completeness_recompute(batch_size=batch_size)
        full_seconds = time.perf_counter() - started
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    batches = -(-products // batch_size)

    counter_again = QueryCounter()
    with connection.execute_wrapper(counter_again):
        started = time.perf_counter()
        again = completeness_recompute(batch_size=batch_size)
        again_seconds = time.perf_counter() - started

    tracemalloc.start()
    completeness_recompute(product_ids=Product.objects.order_by("pk")
                           .values_list("pk", flat=True)[:batch_size], batch_size=batch_size)
    _, batch_heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    product = Product.objects.order_by("pk")[products // 2]
    product.care_washing = "" if product.care_washing else "wash_30"
    edit = QueryCounter()
    with connection.execute_wrapper(edit):
        started = time.perf_counter()
        product_save(product=product, expected_version=product.version)
        edit_total = time.perf_counter() - started
    # The same recompute on its own, without the save around it.
    single = QueryCounter()
    with connection.execute_wrapper(single):
        started = time.perf_counter()
        with transaction.atomic():
            completeness_recompute(product_ids=[product.pk])
        single_seconds = time.perf_counter() - started

    rows = ProductCompleteness.objects.count()
    return {
        "products": products,
        "channels": len(channels),
        "locales_per_channel": [len(c.locales) for c in channels],
        "rows": rows,
        "incomplete_rows": ProductCompleteness.objects.filter(complete=False).count(),
        "batch_size": batch_size,
        "full_seconds": round(full_seconds, 2),
        "products_per_second": round(products / full_seconds),
        "full_queries": counter.count,
        "batches": batches,
        "queries_per_batch": round(counter.count / batches, 1),
        "rows_created": full.rows_created,
        "rss_start_mb": round(rss_start / 1024),
        "rss_before_mb": round(rss_before / 1024),
        "rss_peak_mb": round(rss_peak / 1024),
        "batch_heap_peak_mb": round(batch_heap_peak / 2**20, 1),
        "unchanged_seconds": round(again_seconds, 2),
        "unchanged_products_per_second": round(products / again_seconds),
        "unchanged_queries": counter_again.count,
        "unchanged_rows_written": again.rows_created + again.rows_updated,
        "edit_queries": edit.count,
        "edit_ms": round(edit_total * 1000, 1),
        "single_recompute_queries": single.count,
        "single_recompute_ms": round(single_seconds * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--batch-size", type=int, default=500)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        setup_django(DB)
        print(json.dumps(measure(args.batch_size)))
        return
    DB.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild and DB.exists():
        DB.unlink()
    if not DB.exists():
        setup_django(DB)
        build(args.products)
    result = subprocess.run(
        [sys.executable, __file__, "--measure", "--batch-size", str(args.batch_size)],
        check=True, capture_output=True, text=True,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["python"] = platform.python_version()
    figures["cpus"] = os.cpu_count()
    for key, value in figures.items():
        print(f"{key:32} {value}")


if __name__ == "__main__":
    main()
