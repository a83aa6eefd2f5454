"""The catalog at scale: the admin's lists, searches, filter, dashboard and product page, the
API detail and publishing, on 100,000 styles (about 930,000 variants) in PostgreSQL.

    BENCH_PG_PORT=25442 .venv/bin/python bench/admin_scale.py --reuse      # 100,000 products
    .venv/bin/python bench/admin_scale.py --products 5000                   # a smaller run

The catalog is ``load_demo --products N --catalog-only``'s: the same reference data, and the
rows of ``load_demo.CatalogRows`` written with COPY instead of INSERTs, then completeness
computed by ``recompute_completeness``. The server is started by the script; with ``--reuse``
it lives in ``bench/out/admin_scale-pg/`` and a catalog built there is measured again without
being rebuilt (new migrations are applied first).

Each admin request goes through Django's test client as a logged-in superuser, best of three,
with its query count; the table printed gives the target beside each figure.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import time

from benchsupport import OUT, QueryCounter, postgres_started, setup_django_url

KEEP = OUT / "admin_scale-pg"
CHUNK = 5000  # products per COPY round


def field_values(model):
    """A function from an instance to its row, as an INSERT would prepare it: each field's
    `pre_save` (auto_now stamps, HTML sanitising, text clean-up) and JSON adapted; other
    values go to COPY as they are. The cleaning `pre_save`s depend on the value alone, so they
    are remembered per value (the demo's texts repeat)."""
    from django.db import connection, models

    prepare = []
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateField) and (field.auto_now or field.auto_now_add):
            prepare.append(lambda obj, f=field: f.pre_save(obj, True))
        elif type(field).pre_save is not models.Field.pre_save:
            def cleaned(obj, f=field, memo={}):
                value = getattr(obj, f.attname)
                if value not in memo:
                    memo[value] = f.pre_save(obj, True)
                return memo[value]
            prepare.append(cleaned)
        elif isinstance(field, models.JSONField):
            prepare.append(lambda obj, f=field: f.get_db_prep_save(getattr(obj, f.attname),
                                                                  connection))
        else:
            prepare.append(lambda obj, name=field.attname: getattr(obj, name))
    return lambda obj: [get(obj) for get in prepare]


def copy_rows(cursor, model, objs, values) -> int:
    """`objs` (unsaved, pk set) into `model`'s table with one COPY."""
    from django.db import connection

    columns = ", ".join(connection.ops.quote_name(f.column) for f in model._meta.concrete_fields)
    with cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) "
                     "FROM STDIN") as copy:
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
            copy.write_row(values(obj))
    return len(objs)


def number(objs, start: int) -> int:
    for n, obj in enumerate(objs, start=start):
        obj.pk = n
    return start + len(objs)


def catalog_build(products: int, *, out=sys.stderr) -> dict:
    """load_demo's catalog of `products` styles, written with COPY; then completeness.
    Returns the seconds each step took."""
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from catalog.management.commands.load_demo import CatalogRows, Command as LoadDemo
    from catalog.models import Colour, CompositionLine, Product, SizeChartRow, Variant

    History = Product.history.model
    tracked = History.tracked_fields
    steps = {}
    started = time.perf_counter()
    load_demo = LoadDemo(stdout=out)
    brands, seasons, leaves = load_demo.load_reference()
    existing = set(Product.objects.values_list("style_code", flat=True))
    todo = [(i, LoadDemo.style_code(i, leaves)) for i in range(1, products + 1)]
    todo = [(i, code) for i, code in todo if code not in existing]
    models = (Product, History, Colour, SizeChartRow, CompositionLine, Variant)
    next_id = {m: (m.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
               for m in models}
    rows = CatalogRows(brands, seasons, leaves)
    written = dict.fromkeys(models, 0)
    values = {m: field_values(m) for m in models}
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # psycopg's own, for COPY
        for start in range(0, len(todo), CHUNK):
            chunk = rows.products(todo[start:start + CHUNK])
            next_id[Product] = number(chunk, next_id[Product])
            written[Product] += copy_rows(cursor, Product, chunk, values[Product])  # stamps created_at first
            now = timezone.now()
            history = [History(history_date=now, history_user=None, history_change_reason="",
                               history_type="+",
                               **{f.attname: getattr(p, f.attname) for f in tracked})
                       for p in chunk]
            colours, charts, lines = rows.children(chunk)
            for model, objs in ((History, history), (Colour, colours), (SizeChartRow, charts),
                                (CompositionLine, lines)):
                next_id[model] = number(objs, next_id[model])
            variants = rows.variants(colours)
            next_id[Variant] = number(variants, next_id[Variant])
            for model, objs in ((History, history), (Colour, colours), (SizeChartRow, charts),
                                (CompositionLine, lines), (Variant, variants)):
                written[model] += copy_rows(cursor, model, objs, values[model])
            rows.plans.clear()
            print(f"  {start + len(chunk):,} products, {written[Variant]:,} variants "
                  f"({time.perf_counter() - started:.0f} s)", file=out)
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            wrapper.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    steps["rows"] = time.perf_counter() - started
    steps["completeness"] = completeness_build(out=out)
    print(f"built {Product.objects.count():,} products, {Variant.objects.count():,} variants: "
          f"rows {steps['rows']:.0f} s, completeness {steps['completeness']:.0f} s", file=out)
    return steps


def completeness_build(*, out=sys.stderr) -> float:
    """`recompute_completeness` over the whole catalog; its seconds."""
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("recompute_completeness", "--no-progress", stdout=out)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - started


def best_of(client, counter, url: str, runs: int = 3, **extra) -> tuple[float, int, int]:
    """Best time in ms of `runs` GETs of `url`, its query count and status."""
    times = []
    for _ in range(runs):
        counter.reset()
        began = time.perf_counter()
        response = client.get(url, **extra)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()
        times.append((time.perf_counter() - began) * 1000)
        queries = counter.reset()
    return min(times), queries, response.status_code


def measure(products: int) -> list[tuple[str, str, str, str]]:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction
    from django.test import Client
    from django.urls import reverse

    from api.services import channel_token_create
    from catalog.models import Channel, Product, Variant
    from catalog.services.publishing import (
        PUBLISH_BATCH,
        products_for_publishing,
        snapshots_publish_batch,
    )

    admin = get_user_model().objects.filter(username="admin").first()
    if admin is None:
        admin = get_user_model().objects.create_superuser("admin", "admin@example.com", None)
    client = Client()
    client.force_login(admin)
    counter = QueryCounter()
    middle = Product.objects.order_by("pk")[products // 2]
    variant = Variant.objects.filter(colour__product=middle).order_by("pk").first()
    products_url = reverse("admin:catalog_product_changelist")
    deep = min(1000, -(-products // 50))  # the list shows 50 a page
    requests = [
        ("product list, first page", products_url, 300),
        (f"product list, page {deep:,}", f"{products_url}?p={deep}", 300),
        ("search by style code", f"{products_url}?q={middle.style_code}", 50),
        ("search by GTIN", f"{products_url}?q={variant.gtin.lstrip('0')}", 50),
        ("search by SKU", f"{products_url}?q={variant.sku.lower()}", 50),
        ('search for a word ("wool")', f"{products_url}?q=wool", 300),
        ('filter "incomplete for webshop in French"',
         f"{products_url}?completeness=webshop:fr:incomplete", 300),
        ("completeness dashboard", reverse("admin:catalog_productcompleteness_changelist"), 300),
        ("product page", reverse("admin:catalog_product_change", args=[middle.pk]), 150),
    ]
    table = []
    with connection.execute_wrapper(counter):
        client.get(products_url)  # warm: URL resolver, templates, the connection
        for label, url, target in requests:
            ms, queries, status = best_of(client, counter, url)
            if status != 200:
                raise SystemExit(f"{label}: HTTP {status} for {url}")
            table.append((label, f"{ms:,.0f} ms", str(queries), f"< {target} ms",
                          "met" if ms < target else "missed"))

    # Publishing as bulk approval does, without renditions: batches of PUBLISH_BATCH products,
    # each loaded in a constant number of queries and written in one transaction.
    channels = list(Channel.objects.order_by("code"))
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True)[:1000])
    with connection.execute_wrapper(counter):
        counter.reset()
        began = time.perf_counter()
        for start in range(0, len(ids), PUBLISH_BATCH):
            with transaction.atomic():
                snapshots_publish_batch(
                    products=products_for_publishing(ids[start:start + PUBLISH_BATCH], channels),
                    channels=channels)
        elapsed = time.perf_counter() - began
        queries = counter.reset()
    rate = len(ids) / elapsed
    table.append((f"publishing {len(ids):,} products in batches of {PUBLISH_BATCH}",
                  f"{rate:,.0f} products/s", f"{queries / len(ids):.1f}/product",
                  ">= 200 products/s", "met" if rate >= 200 else "missed"))

    webshop = Channel.objects.get(code="webshop")
    token = channel_token_create(channel=webshop, name="bench-admin-scale").raw
    published = Product.objects.get(pk=ids[len(ids) // 2])
    api = Client()
    url = f"/api/v1/channels/webshop/products/{published.style_code}/?locale=fr"
    with connection.execute_wrapper(counter):
        api.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        times = []
        for _ in range(20):
            counter.reset()
            began = time.perf_counter()
            response = api.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
            times.append((time.perf_counter() - began) * 1000)
            queries = counter.reset()
    if response.status_code != 200:
        raise SystemExit(f"API detail: HTTP {response.status_code}")
    ms = statistics.median(times)
    table.append(("API product detail (median of 20)", f"{ms:.1f} ms", str(queries),
                  "< 5 ms, <= 3 queries", "met" if ms < 5 and queries <= 3 else "missed"))
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--reuse", action="store_true",
                        help=f"keep the database in {KEEP.relative_to(OUT.parent.parent)} "
                             "and measure a catalog built there before")
    parser.add_argument("--build-only", action="store_true", help="build, do not measure")
    args = parser.parse_args()
    if not args.reuse and KEEP.exists():
        shutil.rmtree(KEEP)
    OUT.mkdir(parents=True, exist_ok=True)
    with postgres_started(keep=KEEP if args.reuse else None) as url:
        os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
        setup_django_url(url)
        from django.core.management import call_command

        from catalog.models import Product

        began = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrate_s = time.perf_counter() - began
        built = Product.objects.count()
        if built < args.products:
            steps = catalog_build(args.products)
            print(f"build: {migrate_s + sum(steps.values()):.0f} s (migrate {migrate_s:.0f} s, "
                  f"rows {steps['rows']:.0f} s, completeness {steps['completeness']:.0f} s); "
                  f"target < 600 s")
        from catalog.models import ProductCompleteness

        if not ProductCompleteness.objects.exists():  # a build stopped before its end
            print(f"completeness: {completeness_build():.0f} s")
        if args.build_only:
            return
        from django.db import connection

        began = time.perf_counter()
        with connection.cursor() as cursor:  # as autovacuum leaves a settled database
            cursor.execute("VACUUM ANALYZE")
        print(f"vacuum: {time.perf_counter() - began:.0f} s")
        products = Product.objects.count()
        print(f"{products:,} products; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        table = measure(products)
        header = ("request", "time", "queries", "target", "")
        widths = [max(len(row[i]) for row in [header, *table]) for i in range(5)]
        for row in [header, *table]:
            print(" | ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                             for i, (cell, w) in enumerate(zip(row, widths))))
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
