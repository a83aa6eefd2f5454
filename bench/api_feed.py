"""Syndication feed and detail: the API over HTTP against the raw limit, in the same run.

    .venv/bin/python bench/api_feed.py                 # 20,000 products, 3 gunicorn workers

A fresh SQLite database under bench/out/api_feed/ gets 20,000 published snapshots (bulk
insert, payloads shaped like the publishing builder's, about 4 KB each). A real gunicorn
server on loopback serves the API. Measured:

- feed:   a full pull following `next` links (page_size 1000), products/s, against the same
          rows read with raw SQL and dumped with orjson (the snapshot text as is), same run;
- memory: peak resident memory of the server (master + workers) during the pull;
- detail: requests/s and latency (p50, p95) of the product detail endpoint under concurrent
          load on loopback (wrk with a Lua script over random styles when Debian's wrk is
          installed, else threaded httpx clients), for 200 and for 304 (If-None-Match).
"""
from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out" / "api_feed"
DB = OUT / "api_feed.sqlite3"


def django_env() -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pim.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"sqlite:///{DB}",
        "API_RATE_LIMIT": "100000000/minute",
        "DATABASE_CONN_MAX_AGE": "60",  # as in production settings
    }


def payload(style_code: str, n: int, now) -> dict:
    colours = []
    for c, (code, name) in enumerate([("RED", "Red"), ("BLK", "Black")]):
        colours.append({
            "code": code, "name": name,
            "photos": [
                {"role": role, "alt": f"{name} dress, {role}",
                 "renditions": {
                     "fill-800x1000|format-webp": {
                         "url": f"pim-media:renditions/{n % 256:02x}/{c}{i}/{n:06d}{c}{i}a.webp",
                         "width": 800, "height": 1000},
                     "max-2000": {
                         "url": f"pim-media:renditions/{n % 256:02x}/{c}{i}/{n:06d}{c}{i}b.jpg",
                         "width": 1600, "height": 2000},
                 }}
                for i, role in enumerate(["front", "back", "detail", "on_model"])
            ],
            "variants": [
                {"sku": f"{style_code}-{code}-{size}", "gtin": f"0590{n:06d}{c}{s}00", "size": size}
                for s, size in enumerate(["XS", "S", "M", "L", "XL"])
            ],
        })
    return {
        "style_code": style_code, "name": f"Linen dress {n}",
        "brand": {"code": "maison", "name": "Maison Demo"},
        "season": {"code": "SS25", "name": "Spring-Summer 2025"},
        "category": {"id": 7, "path": ["Women", "Dresses", "Long dresses"]},
        "colours": colours,
        "composition": [{"part": "shell", "fibre": "flax", "percentage": 100}],
        "material_text": "Washed linen, 180 g/m².",
        "fit": {"type": "relaxed", "description": "Relaxed through the body.",
                "model_height_cm": 178, "model_size": "M"},
        "size_chart": {"basis": "body", "advice": "True to size.", "rows": [
            {"size": s, "eu": str(34 + 2 * i), "it": str(38 + 2 * i), "fr": str(34 + 2 * i),
             "uk": str(6 + 2 * i), "us": str(2 + 2 * i), "jp": None,
             "measurements_cm": {"chest": 80 + 4 * i, "waist": 62 + 4 * i}}
            for i, s in enumerate(["XS", "S", "M", "L", "XL"])]},
        "description_html": "<p>A long dress in washed linen, with a relaxed fit.</p>",
        "care": {"symbols": {"washing": "wash_30", "bleaching": "do_not_bleach",
                             "drying": "line_dry", "ironing": "iron_110",
                             "professional": "dry_clean_p"}, "text": "Wash at 30 °C."},
        "returns": {"returnable": True, "days": 30, "free": True, "conditions": "Unworn."},
        "shipping": [{"country": "FR", "cost": "4.95", "currency": "EUR", "min_days": 2,
                      "max_days": 4}],
        "video": None, "social_images": [],
        "ratings": {"average": 4.5, "count": 12},
        "published_at": now.isoformat(), "version": 1,
    }


def prepare(products: int, reuse: bool) -> tuple[str, list[str], int]:
    """A database with `products` published snapshots; returns a token, the codes, the channel."""
    OUT.mkdir(parents=True, exist_ok=True)
    keep = reuse and DB.exists()
    if not keep:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ.update(django_env())
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from api.services import channel_token_create
    from catalog.models import Channel, ProductSnapshot, SnapshotSequence

    if keep:
        channel = Channel.objects.get(code="webshop")
        codes = list(ProductSnapshot.objects.order_by("id").values_list("style_code", flat=True))
        assert len(codes) == products, f"the kept database has {len(codes)} products"
        return channel_token_create(channel=channel, name="bench").raw, codes, channel.pk

    call_command("migrate", verbosity=0)
    channel = Channel.objects.create(code="webshop", name="Web shop", locales=["en"])
    now = timezone.now()
    codes = [f"WD-25-{n:05d}" for n in range(products)]
    batch = []
    for n, code in enumerate(codes):
        moment = now - timedelta(seconds=products - n)
        batch.append(ProductSnapshot(
            channel=channel, style_code=code, locale="en", payload=payload(code, n, moment),
            version=1, published_at=moment, updated_at=moment, sequence=n + 1,
        ))
        if len(batch) == 2000:
            ProductSnapshot.objects.bulk_create(batch)
            batch = []
    ProductSnapshot.objects.bulk_create(batch)
    SnapshotSequence.objects.update_or_create(pk=1, defaults={"value": products})
    token = channel_token_create(channel=channel, name="bench").raw
    return token, codes, channel.pk


def raw_dump(channel_id: int) -> tuple[int, float, int]:
    """The limit: the same rows read with raw SQL, dumped with orjson as they are stored."""
    import orjson

    started = time.perf_counter()
    db = sqlite3.connect(DB)
    rows = db.execute(
        "SELECT payload FROM catalog_productsnapshot WHERE channel_id = ? AND locale = 'en' "
        "AND NOT deleted ORDER BY sequence, id", (channel_id,),
    ).fetchall()
    body = orjson.dumps([orjson.Fragment(text) for (text,) in rows])
    elapsed = time.perf_counter() - started
    db.close()
    return len(rows), elapsed, len(body)


def rss_kib(pids) -> int:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total


def server_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [master, *map(int, children.read_text().split())] if children.exists() else [master]


class MemoryWatch(threading.Thread):
    def __init__(self, master):
        super().__init__(daemon=True)
        self.master, self.peak, self.running = master, 0, True

    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_kib(server_pids(self.master)))
            time.sleep(0.02)


def full_pull(base: str, token: str, page_size: int, *, parse: bool) -> tuple[int, float, int]:
    """Every page over one keep-alive connection (http.client), following `next` (parse) or
    the Link header (bytes only: the count comes from the parsing pull)."""
    import http.client
    from urllib.parse import urlsplit

    import orjson

    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"Authorization": f"Bearer {token}"}
    count, pages = 0, 0
    started = time.perf_counter()
    path = f"/api/v1/channels/webshop/products/?page_size={page_size}"
    while path:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200, body[:200]
        pages += 1
        if parse:
            page = orjson.loads(body)
            count += len(page["results"])
            url = page["next"]
        else:
            link = response.getheader("Link")
            url = link[1:link.index(">")] if link else None
        path = None
        if url:
            split = urlsplit(url)
            path = f"{split.path}?{split.query}"
    connection.close()
    return count or None, time.perf_counter() - started, pages


def detail_load(base, token, codes, *, etags: bool, requests: int, concurrency: int):
    import httpx

    from api.v1.views import snapshot_etag

    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    per_thread = requests // concurrency

    def worker(seed):
        rng = random.Random(seed)
        mine, seen = [], {}
        with httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=30) as client:
            for _ in range(per_thread):
                code = rng.choice(codes)
                headers = {}
                if etags:
                    headers["If-None-Match"] = snapshot_etag(
                        channel="webshop", locale="en", style_code=code, version=1
                    )
                t0 = time.perf_counter()
                response = client.get(
                    f"{base}/api/v1/channels/webshop/products/{code}/", headers=headers
                )
                mine.append(time.perf_counter() - t0)
                seen[response.status_code] = seen.get(response.status_code, 0) + 1
        with lock:
            latencies.extend(mine)
            for k, v in seen.items():
                statuses[k] = statuses.get(k, 0) + v

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies), "rps": len(latencies) / elapsed, "statuses": statuses,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


WRK_SCRIPT = """
local items = dofile("%(table)s")
local token = "%(token)s"
local etags = %(etags)s
math.randomseed(%(seed)d)
request = function()
  local item = items[math.random(#items)]
  local headers = {["Authorization"] = "Bearer " .. token}
  if etags then headers["If-None-Match"] = item[2] end
  return wrk.format("GET", item[1], headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%d %%d %%f %%f %%d %%d\\n", summary.requests,
    summary.duration, latency:percentile(50), latency:percentile(95),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.timeout))
end
"""


def detail_load_wrk(base, token, codes, *, etags: bool, seconds: int, concurrency: int):
    """The same load from wrk (C, two threads): the load generator costs little CPU."""
    from api.v1.views import snapshot_etag

    table = OUT / "detail_items.lua"
    lines = ["return {"]
    for code in codes:
        etag = snapshot_etag(channel="webshop", locale="en", style_code=code, version=1)
        path = f"/api/v1/channels/webshop/products/{code}/"
        lines.append(f'{{"{path}", [[{etag}]]}},')
    lines.append("}")
    table.write_text("\n".join(lines))
    script = OUT / "detail.lua"
    script.write_text(WRK_SCRIPT % {"table": table, "token": token,
                                    "etags": "true" if etags else "false", "seed": 7})
    out = subprocess.run(
        ["wrk", "-t2", f"-c{concurrency}", f"-d{seconds}s", "-s", str(script), base],
        capture_output=True, text=True, check=True,
    ).stdout
    line = next(l for l in out.splitlines() if l.startswith("RESULT"))
    requests, duration_us, p50_us, p95_us, bad_status, errors = line.split()[1:]
    return {
        "requests": int(requests), "rps": int(requests) / (int(duration_us) / 1e6),
        "p50_ms": float(p50_us) / 1000, "p95_ms": float(p95_us) / 1000,
        "statuses": f"non-2xx/3xx: {bad_status}, socket errors: {errors}",
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=4000, help="detail requests per mode")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seconds", type=int, default=15, help="wrk duration per mode")
    parser.add_argument("--python-client", action="store_true",
                        help="load the detail endpoint with httpx threads even if wrk exists")
    parser.add_argument("--reuse", action="store_true", help="keep the last run's database")
    args = parser.parse_args()

    t0 = time.perf_counter()
    token, codes, channel_id = prepare(args.products, reuse=args.reuse)
    print(f"prepared {args.products} snapshots in {time.perf_counter() - t0:.1f} s")
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pim.wsgi", "-b", f"127.0.0.1:{args.port}",
         "-w", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=django_env(),
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        import httpx

        for _ in range(100):
            try:
                httpx.get(f"{base}/api/v1/schema/", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        for _ in range(args.workers):  # warm every worker's imports and memory
            full_pull(base, token, args.page_size, parse=False)
        watch = MemoryWatch(server.pid)
        idle = rss_kib(server_pids(server.pid))
        watch.start()
        count, parsed_s, pages = full_pull(base, token, args.page_size, parse=True)
        _, streamed_s, _ = full_pull(base, token, args.page_size, parse=False)
        watch.running = False
        watch.join()
        raw_count, raw_s, raw_bytes = raw_dump(channel_id)
        assert count == raw_count == args.products, (count, raw_count)
        raw_rate = raw_count / raw_s
        print(f"raw SQL + orjson dump: {raw_rate:,.0f} products/s ({raw_s:.2f} s, "
              f"{raw_bytes / 1e6:.1f} MB)")
        for label, seconds in (("following Link headers", streamed_s),
                               ("parsing every page with orjson", parsed_s)):
            rate = count / seconds
            print(f"feed over HTTP, client {label}: {rate:,.0f} products/s "
                  f"({pages} pages, {seconds:.2f} s); ratio to raw {rate / raw_rate:.0%}")
        print(f"server memory: {idle / 1024:.0f} MiB idle, peak {watch.peak / 1024:.0f} MiB "
              f"during the pull (master + {args.workers} workers)")
        use_wrk = shutil.which("wrk") and not args.python_client
        for etags in (False, True):
            if use_wrk:
                result = detail_load_wrk(base, token, codes, etags=etags, seconds=args.seconds,
                                         concurrency=args.concurrency)
            else:
                result = detail_load(base, token, codes, etags=etags, requests=args.requests,
                                     concurrency=args.concurrency)
            print(f"detail {'304' if etags else '200'} ({'wrk' if use_wrk else 'httpx threads'}): "
                  f"{result['rps']:,.0f} requests/s, p50 {result['p50_ms']:.1f} ms, "
                  f"p95 {result['p95_ms']:.1f} ms ({result['requests']} requests, "
                  f"{args.concurrency} connections, {result['statuses']})")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
