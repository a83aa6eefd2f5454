"""Publishing: building and writing snapshots for the three demo channels in every locale,
in batches as approval does, beside the one-product-at-a-time path.

    .venv/bin/python bench/publishing.py                          # 1,000 products, SQLite
    .venv/bin/python bench/publishing.py --products 2000 --rebuild
    .venv/bin/python bench/publishing.py --postgres               # on a PostgreSQL it starts

The SQLite catalog goes into a throwaway database (``bench/out/publishing.sqlite3``), built
once and reused (``--rebuild`` starts over); ``--postgres`` starts its own server
(``BENCH_PG_PORT``) and builds the catalog there each time. The catalog is ``load_demo``'s
without its photo and workflow steps, so that rendition generation (the media benchmark's
subject) is not measured.

Measured, each as products per second by the clock, per CPU second of this process, and per
CPU second of this process and its PostgreSQL backend together (read from /proc: the figure
that other jobs on the machine change least), with queries per product:
- payload building alone (``products_for_publishing`` per batch of ``PUBLISH_BATCH`` +
  ``snapshot_payload`` for 3 channels x their locales, 11 payloads per product);
- ``snapshots_publish_batch``, one transaction per batch (insert);
- the same products published again unchanged (every payload compared, nothing written);
- again after every product changed (rows updated, versions bumped);
- ``snapshots_publish`` one product per transaction (a batch of one), on a sample, as the
  limit the batches are compared with in the same run;
- the machine's load average before and after, and peak resident memory.
"""
from __future__ import annotations

import argparse
import os
import time

from benchsupport import OUT, QueryCounter, peak_rss_mb, postgres_started, setup_django_url

DB = OUT / "publishing.sqlite3"
TARGET = 200  # products/s, without renditions


def build(products: int) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_demo", products=products, no_admin=True, catalog_only=True)


PROFILED: set[str] = set()  # steps profiled with pyinstrument: build, insert, unchanged, update


def server_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (Linux /proc; 0 on
    SQLite, whose work is this process's)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def timed(counter, function, name: str = ""):
    from django.db import connection

    profiler = None
    if name in PROFILED:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    server = server_cpu()  # outside the count
    with connection.execute_wrapper(counter):
        clock, cpu = time.perf_counter(), time.process_time()
        function()
        clock, cpu = time.perf_counter() - clock, time.process_time() - cpu
        result = clock, cpu, counter.reset()
    result += (server_cpu() - server,)
    if profiler is not None:
        profiler.stop()
        path = OUT / f"profile-publishing-{connection.vendor}-{name}.txt"
        path.write_text(profiler.output_text(unicode=True, show_all=False, color=False))
        print(f"profile of {name}: {path}")
    return result


def measure(label: str, sample: int) -> list[tuple]:
    from django.db import transaction
    from django.db.models import F
    from django.utils import timezone

    from catalog.models import Channel, Product, ProductSnapshot
    from catalog.services.publishing import (
        PUBLISH_BATCH,
        products_for_publishing,
        snapshot_payload,
        snapshots_publish,
        snapshots_publish_batch,
    )

    channels = list(Channel.objects.order_by("code"))
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    batches = [ids[i:i + PUBLISH_BATCH] for i in range(0, len(ids), PUBLISH_BATCH)]
    payloads = sum(len(c.locales) for c in channels)
    print(f"{label}: {len(ids)} products x {len(channels)} channels = {payloads} payloads per "
          f"product, batches of {PUBLISH_BATCH}; load average {os.getloadavg()[0]:.2f}")
    ProductSnapshot.objects.all().delete()
    counter, now, rows = QueryCounter(), timezone.now(), []

    def build_payloads():
        for batch in batches:
            memo = {}  # as snapshots_publish_batch: the locale-independent parts once a batch
            for full in products_for_publishing(batch, channels):
                for channel in channels:
                    for locale in channel.locales:
                        snapshot_payload(full, channel, locale, version=1, published_at=now,
                                         memo=memo)

    def publish_batches():
        for batch in batches:
            with transaction.atomic():
                snapshots_publish_batch(products=Product.objects.filter(pk__in=batch),
                                        channels=channels)

    def publish_one_by_one():
        for product in Product.objects.filter(pk__in=ids[:sample]).order_by("pk"):
            with transaction.atomic():
                snapshots_publish(product=product, channels=channels)

    steps = [("build", "build payloads", build_payloads, len(ids)),
             ("insert", "snapshots_publish_batch (insert)", publish_batches, len(ids)),
             ("unchanged", "again, unchanged (compared, nothing written)", publish_batches,
              len(ids))]
    for key, name, function, count in steps:
        rows.append((name, count, *timed(counter, function, key)))
    # Every payload changes, whatever an earlier run on the same database left.
    Product.objects.update(rating_average=4.5, rating_count=F("rating_count") + 1)
    rows.append(("again, every product changed (update)", len(ids),
                 *timed(counter, publish_batches, "update")))
    bumped = ProductSnapshot.objects.filter(version=2).count()
    assert bumped == len(ids) * payloads, f"{bumped} snapshots updated"
    ProductSnapshot.objects.filter(product_id__in=ids[:sample]).delete()
    rows.append((f"snapshots_publish, one product a transaction ({sample})", sample,
                 *timed(counter, publish_one_by_one)))
    print(f"snapshots: {ProductSnapshot.objects.count()}; load average "
          f"{os.getloadavg()[0]:.2f}; peak RSS {peak_rss_mb():.0f} MB")
    return rows


def table(label: str, rows: list[tuple]) -> str:
    limit = rows[-1][1] / rows[-1][2]  # one product a transaction, in the same run
    lines = [f"{label}", "| step | products/s | per CPU second | per CPU s with the server | "
             f"queries/product | x one-by-one | x target ({TARGET}/s) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, count, clock, cpu, queries, server in rows:
        rate = count / clock
        lines.append(f"| {name} | {rate:,.0f} | {count / cpu:,.0f} | {count / (cpu + server):,.0f}"
                     f" | {queries / count:.2f} | {rate / limit:.1f} | {rate / TARGET:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=100,
                        help="products published one by one, for the comparison")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", default="",
                        help="steps to profile with pyinstrument (build,insert,unchanged,update): "
                             "their text profiles go to bench/out/")
    args = parser.parse_args()
    PROFILED.update(filter(None, args.profile.split(",")))
    if args.postgres:
        with postgres_started() as url:
            setup_django_url(url)
            build(args.products)
            print(table("PostgreSQL", measure("PostgreSQL", args.sample)))
        return
    DB.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild and DB.exists():
        DB.unlink()
    fresh = not DB.exists()
    setup_django_url(f"sqlite:///{DB}")
    if fresh:
        build(args.products)
    print(table("SQLite", measure("SQLite", args.sample)))


if __name__ == "__main__":
    main()
