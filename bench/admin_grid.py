"""The product grid in the admin: server time and queries of 50-row pages of a catalog.

    .venv/bin/python bench/admin_grid.py                  # SQLite, 3,000 products, 40 loads
    .venv/bin/python bench/admin_grid.py --postgres       # a throwaway PostgreSQL (BENCH_PG_PORT)
    .venv/bin/python bench/admin_grid.py --profile        # and a pyinstrument profile of each

A catalog of ``load_demo --products N --catalog-only`` (its brands, seasons, category tree and
three channels, here each in 4 locales) is built in a fresh database, with 1 to 3 photos per
colour as asset rows carrying their admin thumbnail and the channels' renditions (rows
naming files: the grid only links to them), completeness for 3 channels x 4 locales, a
third of the products published on every channel (approved, by ``snapshots_publish_batch``)
and a quarter of those edited since. Each grid request is loaded through Django's test
client by a superuser, DEBUG off, in process (the server's time, without a network or a
browser; the CPU time of the process is given beside it, as the machine is shared): the first page, a deep page, sorted by the web shop's lowest locale score, two
multi-value filters (two brands, two seasons) and a word search, each showing 50 rows. The
admin's index page is loaded as often in the same run, as the reference of what any admin
page costs on this machine then; the grid's figures are given as ratios to the 100 ms limit.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import tempfile
import time
from contextlib import nullcontext

from benchsupport import OUT, QueryCounter, page_loads, postgres_started, setup_django_url

LIMIT_MS = 100
LOCALES = ["en", "fr", "pl", "zh-hans"]


def build(products: int, *, out=sys.stderr) -> object:
    """The catalog, its photos and renditions, completeness, publication; returns the user."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from catalog.models import Channel, Colour, Product, ProductPhoto, ProductTransition
    from catalog.services.publishing import (
        PUBLISH_BATCH, _channel_specs, products_for_publishing, snapshots_publish_batch)
    from media import conf as media_settings
    from media.models import Asset, Rendition
    from media.renditions.specs import canonical_spec

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", products=products, no_admin=True, catalog_only=True, stdout=out)
    Channel.objects.update(locales=LOCALES)
    channels = list(Channel.objects.order_by("code"))
    print(f"  catalog: {time.perf_counter() - started:.0f} s", file=out)

    specs = sorted({canonical_spec(media_settings.get("MEDIA_THUMBNAIL_SPEC")),
                    *_channel_specs(channels)})
    colours = list(Colour.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        n = 0
        for start in range(0, len(colours), 1000):
            assets, photos = [], []
            for colour_id in colours[start:start + 1000]:
                for position in range(1 + colour_id % 3):
                    n += 1
                    asset = Asset(kind="image", sha256=f"{n:064x}", file=f"originals/{n}.jpg",
                                  format="JPEG", mime_type="image/jpeg", width=800,
                                  height=1000, byte_size=1)
                    assets.append(asset)
                    photos.append(ProductPhoto(colour_id=colour_id, asset=asset,
                                               position=position + 1))
            Asset.objects.bulk_create(assets)
            ProductPhoto.objects.bulk_create(photos)
            Rendition.objects.bulk_create(
                [Rendition(asset=asset, spec=spec, file=f"renditions/{asset.pk}-{i}.webp",
                           format="WEBP", width=400, height=500, byte_size=1)
                 for asset in assets for i, spec in enumerate(specs)])
    print(f"  {n:,} photos, {n * len(specs):,} renditions: "
          f"{time.perf_counter() - started:.0f} s", file=out)

    call_command("recompute_completeness", "--no-progress", stdout=out)
    print(f"  completeness: {time.perf_counter() - started:.0f} s", file=out)

    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
    published = list(Product.objects.order_by("pk").values_list("pk", flat=True)[::3])
    for start in range(0, len(published), PUBLISH_BATCH):
        ids = published[start:start + PUBLISH_BATCH]
        with transaction.atomic():
            batch = products_for_publishing(ids, channels)
            snapshots_publish_batch(products=batch, channels=channels)
            ProductTransition.objects.bulk_create([
                ProductTransition(product=p, action=ProductTransition.Action.APPROVE,
                                  from_status=p.status, to_status=Product.Status.APPROVED,
                                  channels=[c.code for c in channels],
                                  product_version=p.version, user=user,
                                  created_at=timezone.now()) for p in batch])
    Product.objects.filter(pk__in=published).update(status=Product.Status.APPROVED)
    Product.objects.filter(pk__in=published[::4]).update(version=F("version") + 1)
    print(f"  {len(published):,} published, {len(published[::4]):,} edited since: "
          f"{time.perf_counter() - started:.0f} s", file=out)
    return user


def requests(client) -> list[tuple[str, str]]:
    """The grid's requests, each of 50 rows, by label."""
    from django.urls import reverse

    from catalog.models import Brand, Product, Season

    url = reverse("admin:catalog_product_changelist")
    html = client.get(url).content.decode()
    column = re.search(r'column-channel_webshop">.*?href="\?o=(\d+)', html, re.S).group(1)
    pages = Product.objects.count() // 50
    brands = list(Brand.objects.order_by("pk").values_list("pk", flat=True)[:2])
    seasons = list(Season.objects.order_by("pk").values_list("pk", flat=True)[:2])
    filters = "&".join([*(f"brand={b}" for b in brands), *(f"season={s}" for s in seasons)])
    return [
        ("first page", url),
        (f"page {pages}", f"{url}?p={pages}"),
        ("sorted by web shop's lowest score", f"{url}?o={column}"),
        ("the same, descending", f"{url}?o=-{column}"),
        ("incomplete for web shop in French", f"{url}?completeness=webshop:fr:incomplete"),
        ("two brands x two seasons", f"{url}?{filters}"),
        ('search for a word ("dress")', f"{url}?q=dress"),
    ]


def measure(client, url: str, runs: int, counter: QueryCounter) -> dict:
    loads = page_loads(client, url, runs, counter)
    loads["rows"] = loads.pop("response").content.count(b'class="grid-code"')
    return loads


def explain(client, grid) -> None:
    """The plan of each request's query for its page of products (the one with a LIMIT)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for label, url in grid:
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        page = next((q["sql"] for q in captured.captured_queries
                     if "LIMIT" in q["sql"] and "ORDER BY" in q["sql"]
                     and q["sql"].startswith('SELECT "catalog_product"."id"')), None)
        if page is None:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF) {page}")
            print(f"\n{label}:", *(f"  {line}" for line, in cursor.fetchall()), sep="\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--explain", action="store_true",
                        help="on PostgreSQL, the plan (EXPLAIN ANALYZE) of each request's "
                             "page of rows")
    parser.add_argument("--profile", action="store_true",
                        help="a pyinstrument profile of 10 loads of each request, as text in "
                             "bench/out/admin_grid/")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="pim-bench-grid.")
    os.environ["DJANGO_MEDIA_ROOT"] = os.path.join(work, "media")
    os.environ["DJANGO_ORIGINALS_ROOT"] = os.path.join(work, "originals")
    with (postgres_started() if args.postgres else nullcontext(f"sqlite:///{work}/db.sqlite3")) as url:
        setup_django_url(url)
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        user = build(args.products)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        counter = QueryCounter()
        grid = requests(client)
        load = os.getloadavg()
        index = measure(client, reverse("admin:index"), args.runs, counter)
        results = [(label, measure(client, url, args.runs, counter)) for label, url in grid]
        after = os.getloadavg()
        print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; {args.products:,} "
              f"products; {args.runs} loads each; load average {load[0]:.2f} {load[1]:.2f} "
              f"{load[2]:.2f} before, {after[0]:.2f} after; {os.cpu_count()} cores")
        print(f"admin index (reference): p50 {index['p50']:.1f} ms, p95 {index['p95']:.1f} ms, "
              f"CPU p50 {index['cpu']:.1f} ms, queries {index['queries']}")
        header = ("grid request", "rows", "p50 ms", "p95 ms", f"p95 / {LIMIT_MS} ms",
                  "p95 / index", "CPU ms p50", "queries")
        table = [(label, str(r["rows"]), f"{r['p50']:.1f}", f"{r['p95']:.1f}",
                  f"{r['p95'] / LIMIT_MS:.2f}", f"{r['p95'] / index['p95']:.1f}",
                  f"{r['cpu']:.1f}", ",".join(map(str, r["queries"]))) for label, r in results]
        widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header))]
        for row in [header, *table]:
            print(" | ".join(cell.ljust(w) if i == 0 else cell.rjust(w)
                             for i, (cell, w) in enumerate(zip(row, widths))))
        if args.explain and connection.vendor == "postgresql":
            explain(client, grid)
        if args.profile:
            from pyinstrument import Profiler

            folder = OUT / "admin_grid"
            folder.mkdir(parents=True, exist_ok=True)
            database = "postgres" if args.postgres else "sqlite"
            for n, (label, url) in enumerate(grid):
                with Profiler() as profiler:
                    for _ in range(10):
                        client.get(url)
                path = folder / f"profile-{database}-{n}.txt"
                path.write_text(f"{label}: {url}\n" + profiler.output_text(
                    unicode=True, show_all=False, color=False))
                print(f"profile of {label}: {path.relative_to(OUT.parent.parent)}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
