"""Store screens in Chromium: scan-to-photo time, page weight, and a 10,000-line stock write.

    .venv/bin/python bench/screens.py                    # build the demo catalog once, measure
    .venv/bin/python bench/screens.py --reuse            # measure again on the same catalog
    .venv/bin/python bench/screens.py --reuse --screenshots docs/screenshots

The demo catalog (`load_demo`: 300 products with photos, stores and stock) is built into
`bench/out/screens/`, with PIM_PUBLIC_URL pointing at the bench server so that photo URLs are
the page's own origin. The server is `manage.py runserver` (it serves the media files, as a
CDN or the web server would in production) on loopback. Chromium is Debian's, driven by
Playwright, at 1080x1920 portrait.

- scan to photo: from the Enter of a scan (a keyboard-wedge scanner types the GTIN and Enter)
  to the product painted with its first photo (the `screen-scan` and `screen-painted`
  performance marks of screen.js: the photo loaded, then the next animation frame). Every
  published product once per round, each round in a fresh browser context (cold image
  cache), then the same scans again in the last one (warm).
- page weight: every byte the screen loads from the enrolment link to a product shown (the
  document, script, stylesheet, care pictograms, JSON), photos excepted.
- stock write: one POST of 10,000 lines by a store token to gunicorn (one worker, DEBUG off,
  as in production), as new counts, as newer counts of the same variants, and as the same
  batch again (idempotent).
"""
from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchsupport import OUT, ROOT

WORK = OUT / "screens"
DB = WORK / "db.sqlite3"
STORE = "paris-opera"
LINES = 10_000


def env(port: int) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pim.settings.local",
        "DATABASE_URL": f"sqlite:///{DB}",
        "DJANGO_MEDIA_ROOT": str(WORK / "media"),
        "DJANGO_ORIGINALS_ROOT": str(WORK / "originals"),
        "PIM_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "API_RATE_LIMIT": "1000000/minute",
    }


def manage(port: int, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env(port),
                            capture_output=True, text=True, check=True)
    return result.stdout


def build(port: int) -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    manage(port, "migrate", "--noinput", "-v", "0")
    manage(port, "setup_roles")
    manage(port, "load_demo", "--no-admin")


def django_setup(port: int) -> None:
    os.environ.update(env(port))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def bench_variants() -> list[str]:
    """10,000 variants of a bench style (not published), made once, for the stock write."""
    from catalog.models import Brand, Category, Colour, Product, Season, Variant
    from catalog.models.fields import gtin_check_digit

    product = Product.objects.filter(style_code="BENCH-STOCK").first()
    if product is None:
        product = Product.objects.create(
            style_code="BENCH-STOCK", name="Bench stock", brand=Brand.objects.first(),
            season=Season.objects.first(), category=Category.objects.filter(numchild=0).first())
        colour = Colour.objects.create(product=product, code="BENCH", name="Bench")
        variants = []
        for n in range(LINES):
            body = f"0299{n:08d}"
            variants.append(Variant(colour=colour, size_label=f"B{n}", sku=f"BENCH-{n:05d}",
                                    gtin="0" + body + str(gtin_check_digit(body))))
        Variant.objects.bulk_create(variants, batch_size=1000)
    from catalog.stores.models import StoreStock

    # The first batch inserts every count, as on a store's first day.
    StoreStock.objects.filter(variant__colour__product=product).delete()
    return list(Variant.objects.filter(colour__product=product).order_by("id")
                .values_list("gtin", flat=True))


def tokens(port: int) -> tuple[str, str]:
    from api.stores.services import partner_token_create, screen_enrolment_url, screen_token_create
    from catalog.stores.models import Store

    store = Store.objects.get(code=STORE)
    screen = screen_token_create(store=store, name="bench")
    link = screen_enrolment_url(store=store, raw=screen.raw, base_url=f"http://127.0.0.1:{port}")
    return link, partner_token_create(kind="store", store=store, name="bench").raw


def scan_codes() -> list[tuple[str, str]]:
    """(GTIN, style) of one variant of every product published on the store screens."""
    from catalog.models import PublishedGtin

    seen, codes = set(), []
    for gtin, style in (PublishedGtin.objects.filter(channel__code="store-screens")
                        .order_by("style_code", "gtin").values_list("gtin", "style_code")):
        if style not in seen:
            seen.add(style)
            codes.append((gtin.lstrip("0") if len(gtin.lstrip("0")) == 13 else gtin, style))
    return codes


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"the server did not start on port {port}")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(round(0.95 * len(ordered))) - 1)]


def measure_scans(page, codes) -> list[float]:
    timings = []
    for gtin, style in codes:
        page.click("#home")
        page.wait_for_selector("#idle:not([hidden])")
        page.keyboard.type(gtin)
        page.keyboard.press("Enter")
        page.wait_for_function("() => performance.getEntriesByName('screen-painted').length > 0",
                               timeout=10_000)
        assert page.get_attribute("#product", "data-painted") == style
        timings.append(page.evaluate(
            "() => performance.getEntriesByName('screen-painted')[0].startTime"
            " - performance.getEntriesByName('screen-scan')[0].startTime"))
    return timings


def browse(link: str, codes, screenshots: Path | None, rounds: int) -> dict:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        origin = link.split("/screens/")[0]
        cold, foreign = [], []
        for round_ in range(rounds):
            # A fresh context each round: an empty cache, as a screen's first look at a style.
            context = browser.new_context(viewport={"width": 1080, "height": 1920})
            page = context.new_page()
            sizes: dict[str, int] = {}

            def record(response, sizes=sizes):
                if not response.url.startswith(origin):
                    foreign.append(response.url)
                try:
                    sizes[response.url] = len(response.body())
                except Exception:  # redirects and aborted requests have no body
                    pass

            page.on("response", record)
            page.goto(link)
            page.wait_for_selector("#idle:not([hidden])")
            shell = sum(sizes.values())
            if screenshots and round_ == 0:
                screenshots.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=screenshots / "screen-idle.png")
            cold += measure_scans(page, codes)
            if round_ < rounds - 1:
                context.close()
        json = [size for url, size in sizes.items() if "/products/?code=" in url]
        # The page, its script, stylesheet and every pictogram it drew, plus one product.
        weight = sum(size for url, size in sizes.items()
                     if "/media/" not in url and "/products/?code=" not in url)
        weight += statistics.mean(json)
        photos = sum(size for url, size in sizes.items() if "/media/" in url)
        warm = []
        for _ in range(rounds):
            warm += measure_scans(page, codes)
        if screenshots:
            take_screenshots(page, codes, screenshots)
        browser.close()
    return {"cold": cold, "warm": warm, "weight": weight, "photos": photos, "shell": shell,
            "json": statistics.mean(json), "foreign": foreign}


def take_screenshots(page, codes, folder: Path) -> None:
    """The README's pictures: a product with stock in French, the same in Polish, a failure."""
    gtin, style = max(codes, key=lambda c: c[1])
    page.click("#home")
    page.keyboard.type(gtin)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#product[data-painted='{style}']")
    page.click("#sizes .size.here >> nth=0")
    page.screenshot(path=folder / "screen-product.png")
    page.click("#locales [data-locale='pl']")
    page.wait_for_function("() => document.documentElement.lang === 'pl'")
    page.wait_for_selector(f"#product[data-painted='{style}']")
    page.wait_for_timeout(300)
    page.screenshot(path=folder / "screen-product-pl.png")
    page.click("#home")
    page.keyboard.type("5901234123457")
    page.keyboard.press("Enter")
    page.wait_for_selector("#message:not([hidden])")
    page.screenshot(path=folder / "screen-unknown.png")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.click("#home")
    page.keyboard.type(gtin)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#product[data-painted='{style}']")
    page.screenshot(path=folder / "screen-tablet.png")


def stock_writes(port: int, token: str, gtins: list[str]) -> list[tuple[str, float, dict]]:
    import httpx

    url = f"http://127.0.0.1:{port}/api/v1/stores/{STORE}/stock/"
    headers = {"Authorization": f"Bearer {token}"}
    start = datetime.now(timezone.utc).replace(microsecond=0)
    batches = [
        ("new counts", [{"gtin": g, "quantity": n % 9, "as_of": start.isoformat()}
                        for n, g in enumerate(gtins)]),
        ("newer counts", [{"gtin": g, "quantity": (n + 1) % 9,
                           "as_of": (start + timedelta(minutes=5)).isoformat()}
                          for n, g in enumerate(gtins)]),
    ]
    batches.append(("same batch again", batches[1][1]))
    results = []
    with httpx.Client(timeout=60) as client:
        for name, lines in batches:
            began = time.perf_counter()
            response = client.post(url, json={"lines": lines}, headers=headers)
            elapsed = time.perf_counter() - began
            response.raise_for_status()
            body = response.json()
            results.append((name, elapsed, {k: body[k] for k in ("applied", "unchanged")}))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reuse", action="store_true", help="measure on the catalog built before")
    parser.add_argument("--port", type=int, default=8771)
    parser.add_argument("--screenshots", type=Path, help="also save the README screenshots here")
    parser.add_argument("--rounds", type=int, default=6,
                        help="scans of every published product, each round in a fresh browser")
    args = parser.parse_args()
    if not args.reuse or not DB.exists():
        print("building the demo catalog (load_demo, a few minutes)…", flush=True)
        build(args.port)
    django_setup(args.port)
    gtins = bench_variants()
    link, store_token = tokens(args.port)
    codes = scan_codes()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        cwd=ROOT, env=env(args.port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(args.port)
        seen = browse(link, codes, args.screenshots, args.rounds)
    finally:
        server.terminate()
        server.wait(10)
    # The writes as production serves the API: gunicorn, DEBUG off.
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "pim.wsgi", "-b", f"127.0.0.1:{args.port}", "-w", "1"],
        cwd=ROOT, env={**env(args.port), "DJANGO_DEBUG": "false"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for(args.port)
        import httpx

        # The worker imports Django on its first request: not part of a write.
        httpx.post(f"http://127.0.0.1:{args.port}/api/v1/stores/{STORE}/stock/", json={"lines": []},
                   headers={"Authorization": f"Bearer {store_token}"}, timeout=60)
        writes = stock_writes(args.port, store_token, gtins)
    finally:
        server.terminate()
        server.wait(10)
    cold, warm = seen["cold"], seen["warm"]
    print(f"scans: {len(codes)} products published on store-screens x {args.rounds} rounds, "
          "portrait 1080x1920")
    print(f"scan to first photo, cold image cache: median {statistics.median(cold):.0f} ms, "
          f"p95 {p95(cold):.0f} ms, max {max(cold):.0f} ms")
    print("cold scans, ms, in order:", " ".join(f"{t:.0f}" for t in cold))
    print(f"scan to first photo, warm:             median {statistics.median(warm):.0f} ms, "
          f"p95 {p95(warm):.0f} ms, max {max(warm):.0f} ms")
    print(f"page weight without photos: {seen['weight'] / 1024:.0f} KiB (the idle page "
          f"{seen['shell'] / 1024:.0f} KiB, a product's JSON {seen['json'] / 1024:.1f} KiB on "
          f"average, every care pictogram drawn); photos of {len(codes)} products: "
          f"{seen['photos'] / 1024:.0f} KiB")
    print(f"requests to another host: {len(seen['foreign'])}")
    for name, elapsed, body in writes:
        print(f"stock write, {LINES:,} lines, {name}: {elapsed:.2f} s {body}")


if __name__ == "__main__":
    main()
