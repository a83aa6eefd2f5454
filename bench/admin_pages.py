"""The product page in the admin: server time, HTML weight and queries of a large product.

    .venv/bin/python bench/admin_pages.py                 # SQLite, 40 loads
    .venv/bin/python bench/admin_pages.py --postgres      # a throwaway PostgreSQL (BENCH_PG_PORT)
    .venv/bin/python bench/admin_pages.py --profile       # also the functions that cost most

A product of 4 colours x 10 photos x 8 sizes (a size chart of 8 rows in 6 systems and 5
measurements, 3 composition lines, 3 shipping overrides, 3 channels in 4 locales) is built
in a fresh database; its change page is loaded through Django's test client by a superuser,
DEBUG off, in process, after loading ``pim/wsgi.py`` as a server does (``--no-freeze``: without
its ``gc.freeze()``): the time is the server's (the request through the middleware, the
admin view, the templates), without a network or a browser. The admin's index page is
loaded as often in the same run, as the reference of what any admin page costs on this
machine now: the product page's figures are given as ratios to it and to the target. "CPU"
is the median process time of a load (on SQLite it includes the database's work), steadier
than wall time when other jobs share the cores.
"""
from __future__ import annotations

import argparse
import io
import os
import sys
import tempfile
from contextlib import nullcontext

from benchsupport import QueryCounter, page_loads, postgres_started, setup_django_url

TARGET_MS = 150
TARGET_KB = 150


def jpeg(i: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (120, 150), (20 + 7 * i % 230, 60, 90)).save(out, "JPEG")
    return out.getvalue()


def build():
    """The product, its rows, photos with their thumbnails, and completeness computed."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from catalog.models import (Brand, Category, Channel, Colour, CompositionLine, Product,
                                Season, ShippingRate, SizeChartRow, Variant)
    from catalog.services.photos import photo_add
    from media import conf as media_settings
    from catalog.services.completeness import completeness_recompute
    from media.services.renditions import renditions_generate

    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "bench")
    root = Category.objects.add_root(instance=Category(name="Women"))
    category = Category.objects.add_child(root, instance=Category(name="Dresses"))
    for code in ("webshop", "marketplace", "store-screens"):
        Channel.objects.get_or_create(code=code, defaults={
            "name": code.title(), "locales": ["en", "fr", "pl", "zh-hans"],
            "markets": ["FR", "PL", "GB"]})
    product = Product.objects.create(
        style_code="WD-24-0193", name_en="Long linen dress", name_fr="Robe longue en lin",
        brand=Brand.objects.create(code="maison", name="Maison"), season=Season.objects.create(code="SS24",
                                                                               name="SS24"),
        category=category, description_en="<p>A long dress in washed linen.</p>",
        fit_type="regular", care_washing="wash_30")
    sizes = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "3XL"]
    for i, size in enumerate(sizes):
        SizeChartRow.objects.create(product=product, size_label=size, position=i, eu=str(32 + 2 * i),
                                    fr=str(34 + 2 * i), it=str(36 + 2 * i), uk=str(4 + 2 * i),
                                    us=str(2 * i), jp=str(3 + 2 * i), chest_cm=80 + 4 * i,
                                    waist_cm=62 + 4 * i, hips_cm=88 + 4 * i, length_cm=120)
    for i, (part, fibre, pct) in enumerate([("shell", "linen", 100), ("lining", "cotton", 60),
                                            ("lining", "viscose", 40)]):
        CompositionLine.objects.create(product=product, part=part, fibre=fibre, percentage=pct,
                                       position=i)
    for country in ("FR", "PL", "GB"):
        ShippingRate.objects.create(product=product, country=country, cost="4.90",
                                    currency="EUR", min_days=2, max_days=5)
    gtin = 590123412345
    for c, code in enumerate(["RED", "BLK", "NAV", "SND"]):
        colour = Colour.objects.create(product=product, code=code, name_en=code.title(),
                                       position=c)
        for i, size in enumerate(sizes):
            gtin += 1
            body = str(gtin)
            check = (10 - sum(int(d) * (3 if k % 2 else 1) for k, d in enumerate(body)) % 10) % 10
            Variant.objects.create(colour=colour, size_label=size, sku=f"WD-{code}-{size}",
                                   gtin=body + str(check))
        for i in range(10):
            photo = photo_add(colour=colour, file=SimpleUploadedFile(
                f"{code}{i}.jpg", jpeg(c * 10 + i)), alt_text={"en": f"{code} photo {i}"})
            renditions_generate(asset=photo.asset,
                                specs=[media_settings.get("MEDIA_THUMBNAIL_SPEC")])
    product.refresh_from_db()
    completeness_recompute(product_ids=[product.pk])
    return user, product


def measure(client, url: str, runs: int, counter: QueryCounter) -> dict:
    loads = page_loads(client, url, runs, counter)
    loads["html"] = loads.pop("response").content
    loads["bytes"] = len(loads["html"])
    return loads


def colour_photos_bytes(html: bytes) -> int:
    """The HTML of the first colour's photos: from their group to the variants' group."""
    start = html.index(b'id="colours-0-photos-group"')
    return html.index(b'id="colours-0-variants-group"', start) - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--html", help="also write the product page's HTML to this file")
    parser.add_argument("--no-freeze", action="store_true",
                        help="without the garbage collector's freeze of pim/wsgi.py")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="pim-bench-admin.")
    os.environ["DJANGO_MEDIA_ROOT"] = os.path.join(work, "media")
    os.environ["DJANGO_ORIGINALS_ROOT"] = os.path.join(work, "originals")
    with (postgres_started() if args.postgres else nullcontext(f"sqlite:///{work}/db.sqlite3")) as url:
        setup_django_url(url)
        if not args.no_freeze:
            import pim.wsgi  # noqa: F401  the server's process: the application loaded, frozen
        from django.test import Client
        from django.urls import reverse

        user, product = build()
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        counter = QueryCounter()
        page_url = reverse("admin:catalog_product_change", args=[product.pk])
        index = measure(client, reverse("admin:index"), args.runs, counter)
        page = measure(client, page_url, args.runs, counter)
        load = os.getloadavg()
        print(f"database: {'PostgreSQL' if args.postgres else 'SQLite'}; {args.runs} loads each;"
              f" collector {'not ' if args.no_freeze else ''}frozen at startup; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}; {os.cpu_count()} cores")
        print(f"admin index (reference): p50 {index['p50']:.1f} ms, p95 {index['p95']:.1f} ms, "
              f"CPU {index['cpu']:.1f} ms, "
              f"{index['bytes'] / 1024:.1f} KiB, queries {index['queries']}")
        print(f"product page (4 colours x 10 photos x 8 sizes): p50 {page['p50']:.1f} ms, "
              f"p95 {page['p95']:.1f} ms = {page['p95'] / TARGET_MS:.2f} of the {TARGET_MS} ms "
              f"target, CPU {page['cpu']:.1f} ms = {page['cpu'] / TARGET_MS:.2f} of the "
              f"target, {page['p95'] / index['p95']:.1f} x the index; HTML "
              f"{page['bytes'] / 1024:.1f} KiB = {page['bytes'] / 1000 / TARGET_KB:.2f} of the "
              f"{TARGET_KB} KB target; queries {page['queries']}")
        print(f"photos of one colour (10): HTML {colour_photos_bytes(page['html']) / 1024:.1f} KiB")
        if args.html:
            with open(args.html, "wb") as out:
                out.write(client.get(page_url).content)
        if args.profile:
            import cProfile
            import pstats

            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(10):
                client.get(page_url)
            profiler.disable()
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
