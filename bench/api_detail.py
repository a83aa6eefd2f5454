"""The API's product detail from the stored snapshot: server time per request, by WSGI.

    .venv/bin/python bench/api_detail.py                       # 3,000 products, SQLite
    .venv/bin/python bench/api_detail.py --postgres            # on a PostgreSQL it starts
    .venv/bin/python bench/api_detail.py --profile 200         # pyinstrument, bench/out/

The catalog is ``load_demo``'s (``--catalog-only``), published on its three channels in
batches; the SQLite one goes into ``bench/out/api_detail.sqlite3`` and is reused (``--rebuild``
starts over), ``--postgres`` starts its own server (``BENCH_PG_PORT``) and builds it there.

Each request goes through Django's WSGI handler in this process, as gunicorn calls it (the
whole middleware stack, token authentication, the rate limit in the default cache, content
negotiation, the conditional and gzip decorators), for a random published style in French, and
is timed from the call to the last byte of its body. Measured for a 200, a 200 gzipped and a
304 (``If-None-Match`` with the ETag of a first request): median, 95th percentile, the median
CPU time of this process (the database server's is not in it: on PostgreSQL it runs apart)
and queries per request, with the ratio of each median and p95 to the 5 ms limit. The rate limit is raised
for the run (``API_RATE_LIMIT``), so that it keeps counting without refusing; connections are
kept between requests (``DATABASE_CONN_MAX_AGE=60``, as in production settings).
"""
from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import time

from benchsupport import OUT, QueryCounter, postgres_started, setup_django_url

DB = OUT / "api_detail.sqlite3"
LIMIT_MS = 5.0


def build(products: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from catalog.models import Channel, Product
    from catalog.services.publishing import PUBLISH_BATCH, snapshots_publish_batch

    call_command("migrate", verbosity=0)
    call_command("load_demo", products=products, no_admin=True, catalog_only=True)
    channels = list(Channel.objects.order_by("code"))
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), PUBLISH_BATCH):
        with transaction.atomic():
            snapshots_publish_batch(
                products=Product.objects.filter(pk__in=ids[start:start + PUBLISH_BATCH]),
                channels=channels)


def environ_for(path: str, query: str, headers: dict[str, str]) -> dict:
    from wsgiref.util import setup_testing_defaults

    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": query,
               "HTTP_HOST": "localhost", "SERVER_NAME": "localhost", "SERVER_PORT": "80",
               "wsgi.input": io.BytesIO(), **headers}
    setup_testing_defaults(environ)
    return environ


def call(handler, environ: dict) -> tuple[str, dict, bytes]:
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer["status"], answer["headers"] = status, dict(headers)

    response = handler(environ, start_response)
    try:
        body = b"".join(response)
    finally:
        getattr(response, "close", lambda: None)()
    return answer["status"], answer["headers"], body


def measure(label: str, requests: int, profile: int) -> list[tuple]:
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from api.services import channel_token_create
    from catalog.models import Channel, ProductSnapshot

    webshop = Channel.objects.get(code="webshop")
    token = channel_token_create(channel=webshop, name=f"bench-api-detail-{time.time()}").raw
    styles = list(ProductSnapshot.objects.filter(channel=webshop, locale="fr", deleted=False)
                  .values_list("style_code", flat=True))
    print(f"{label}: {len(styles):,} styles published on webshop; load average "
          f"{os.getloadavg()[0]:.2f}")
    handler, counter, auth = WSGIHandler(), QueryCounter(), {"HTTP_AUTHORIZATION":
                                                             f"Bearer {token}"}
    rng = random.Random(14)

    def path(style: str) -> str:
        return f"/api/v1/channels/webshop/products/{style}/"

    etags = {}
    for style in rng.sample(styles, min(len(styles), requests)):  # warm, and the ETags
        status, headers, _ = call(handler, environ_for(path(style), "locale=fr", auth))
        assert status.startswith("200"), status
        etags[style] = headers["ETag"]
    modes = [
        ("200", "200", lambda style: {}),
        ("200 gzipped", "200", lambda style: {"HTTP_ACCEPT_ENCODING": "gzip"}),
        ("304 (If-None-Match)", "304", lambda style: {"HTTP_IF_NONE_MATCH": etags[style]}),
    ]
    rows = []
    for name, expected, extra in modes:
        times, cpu, queries = [], [], 0
        with connection.execute_wrapper(counter):
            for style in rng.choices(list(etags), k=requests):
                environ = environ_for(path(style), "locale=fr", {**auth, **extra(style)})
                began, began_cpu = time.perf_counter(), time.process_time()
                status, _, _ = call(handler, environ)
                times.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
                assert status.startswith(expected), (name, status)
            queries = counter.reset()
        times.sort()
        rows.append((name, statistics.median(times), times[int(len(times) * 0.95) - 1],
                     statistics.median(cpu), queries / requests))
    if profile:
        from pyinstrument import Profiler

        picked = rng.choices(list(etags), k=profile)
        with Profiler(interval=0.0001) as profiler:
            for style in picked:
                call(handler, environ_for(path(style), "locale=fr", auth))
        out = OUT / f"profile-api-detail-{connection.vendor}.txt"
        out.write_text(profiler.output_text(unicode=True, show_all=False, color=False))
        print(f"profile of {profile} requests (200): {out}")
    print(f"load average after {os.getloadavg()[0]:.2f}")
    return rows


def table(label: str, requests: int, rows: list[tuple]) -> str:
    lines = [f"{label}, {requests} requests a mode",
             "| request | median | p95 | CPU median | queries | median / 5 ms | p95 / 5 ms |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, median, p95, cpu, queries in rows:
        lines.append(f"| {name} | {median:.2f} ms | {p95:.2f} ms | {cpu:.2f} ms | "
                     f"{queries:.2f} | {median / LIMIT_MS:.2f} | {p95 / LIMIT_MS:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=500, help="per mode")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", type=int, default=0, metavar="N",
                        help="then profile N requests (200) with pyinstrument")
    args = parser.parse_args()
    os.environ["API_RATE_LIMIT"] = "1000000/hour"
    os.environ["DATABASE_CONN_MAX_AGE"] = "60"  # as in production settings
    if args.postgres:
        with postgres_started() as url:
            setup_django_url(url)
            build(args.products)
            print(table("PostgreSQL", args.requests,
                        measure("PostgreSQL", args.requests, args.profile)))
        return
    DB.parent.mkdir(parents=True, exist_ok=True)
    if args.rebuild and DB.exists():
        DB.unlink()
    fresh = not DB.exists()
    setup_django_url(f"sqlite:///{DB}")
    if fresh:
        build(args.products)
    print(table("SQLite", args.requests, measure("SQLite", args.requests, args.profile)))


if __name__ == "__main__":
    main()
