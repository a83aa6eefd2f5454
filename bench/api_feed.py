"""Syndication feed and detail: the API over HTTP against the raw limit, in the same run.

    .venv/bin/python bench/api_feed.py                 # 20,000 products, 3 gunicorn workers

A fresh SQLite database under bench/out/api_feed/ gets 20,000 published snapshots (bulk
insert, payloads shaped like the publishing builder's, about 2.5 KB each). A real gunicorn
server on loopback serves the API. Measured:

- feed:   a full pull following `next` links (page_size 1000), products/s, against the same
          rows read with raw SQL and dumped with orjson (the snapshot text as is), same run;
- memory: peak resident memory of the server (master + workers) during the pull;
- detail: requests/s and latency (p50, p95) of the product detail endpoint under a
          concurrent threaded httpx client on loopback, for 200 and for 304 (If-None-Match).
"""
from __future__ import annotations

import argparse
import os
import random
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
    }


def payload(style_code: str, n: int, now) -> dict:
    colours = []
    for c, (code, name) in enumerate([("RED", "Red"), ("BLK", "Black")]):
        colours.append({
            "code": code, "name": name,
            "photos": [
                {"role": role, "alt": f"{name} dress, {role}",
                 "renditions": {
                     "fill-800x1000|format-webp": f"https://cdn.example.com/r/{n:06d}{c}{i}a.webp",
                     "max-2000": f"https://cdn.example.com/r/{n:06d}{c}{i}b.jpg",
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


def prepare(products: int) -> tuple[str, list[str]]:
    """A fresh database with `products` published snapshots; returns a token and the codes."""
    OUT.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{DB}{suffix}").unlink(missing_ok=True)
    os.environ.update(django_env())
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from api.services import channel_token_create
    from catalog.models import Channel, ProductSnapshot

    call_command("migrate", verbosity=0)
    channel = Channel.objects.create(code="webshop", name="Web shop", locales=["en"])
    now = timezone.now()
    codes = [f"WD-25-{n:05d}" for n in range(products)]
    batch = []
    for n, code in enumerate(codes):
        moment = now - timedelta(seconds=products - n)
        batch.append(ProductSnapshot(
            channel=channel, style_code=code, locale="en", payload=payload(code, n, moment),
            version=1, published_at=moment, updated_at=moment,
        ))
        if len(batch) == 2000:
            ProductSnapshot.objects.bulk_create(batch)
            batch = []
    ProductSnapshot.objects.bulk_create(batch)
    token = channel_token_create(channel=channel, name="bench").raw
    return token, codes, channel.pk


def raw_dump(channel_id: int) -> tuple[int, float, int]:
    """The limit: the same rows read with raw SQL, dumped with orjson as they are stored."""
    import orjson

    started = time.perf_counter()
    db = sqlite3.connect(DB)
    rows = db.execute(
        "SELECT payload FROM catalog_productsnapshot WHERE channel_id = ? AND locale = 'en' "
        "AND NOT deleted ORDER BY updated_at, id", (channel_id,),
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


def full_pull(base: str, token: str, page_size: int) -> tuple[int, float, int]:
    import httpx
    import orjson

    headers = {"Authorization": f"Bearer {token}"}
    count, pages = 0, 0
    started = time.perf_counter()
    with httpx.Client(headers=headers, timeout=60) as client:
        url = f"{base}/api/v1/channels/webshop/products/?page_size={page_size}"
        while url:
            response = client.get(url)
            response.raise_for_status()
            body = orjson.loads(response.content)
            count += len(body["results"])
            pages += 1
            url = body["next"]
    return count, time.perf_counter() - started, pages


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--page-size", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=4000, help="detail requests per mode")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()

    t0 = time.perf_counter()
    token, codes, channel_id = prepare(args.products)
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
        full_pull(base, token, args.page_size)  # warm every worker's imports and caches
        watch = MemoryWatch(server.pid)
        idle = rss_kib(server_pids(server.pid))
        watch.start()
        count, api_s, pages = full_pull(base, token, args.page_size)
        watch.running = False
        watch.join()
        raw_count, raw_s, raw_bytes = raw_dump(channel_id)
        assert count == raw_count == args.products, (count, raw_count)
        api_rate, raw_rate = count / api_s, raw_count / raw_s
        print(f"feed: API {api_rate:,.0f} products/s ({pages} pages, {api_s:.2f} s); "
              f"raw SQL + orjson {raw_rate:,.0f} products/s ({raw_s:.2f} s, "
              f"{raw_bytes / 1e6:.1f} MB); ratio {api_rate / raw_rate:.0%}")
        print(f"server memory: {idle / 1024:.0f} MiB idle, peak {watch.peak / 1024:.0f} MiB "
              f"during the pull (master + {args.workers} workers)")
        for etags in (False, True):
            result = detail_load(base, token, codes, etags=etags, requests=args.requests,
                                 concurrency=args.concurrency)
            print(f"detail {'304' if etags else '200'}: {result['rps']:,.0f} requests/s, "
                  f"p50 {result['p50_ms']:.1f} ms, p95 {result['p95_ms']:.1f} ms "
                  f"({result['requests']} requests, {args.concurrency} clients, "
                  f"statuses {result['statuses']})")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
