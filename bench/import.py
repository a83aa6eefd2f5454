"""Bulk import and export of the catalog: our import against the raw limit.

    .venv/bin/python bench/import.py --products 2000                 # SQLite and PostgreSQL
    .venv/bin/python bench/import.py --products 100000 --db postgres --formats csv
    .venv/bin/python bench/import.py --products 2000 --db sqlite --profile import,dry_run
    .venv/bin/python bench/import.py --products 100000 --db sqlite --formats csv --reuse \
        --steps raw,import,reimport          # again on the kept database, without the build

The catalog is ``load_demo --products N --catalog-only`` (100,000 styles is about 930,000
variants). For each database (a throwaway SQLite file in ``bench/out/import/``, and a
PostgreSQL server the script starts itself, as ``.ci/run`` does) and each format, each step
runs in a fresh process, so its peak resident memory is its own:

- export: the whole catalog to the file (``products_export``);
- raw limit: the same rows read from the file and written by ``bulk_create`` into the same
  tables, without validation or history: the fastest the database takes them;
- dry run: the file against an empty catalog (every row checked, everything rolled back);
- first import: the file into the empty catalog;
- re-import unchanged: the same file again (nothing may be written);
- 1 % change: the file with one cell changed on every 100th style.

Prints one JSON line per step and a table; the figures go into bench/README.md.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from benchsupport import OUT, ROOT, peak_rss_mb, postgres_started, setup_django_url

HERE = OUT / "import"
STEPS = ("export", "raw", "dry_run", "import", "reimport", "change")


# ------------------------------------------------------------------------ in the worker
def wipe() -> None:
    """Every product, colour, variant and their rows and history, as before a first import
    (brands, seasons, categories, channels and brand rates stay)."""
    from django.apps import apps
    from django.db import connection, transaction

    from catalog.models import Colour, Product, ShippingRate, Variant

    targets = {Product, Colour, Variant}
    dependants = []
    for model in apps.get_models():
        refs = {f.related_model for f in model._meta.concrete_fields if f.is_relation}
        if model not in targets and refs & targets and model is not ShippingRate:
            dependants.append(model)
    history = [m for m in apps.get_models() if m.__name__.startswith("Historical")
               and m.__name__.removeprefix("Historical") in
               {"Product", "Colour", "Variant", "CompositionLine", "SizeChartRow",
                "ShippingRate"}]
    with transaction.atomic():
        ShippingRate.objects.filter(product__isnull=False)._raw_delete(connection.alias)
        for model in [*dependants, Variant, Colour, Product, *history]:
            model.objects.all()._raw_delete(connection.alias)


def raw_write(path: Path) -> int:
    """The file's rows straight into the tables: no validation, no history."""
    from django.db import transaction

    from catalog.io import products as fmt
    from catalog.io.tables import table_open
    from catalog.models import Colour, CompositionLine, Product, ShippingRate, SizeChartRow, Variant
    from catalog.services.imports import Lookups, header_read

    lookups = Lookups()
    with path.open("rb") as binary:
        table = table_open(binary, max_bytes=1 << 40, max_uncompressed=1 << 40)
        header = header_read(table.header)
        columns = [(i, c) for i, c in enumerate(header.columns) if c]
        rows = 0
        batch: list[list] = []

        def flush():
            products, extras = {}, []
            for style in batch:
                first = style[0].cells
                values = {c.name: first[i] for i, c in columns
                          if c.level == fmt.PRODUCT and i < len(first) and first[i]}
                p = Product(style_code=values["style_code"])
                for name, text in values.items():
                    if name in ("brand", "season", "category", "returns_policy"):
                        setattr(p, name, lookups.find(name, text))
                    elif name == "care":
                        for field, code in fmt.care_parse(text).items():
                            setattr(p, field, code)
                    elif name not in ("composition", "size_chart", "shipping", "style_code"):
                        setattr(p, next(c.field for _, c in columns if c.name == name), text)
                products[p.style_code] = p
                extras.append((p, values, style))
            Product.objects.bulk_create(products.values())
            colours, lines, charts, rates, variants = [], [], [], [], []
            for p, values, style in extras:
                lines += [CompositionLine(product=p, **d) for d in
                          fmt.composition_parse(values.get("composition", ""))]
                charts += [SizeChartRow(product=p, **d) for d in
                           fmt.size_chart_parse(values.get("size_chart", ""))]
                rates += [ShippingRate(product=p, **d) for d in
                          fmt.shipping_parse(values.get("shipping", ""))]
                by_code = {}
                for row in style:
                    code = header.get(row.cells, "colour_code")
                    if code and code not in by_code:
                        colour = Colour(product=p, code=code, position=len(by_code))
                        for i, c in columns:
                            if c.level == fmt.COLOUR and row.cells[i]:
                                setattr(colour, c.field, row.cells[i])
                        by_code[code] = colour
                        colours.append(colour)
                    if header.get(row.cells, "sku"):
                        variants.append((by_code[code], header.get(row.cells, "sku"),
                                         header.get(row.cells, "size"),
                                         header.get(row.cells, "gtin")))
            Colour.objects.bulk_create(colours)
            CompositionLine.objects.bulk_create(lines)
            SizeChartRow.objects.bulk_create(charts)
            ShippingRate.objects.bulk_create(rates)
            Variant.objects.bulk_create([Variant(colour=c, sku=s, size_label=z, gtin=g)
                                         for c, s, z, g in variants], batch_size=2000)

        with transaction.atomic():
            current = None
            for row in table.rows:
                if not any(row.cells):
                    continue
                rows += 1
                code = row.cells[header.index["style_code"]]
                if current and current[0].cells[header.index["style_code"]] == code:
                    current.append(row)
                    continue
                current = [row]
                batch.append(current)
                if len(batch) >= 1000:
                    last = batch.pop()
                    flush()
                    batch = [last]
            flush()
    return rows


def changed_copy(source: Path, target: Path) -> int:
    """`source` with model_size changed on the first row of every 100th style."""
    from catalog.io.tables import table_open, table_writer

    changed = 0
    with source.open("rb") as binary, target.open("wb") as out:
        table = table_open(binary, max_bytes=1 << 40, max_uncompressed=1 << 40)
        writer = table_writer(out, source.suffix.lstrip("."))
        writer.write(table.header)
        style_at, size_at = table.header.index("style_code"), table.header.index("model_size")
        styles, last = 0, None
        for row in table.rows:
            cells = row.cells + [""] * (len(table.header) - len(row.cells))
            if cells[style_at] != last:
                last = cells[style_at]
                styles += 1
                if styles % 100 == 0:
                    cells[size_at] = "XXS" if cells[size_at] != "XXS" else "XS"
                    changed += 1
            writer.write(cells)
        writer.close()
    return changed


def worker(step: str, url: str, fmt_: str, products: int, profile: bool = False) -> dict:
    if not profile:
        return _worker(step, url, fmt_, products)
    from pyinstrument import Profiler

    with Profiler() as profiler:
        result = _worker(step, url, fmt_, products)
    path = HERE / f"profile-{result['db']}-{step}-{fmt_}-{products}.txt"
    path.write_text(profiler.output_text(unicode=True, show_all=False, color=False))
    result["profile"] = str(path.relative_to(ROOT))
    return result


def _worker(step: str, url: str, fmt_: str, products: int) -> dict:
    setup_django_url(url)
    from django.core.management import call_command
    from django.db import connection

    from catalog.models import Colour, Product, Variant
    from catalog.services.imports import products_export, products_import

    data = HERE / f"catalog-{products}.{fmt_}"
    start, cpu = time.perf_counter(), time.process_time()
    result: dict = {"step": step, "format": fmt_, "db": connection.vendor}
    if step == "build":
        call_command("migrate", verbosity=0)
        if Product.objects.count() < products:
            call_command("load_demo", products=products, catalog_only=True, no_admin=True,
                         stdout=io.StringIO())
    elif step == "export":
        with data.open("wb") as out:
            result["rows"] = products_export(binary=out, format=fmt_)
    elif step == "wipe":
        wipe()
    elif step == "raw":
        result["rows"] = raw_write(data)
    elif step in ("dry_run", "import", "reimport", "change"):
        path = data
        if step == "change":
            path = HERE / f"catalog-{products}-changed.{fmt_}"
            result["changed_styles"] = changed_copy(data, path)
            start, cpu = time.perf_counter(), time.process_time()
        with path.open("rb") as binary:
            report = products_import(file=binary, filename=path.name, user=None,
                                     dry_run=step == "dry_run")
        result.update(rows=report.rows, created=report.created, updated=report.updated,
                      unchanged=report.unchanged, problems=report.problem_count)
        if report.problems:
            result["first_problems"] = [p.__dict__ for p in report.problems[:3]]
    result["seconds"] = round(time.perf_counter() - start, 2)
    # This process's CPU (the whole work on SQLite, the client's on PostgreSQL): less
    # swayed than the wall clock by the other work sharing the machine's cores.
    result["cpu_s"] = round(time.process_time() - cpu, 2)
    result["peak_mb"] = round(peak_rss_mb())
    result["variants"] = Variant.objects.count()
    # Every history row the catalog holds: a re-import of the same file must add none.
    result["history_rows"] = sum(m.history.count() for m in (Product, Colour, Variant))
    return result


# -------------------------------------------------------------------------- the driver
PROFILED: set[str] = set()


def step(name: str, url: str, fmt_: str, products: int) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--worker", name, "--url", url, "--format", fmt_,
         "--products", str(products), *(["--profile", name] if name in PROFILED else [])],
        check=True, capture_output=True, text=True, cwd=ROOT)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(result), flush=True)
    return result


def measure(url: str, formats: list[str], products: int, steps=STEPS) -> list[dict]:
    """The steps in their order; the raw limit, the dry run and the first import each start
    from an empty catalog. Without "export", the file of an earlier run is read."""
    results = []
    step("build", url, "csv", products)
    for fmt_ in formats:
        done, previous = {}, None
        for name in steps:
            if name in ("raw", "dry_run", "import") and previous != "dry_run":
                step("wipe", url, fmt_, products)
            done[name] = step(name, url, fmt_, products)
            previous = name
        rows = next((r["rows"] for r in done.values() if r.get("rows")), None)
        raw = done.get("raw")
        for r in done.values():
            r["rows_per_s"] = round(rows / r["seconds"]) if rows and r["seconds"] else None
            r["ratio_to_raw"] = (round(raw["seconds"] / r["seconds"], 3)
                                 if raw and r["seconds"] else None)
            r["cpu_ratio_to_raw"] = (round(raw["cpu_s"] / r["cpu_s"], 3)
                                     if raw and r["cpu_s"] else None)
            results.append(r)
    return results


def table(results: list[dict]) -> str:
    lines = ["| db | format | step | s | rows/s | ratio to raw | CPU s | CPU ratio to raw | "
             "peak RSS MB | notes |", "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for r in results:
        notes = ", ".join(f"{k} {r[k]}" for k in ("created", "updated", "unchanged",
                                                  "problems", "changed_styles", "history_rows")
                          if k in r)
        lines.append(f"| {r['db']} | {r['format']} | {r['step']} | {r['seconds']} | "
                     f"{r['rows_per_s']} | {r['ratio_to_raw']} | {r['cpu_s']} | "
                     f"{r['cpu_ratio_to_raw']} | {r['peak_mb']} | {notes} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--worker")
    parser.add_argument("--url")
    parser.add_argument("--format", default="csv")
    parser.add_argument("--steps", default=",".join(STEPS),
                        help="the steps to run, in their order (export,raw,dry_run,import,"
                             "reimport,change); without export, an earlier run's file is read")
    parser.add_argument("--reuse", action="store_true",
                        help="keep the databases (the SQLite file, the PostgreSQL server in "
                             "bench/out/import/) for the next run, which skips the build")
    parser.add_argument("--profile", default="",
                        help="steps to profile with pyinstrument (import,dry_run...): the "
                             "text profile of each goes to bench/out/import/")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.url, args.format, args.products,
                                profile=args.profile == args.worker)))
        return
    PROFILED.update(filter(None, args.profile.split(",")))
    HERE.mkdir(parents=True, exist_ok=True)
    formats = args.formats.split(",")
    results = []
    load = "load average at the start %.2f %.2f %.2f" % os.getloadavg()
    steps = [s for s in STEPS if s in args.steps.split(",")]
    if args.db in ("sqlite", "both"):
        db = HERE / f"bench-{args.products}.sqlite3"
        if not args.reuse:
            db.unlink(missing_ok=True)
        results += measure(f"sqlite:///{db}", formats, args.products, steps)
    if args.db in ("postgres", "both"):
        keep = HERE / f"pg-{args.products}" if args.reuse else None
        with postgres_started(keep=keep) as url:
            results += measure(url, formats, args.products, steps)
    print(table(results))
    print(load + ", at the end %.2f %.2f %.2f" % os.getloadavg())


if __name__ == "__main__":
    main()
