"""Translators' files: export and import of about 10,000 XLIFF units.

    .venv/bin/python bench/xliff.py --products 850          # 10,038 units, French
    .venv/bin/python bench/xliff.py --products 1300 --rebuild --xliff 1.2 --dry-run
    BENCH_PG_PORT=25446 .venv/bin/python bench/xliff.py --products 850 --postgres --dry-run

The catalog goes into a throwaway SQLite database (``bench/out/xliff.sqlite3``), built once and
reused (``--rebuild`` starts over), or with ``--postgres`` into a throwaway PostgreSQL server
built anew each run: ``load_demo``'s catalog without its photo and workflow
steps, photos as plain rows with English alt text, and every French text removed, so every
text waits for translation. Then, in this process:

- export: ``translations_export`` of everything waiting in French, to a file;
- every target filled (the source copied with " [fr]" added to each text, inline codes kept),
  as a CAT tool would, outside the measure;
- with ``--dry-run``, import, dry run: ``translations_import(dry_run=True)``, every check,
  nothing stored;
- import: ``translations_import``, through ``translations_write_batch`` 200 products at a
  time, with history, stamps and the completeness recompute that follows the commit.

Each step: seconds, units per second, queries and the growth of resident memory; the export's
peak of Python allocations (tracemalloc) in a second run, since tracing slows Python down
(the dry-run import's too, with ``--dry-run``). Peak resident memory of the process at the
end. Django runs with DEBUG off, as in production (DEBUG keeps every query's text). The
database is restored (French emptied again) after the import, so runs can repeat.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import platform
import resource
import sys
import time
import tracemalloc

from benchsupport import OUT, QueryCounter, postgres_started, setup_django, setup_django_url

DB = OUT / "xliff.sqlite3"


def build(products: int) -> None:
    from django.core.management import call_command
    from django.db import transaction

    from catalog.models import Colour, ProductPhoto
    from media.models import Asset

    started = time.perf_counter()
    call_command("load_demo", products=products, no_admin=True, catalog_only=True,
                 stdout=sys.stderr)
    assets = [Asset.objects.create(kind="image", sha256=f"{n:064x}", file=f"originals/{n}.jpg",
                                   format="JPEG", mime_type="image/jpeg", width=800,
                                   height=1000, byte_size=1)
              for n in range(1, 4)]
    colours = list(Colour.objects.order_by("pk").values_list("pk", "name_en"))
    photos = [ProductPhoto(colour_id=pk, asset=assets[n], position=n + 1,
                           alt_text_en=f"{name} dress, view {n + 1}")
              for pk, name in colours for n in range(1 + pk % 3)]
    with transaction.atomic():
        ProductPhoto.objects.bulk_create(photos, batch_size=2000)
    print(f"built {products} products, {len(photos)} photos in "
          f"{time.perf_counter() - started:.0f} s", file=sys.stderr)


def reset_french() -> None:
    from catalog.models import Colour, Product, ProductPhoto, TranslationStamp
    from catalog.translation import PRODUCT_TRANSLATED_FIELDS

    Product.objects.update(**{f"{name}_fr": "" for name in PRODUCT_TRANSLATED_FIELDS})
    Colour.objects.update(name_fr="")
    ProductPhoto.objects.update(alt_text_fr="")
    TranslationStamp.objects.filter(locale="fr").delete()


def fill(data: bytes) -> bytes:
    """Every target: the source, each text marked " [fr]", its inline codes unchanged."""
    import copy

    from lxml import etree

    root = etree.fromstring(data)
    ns = root.nsmap[None]
    v2 = ns.endswith(":2.0")
    for source in root.iter(f"{{{ns}}}source"):
        parent = source.getparent()
        old = parent.find(f"{{{ns}}}target")
        if old is not None:
            parent.remove(old)
        target = copy.deepcopy(source)
        target.tag = f"{{{ns}}}target"
        for node in target.iter():
            if node.text and node.text.strip():
                node.text += " [fr]"
        parent.insert(parent.index(source) + 1, target)
        if v2:
            parent.set("state", "translated")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def step(name, fn, results, *, traced=False):
    """Time and queries of ``fn``; with ``traced``, the peak of its Python allocations
    instead (tracemalloc slows Python down several times, so it is measured apart)."""
    from django.db import connection

    counter = QueryCounter()
    if traced:
        tracemalloc.start()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - started
    entry = results.setdefault(name, {})
    if traced:
        entry["python_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    else:
        entry.update(seconds=round(seconds, 2), queries=counter.count,
                     rss_growth_mb=round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
                                          - rss_before) / 1024))
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=650)
    parser.add_argument("--xliff", choices=["2.0", "1.2"], default="2.0")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--dry-run", action="store_true", help="also time a dry-run import")
    parser.add_argument("--postgres", action="store_true",
                        help="on a throwaway PostgreSQL server (port BENCH_PG_PORT), built anew")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.postgres:
        with postgres_started() as url:
            setup_django_url(url)
            run(args, fresh=True, database="postgresql")
        return
    if args.rebuild and DB.exists():
        DB.unlink()
    fresh = not DB.exists()
    os.environ.setdefault("DJANGO_DEBUG", "false")
    setup_django(DB)
    run(args, fresh=fresh, database="sqlite")


def run(args, *, fresh: bool, database: str) -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)  # a database built before a new migration too
    if fresh:
        build(args.products)

    from catalog.services.translation_files import translations_export, translations_import

    reset_french()
    results: dict = {}
    out = io.BytesIO()
    units = step("export", lambda: translations_export(locale="fr", user=None, out=out,
                                                        version=args.xliff), results)
    step("export", lambda: translations_export(locale="fr", user=None, out=io.BytesIO(),
                                                version=args.xliff), results, traced=True)
    exported = out.getvalue()
    filled = fill(exported)
    steps = ["export", "import"]
    if args.dry_run:
        dry = step("import_dry_run", lambda: translations_import(file=filled, user=None,
                                                                 dry_run=True), results)
        results["dry_run_counts"] = dry.counts
        step("import_dry_run", lambda: translations_import(file=filled, user=None,
                                                           dry_run=True), results, traced=True)
        steps.insert(1, "import_dry_run")
    report = step("import", lambda: translations_import(file=filled, user=None), results)
    for name in steps:
        results[name]["units_per_second"] = round(units / results[name]["seconds"])
    results.update({
        "database": database, "xliff": args.xliff, "units": units, "file_mb": round(len(exported) / 2**20, 2),
        "import_counts": report.counts,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "python": platform.python_version(),
    })
    reset_french()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
