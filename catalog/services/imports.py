"""Bulk import and export of products, in the row format of :mod:`catalog.io.products`.

An import groups the rows by style and writes each style with one call of
:func:`catalog.services.products.product_content_save`, the product page's write path, so an
import stores nothing the page would refuse. The service's errors, keyed by path, come back
as (row, column) problems. A style with a problem is not written at all; the others are (or,
with ``all_or_nothing``, nothing is unless every style is clean). A dry run does the same in
a transaction rolled back at the end. A style whose every filled cell already says what is
stored is not written, gets no history and no recompute, and costs no query of its own; one
whose rows are those it was last imported from, the product unchanged since
(:mod:`catalog.services.import_digests`), is not even loaded.
"""
from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from openpyxl.utils import get_column_letter

from catalog.io import products as fmt
from catalog.io.tables import FileRefused, Row, neutralised, table_open, table_writer
from catalog.models import Brand, Category, Colour, Product, ReturnsPolicy, Season
from catalog.selectors import category_path_labels
from catalog.translation import PRODUCT_TRANSLATED_FIELDS

from .content import new_row
from .content_batch import ContentBatch
from .errors import ContentError
from .import_digests import RowsDigest, import_digests_save, import_digests_stored
from .jobs import job_runner
from .products import product_content_save

BATCH_STYLES = 200
EXPORT_BATCH = 500
MAX_PROBLEMS = 10_000
PROBLEMS_COLUMN = "problems"  # the marked copy's column of messages; an import skips it


@dataclass
class Problem:
    row: int | None  # None: the file as a whole
    column: str
    value: str
    message: str


@dataclass
class ImportReport:
    filename: str = ""
    dry_run: bool = True
    all_or_nothing: bool = False
    rows: int = 0
    styles: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    problem_count: int = 0
    written: bool = False
    format: str = ""
    notices: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, row, column, value, message) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(row, column, value, message))

    def as_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> ImportReport:
        data = dict(data)
        data["problems"] = [Problem(**p) for p in data.get("problems", [])]
        return cls(**data)

    @property
    def summary(self) -> str:
        if self.styles == 0 and self.problem_count:
            return "The file was refused: " + self.problems[0].message
        verb = "would be" if self.dry_run else "were"
        text = (f"{self.rows} rows, {self.styles} products: {self.created} {verb} created, "
                f"{self.updated} {verb} updated, {self.unchanged} unchanged")
        if self.refused:
            text += f", {self.refused} refused ({self.problem_count} problems)"
        if self.all_or_nothing and self.problem_count:
            text += ("; nothing would be written unless every problem is fixed" if self.dry_run
                     else "; nothing was written, as the file was not clean")
        return text + "."


# --------------------------------------------------------------------------- the columns
@dataclass
class Header:
    columns: list[fmt.Column | None]  # by index; None: a column without a name, or skipped
    names: list[str]
    index: dict[str, int]  # column name -> index

    def get(self, cells: list[str], name: str) -> str:
        index = self.index.get(name)
        return cells[index] if index is not None and index < len(cells) else ""


def header_read(names: list[str]) -> Header:
    known = {c.name.lower(): c for c in fmt.columns()}
    mapped, unknown, index = [], [], {}
    for position, raw in enumerate(names):
        name = "".join(raw.split()).lower()
        if not name or name == PROBLEMS_COLUMN:
            mapped.append(None)
            continue
        column = known.get(name)
        if column is None:
            unknown.append(f"“{raw}” (column {get_column_letter(position + 1)})")
        elif column.name in index:
            raise FileRefused(f"Column “{column.name}” appears twice (columns "
                              f"{get_column_letter(index[column.name] + 1)} and "
                              f"{get_column_letter(position + 1)}): keep one.")
        else:
            index[column.name] = position
        mapped.append(column)
    if unknown:
        raise FileRefused(f"Unknown column{'s' if len(unknown) > 1 else ''} "
                          f"{', '.join(unknown[:10])}: the columns are listed on the import "
                          "format page; fix the name or delete the column.")
    missing = [name for name in fmt.REQUIRED_COLUMNS if name not in index]
    if missing:
        raise FileRefused(f"The file has no column {' or '.join(missing)}: every import needs "
                          f"{' and '.join(fmt.REQUIRED_COLUMNS)} in its first row.")
    return Header(mapped, [c.name if c else "" for c in mapped], index)


class Lookups:
    """Brands, seasons, categories and returns policies by the names a file uses: loaded once."""

    def __init__(self):
        brands, seasons = list(Brand.objects.all()), list(Season.objects.all())
        policies = list(ReturnsPolicy.objects.all())
        self.brands = {b.code.lower(): b for b in brands}
        self.seasons = {s.code.lower(): s for s in seasons}
        self.category_labels = category_path_labels()
        nodes = Category.objects.in_bulk(list(self.category_labels))
        self.categories = {_label_key(label): nodes[pk]
                           for pk, label in self.category_labels.items()}
        self.policies = {p.name.lower(): p for p in policies}
        # Every name a file may use, with what it stands for (what an import digest covers).
        self.names = ([("brand", b.pk, b.code) for b in brands]
                      + [("season", s.pk, s.code) for s in seasons]
                      + [("category", pk, label) for pk, label in self.category_labels.items()]
                      + [("returns_policy", p.pk, p.name) for p in policies])

    def find(self, kind: str, text: str):
        table = {"brand": self.brands, "season": self.seasons, "category": self.categories,
                 "returns_policy": self.policies}[kind]
        key = _label_key(text) if kind == "category" else text.lower()
        found = table.get(key)
        if found is None:
            examples = sorted(self.category_labels.values()) if kind == "category" else sorted(
                getattr(o, "code", None) or o.name for o in table.values())
            shown = ", ".join(examples[:8]) + (" …" if len(examples) > 8 else "")
            name = kind.replace("_", " ")
            raise fmt.CellError(f"There is no {name} “{text}”" + (
                f": use one of {shown}." if shown else f": create the {name} first."))
        return found


def _label_key(text: str) -> str:
    return " > ".join(" ".join(p.split()) for p in text.split(">")).lower()


# ------------------------------------------------------------------------------ export
def product_rows(product: Product, labels: dict[int, str]) -> Iterator[list[str]]:
    """The rows of one product (prefetched as :func:`_export_queryset` does), in column order."""
    cols = fmt.columns()
    product_cells = _product_cells(product, labels)
    first = True
    colours = list(product.colours.all()) or [None]
    for colour in colours:
        variants = list(colour.variants.all()) if colour else []
        for variant in variants or [None]:
            cells = []
            for col in cols:
                if col.level == fmt.PRODUCT:
                    cells.append(product_cells[col.name] if first or col.name == "style_code"
                                 else "")
                elif col.level == fmt.COLOUR:
                    cells.append(_colour_cell(colour, col) if colour else "")
                else:
                    cells.append(_variant_cell(variant, col) if variant else "")
            first = False
            yield cells


def _product_cells(product: Product, labels: dict[int, str]) -> dict[str, str]:
    out = {}
    for col in fmt.columns():
        if col.level != fmt.PRODUCT:
            continue
        name = col.name
        if name == "brand":
            value = product.brand.code
        elif name == "season":
            value = product.season.code
        elif name == "category":
            value = labels.get(product.category_id, "")
        elif name == "returns_policy":
            value = product.returns_policy.name if product.returns_policy_id else ""
        elif name == "care":
            value = fmt.care_format(product)
        elif name == "composition":
            value = fmt.composition_format(product.composition_lines.all())
        elif name == "size_chart":
            value = fmt.size_chart_format(product.size_chart_rows.all())
        elif name == "shipping":
            value = fmt.shipping_format(product.shipping_rates.all())
        elif name == "rating_count":
            value = str(product.rating_count) if product.rating_count else ""
        else:
            value = getattr(product, col.field)
            value = "" if value is None else (fmt._plain(value))
        out[name] = value
    return out


def _colour_cell(colour: Colour, col: fmt.Column) -> str:
    return getattr(colour, col.field) or ""


def _variant_cell(variant, col: fmt.Column) -> str:
    return variant.gtin_display if col.field == "gtin" else getattr(variant, col.field)


def _export_queryset(ids):
    return (Product.objects.filter(pk__in=ids).order_by("style_code")
            .select_related("brand", "season", "returns_policy")
            .prefetch_related("composition_lines", "size_chart_rows", "shipping_rates",
                              Prefetch("colours", queryset=Colour.objects.prefetch_related(
                                  "variants"))))


def products_export(*, binary, format: str, products=None,
                    progress: Callable[[int, int], None] | None = None) -> int:
    """Write `products` (default: all) to `binary` as CSV or XLSX, in batches (bounded memory
    whatever the catalog). Returns the number of rows written below the header."""
    queryset = Product.objects.all() if products is None else products
    ids = list(queryset.order_by("style_code").values_list("pk", flat=True))
    labels = category_path_labels()
    writer = table_writer(binary, format)
    writer.write([c.name for c in fmt.columns()])
    rows = 0
    for start in range(0, len(ids), EXPORT_BATCH):
        for product in _export_queryset(ids[start:start + EXPORT_BATCH]):
            for cells in product_rows(product, labels):
                writer.write(cells)
                rows += 1
        if progress:
            progress(min(start + EXPORT_BATCH, len(ids)), len(ids))
    writer.close()
    return rows


def products_template(*, binary, format: str) -> None:
    """The header and one example row, for people starting a file from scratch."""
    writer = table_writer(binary, format)
    cols = fmt.columns()
    writer.write([c.name for c in cols])
    writer.write([c.example for c in cols])
    writer.close()


# ------------------------------------------------------------------------------ import
@dataclass
class Style:
    code: str
    rows: list[Row]
    skip: bool = False  # rows of a style seen before, apart from its first rows
    digest: bytes | None = None  # of its rows (import_digests), None if the reader had problems


class _Refused(Exception):
    """Roll back a style's savepoint: the file had problems with it."""


def products_import(*, file, filename: str = "", user=None, dry_run: bool = True,
                    all_or_nothing: bool = False,
                    progress: Callable[[int, int], None] | None = None) -> ImportReport:
    """Read `file` (a seekable binary file, CSV or XLSX) and upsert its products.

    Returns the report: counts and every problem by row and column. A file that cannot be read
    (not a spreadsheet, a zip bomb, an unknown column...) is reported as one problem, row None.
    """
    report = ImportReport(filename=filename, dry_run=dry_run, all_or_nothing=all_or_nothing)
    try:
        table = table_open(file, max_bytes=settings.PRODUCT_IMPORT_MAX_BYTES,
                           max_uncompressed=settings.PRODUCT_IMPORT_MAX_UNCOMPRESSED)
        header = header_read(table.header)
    except FileRefused as refused:
        report.add(None, "", "", str(refused))
        return report
    report.format, report.notices = table.format, table.notices
    importer = _Importer(header=header, report=report, user=user,
                         reason=f"imported by {_who(user)} from file {filename or 'upload'}",
                         file_header=table.header, dry_run=dry_run)
    one_transaction = dry_run or all_or_nothing
    try:
        with transaction.atomic() if one_transaction else contextlib.nullcontext():
            for batch in _batches(_styles(table, header, report), BATCH_STYLES):
                with contextlib.nullcontext() if one_transaction else transaction.atomic():
                    importer.batch(batch)
                if progress:
                    progress(report.rows, max(table.rows_estimate, report.rows))
            if dry_run or (all_or_nothing and report.problem_count):
                transaction.set_rollback(True)
    except FileRefused as refused:  # a damaged row far down the file
        report.add(None, "", "", str(refused))
        if one_transaction:
            report.written = False
    report.written = not dry_run and report.created + report.updated > 0 and not (
        all_or_nothing and report.problem_count)
    if progress:
        progress(report.rows, report.rows)
    return report


def _who(user) -> str:
    return getattr(user, "username", None) or "a command"


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _styles(table, header: Header, report: ImportReport) -> Iterator[Style]:
    """The rows grouped by style; a style's rows must be together."""
    style_index = header.index["style_code"]
    done: dict[str, int] = {}
    current: Style | None = None
    for row in table.rows:
        if not any(row.cells) and not row.problems:
            continue  # blank rows, trailing or not
        report.rows += 1
        code = row.cells[style_index] if style_index < len(row.cells) else ""
        if not code:
            report.add(row.number, "style_code", "", "The style code is empty: give it on every "
                       "row, it ties the row to its product.")
            continue
        if current is not None and code == current.code:
            current.rows.append(row)
            continue
        if current is not None and not current.skip:
            done[current.code] = current.rows[0].number
            yield current
        current = Style(code, [row], skip=code in done)
        if current.skip:
            report.add(row.number, "style_code", code,
                       f"Style {code} already had rows above (from row {done[code]}): keep a "
                       "style's rows together, for example by sorting the sheet by style code. "
                       "These rows were not imported.")
    if current is not None and not current.skip:
        yield current


class _Importer:
    def __init__(self, *, header: Header, report: ImportReport, user, reason: str,
                 file_header: list[str] | None = None, dry_run: bool = True):
        self.header, self.report, self.user, self.reason = header, report, user, reason
        self.lookups = Lookups()
        self.columns = {c.name: c for c in fmt.columns()}  # by name
        self.rows_digest = RowsDigest(header=list(file_header or header.names),
                                      lookups=self.lookups)
        self.dry_run = dry_run
        self.digests: dict[int, tuple[int, bytes]] = {}  # the batch's, to store
        self.digests_read: dict[int, int | None] = {}  # product id -> its digest row's version

    def batch(self, styles: list[Style]) -> None:
        """Check the styles together and write those clean and changed in one go
        (:class:`ContentBatch`); if that write fails (a value taken meanwhile by another
        write), the batch is rolled back and its styles saved one by one, so that the style at
        fault is refused alone. A style whose rows are those its product was last imported
        from, at the product's current version, is unchanged without being loaded. The
        digests of the styles written or found unchanged are stored at the end (not in a dry
        run)."""
        styles = [s for s in styles if s.rows]
        known = import_digests_stored(s.code for s in styles)
        compared = []
        for style in styles:
            self.report.styles += 1
            style.digest = self.rows_digest.of(style.rows)
            found = known.get(style.code)
            if found is not None and style.digest is not None and found.digest == style.digest:
                self.report.unchanged += 1
            else:
                compared.append(style)
        self.digests = {}
        self.digests_read = {found.pk: found.digest_version for found in known.values()}
        if compared:
            self._compared(compared, [known[s.code].pk for s in compared if s.code in known])
        if self.digests and not self.dry_run:
            import_digests_save(self.digests, self.digests_read)

    def _compared(self, styles: list[Style], stored_ids: list[int]) -> None:
        stored = ({p.style_code: p for p in _export_queryset(stored_ids)} if stored_ids
                  else {})
        content = ContentBatch(user=self.user, reason=self.reason)
        pending = []
        for style in styles:
            one = _StyleImport(self, style, stored.get(style.code))
            call = one.prepare()
            if call is not None:
                pending.append((one, content.add(refused=bool(one.problems), **call)))
        if not pending:
            return
        content.check()
        try:
            with transaction.atomic():
                content.write()
        except DatabaseError:
            fresh = _stored_products([o.style.code for o, _ in pending])
            for one, _ in pending:
                _StyleImport(self, one.style, fresh.get(one.style.code)).run()
            return
        for one, save in pending:
            one.finish(save.error, save.changed)

    def imported(self, style: Style, product: Product) -> None:
        """`product` is now as `style`'s rows say (written, or found so): its digest."""
        if style.digest is not None:
            self.digests[product.pk] = (product.version, style.digest)


def _stored_products(codes: list[str]) -> dict[str, Product]:
    """The stored products of these style codes, loaded with their rows. Their ids are read
    first: as a subquery, PostgreSQL may plan ``id IN (SELECT ... style_code IN ...)`` from
    the statistics of the empty table an import started with, and scan the products once per
    product (seconds a batch by 10,000 styles in one transaction)."""
    ids = list(Product.objects.filter(style_code__in=codes).values_list("pk", flat=True))
    return {p.style_code: p for p in _export_queryset(ids)} if ids else {}


class _StyleImport:
    """One style's rows turned into one service call, and its errors back into cells."""

    def __init__(self, importer: _Importer, style: Style, stored: Product | None):
        self.importer, self.style, self.stored = importer, style, stored
        self.product: Product | None = None  # what the save is given (stored, or a new one)
        self.header, self.report = importer.header, importer.report
        self.problems: list[Problem] = []
        self.given: dict[str, tuple[str, Row]] = {}  # product column -> (text, first row)
        self.colours: dict[str, dict] = {}  # code -> {"row": Row, "cells": {column: text}}
        self.variants: list[dict] = []  # {"row", "colour", "cells"}

    # ---- reading the rows
    def problem(self, row: Row | None, column: str, value: str, message: str) -> None:
        self.problems.append(Problem(row.number if row else None, column, value, message))

    def read(self) -> None:
        seen_sku, seen_gtin = {}, {}
        columns = self.header.columns
        for row in self.style.rows:
            colour_code = self.header.get(row.cells, "colour_code")
            sku = self.header.get(row.cells, "sku")
            cells = row.cells[:len(columns)]
            # Each filled cell, and each cell the reader had a problem with, in column order
            # (most cells of a style's later rows are blank).
            filled = [i for i, text in enumerate(cells) if text or i in row.problems]
            filled += sorted(i for i in row.problems if len(cells) <= i < len(columns))
            for index in filled:
                column = columns[index]
                text = cells[index] if index < len(cells) else ""
                if index in row.problems:
                    self.problem(row, column.name if column else get_column_letter(index + 1),
                                 text, row.problems[index])
                    continue
                if not text or (column and column.name in ("style_code",)):
                    continue
                if column is None:
                    if self.header.names[index] == "" and index < len(self.header.names):
                        self.problem(row, get_column_letter(index + 1), text,
                                     "This cell is in a column with no name in the first row: "
                                     "name the column or clear the cell.")
                    continue
                if column.level == fmt.PRODUCT:
                    self._agree(self.given, column.name, text, row, f"style {self.style.code}")
                elif column.level == fmt.COLOUR:
                    if not colour_code:
                        self.problem(row, column.name, text, "A colour column is filled but "
                                     "colour_code is empty: give the colour's code.")
                        continue
                    colour = self.colours.setdefault(colour_code, {"row": row, "cells": {}})
                    self._agree(colour["cells"], column.name, text, row,
                                f"colour {colour_code}", store_row=False)
            if colour_code:
                self.colours.setdefault(colour_code, {"row": row, "cells": {}})
            if sku:
                if not colour_code:
                    self.problem(row, "colour_code", "", "The variant has no colour_code: give "
                                 "the colour it is in.")
                    continue
                if sku in seen_sku:
                    self.problem(row, "sku", sku, f"SKU {sku} is also on row {seen_sku[sku]}: "
                                 "give each variant one row.")
                    continue
                seen_sku[sku] = row.number
                cells = {c: self.header.get(row.cells, c) for c in ("sku", "size", "gtin")}
                gtin = cells["gtin"]
                if gtin and gtin != fmt.CLEAR:
                    try:
                        cells["gtin"] = fmt.gtin_cell(gtin)
                    except fmt.CellError as error:
                        self.problem(row, "gtin", gtin, str(error))
                        continue
                    if cells["gtin"] in seen_gtin:
                        self.problem(row, "gtin", gtin, f"GTIN {gtin} is also on row "
                                     f"{seen_gtin[cells['gtin']]}: a GTIN belongs to one "
                                     "variant.")
                        continue
                    seen_gtin[cells["gtin"]] = row.number
                self.variants.append({"row": row, "colour": colour_code, "cells": cells,
                                      "raw": {c: self.header.get(row.cells, c)
                                              for c in ("sku", "size", "gtin")}})
            elif any(self.header.get(row.cells, c) for c in ("size", "gtin")):
                self.problem(row, "sku", "", "Size or GTIN given without a SKU: the SKU says "
                             "which variant the row is.")

    def _agree(self, values: dict, name: str, text: str, row: Row, what: str,
               store_row: bool = True) -> None:
        if name in values:
            before = values[name]
            before_text, before_row = before if store_row else (before, None)
            if before_text != text:
                where = f"row {before_row.number}" if before_row else "an earlier row"
                self.problem(row, name, text, f"The rows of {what} disagree on {name}: "
                             f"“{_short(before_text)}” on {where}, “{_short(text)}” here. "
                             "Give the value once, or the same on every row.")
            return
        values[name] = (text, row) if store_row else text

    # ---- unchanged?
    def unchanged(self) -> bool:
        """Every filled cell says what is stored: nothing to write, nothing to check."""
        product = self.stored
        if product is None:
            return False
        stored = _product_cells(product, self.importer.lookups.category_labels)
        if any(stored.get(name) != text for name, (text, _) in self.given.items()):
            return False
        colours = {c.code: c for c in product.colours.all()}
        for code, colour in self.colours.items():
            stored_colour = colours.get(code)
            if stored_colour is None:
                return False
            cols = self.importer.columns
            if any(_colour_cell(stored_colour, cols[name]) != text
                   for name, text in colour["cells"].items()):
                return False
        variants = {v.sku: (code, v) for code, c in colours.items() for v in c.variants.all()}
        for variant in self.variants:
            code, stored_variant = variants.get(variant["cells"]["sku"], (None, None))
            if stored_variant is None or code != variant["colour"]:
                return False
            raw = variant["raw"]
            if raw["size"] and raw["size"] != stored_variant.size_label:
                return False
            if raw["gtin"] and raw["gtin"] != stored_variant.gtin_display:
                return False
        return True

    # ---- the service call
    def prepare(self) -> dict | None:
        """The arguments of the product's save, or None when the rows change nothing (every
        filled cell says what is stored: nothing to check, no query)."""
        self.read()
        if not self.problems and self.unchanged():
            self.report.unchanged += 1
            self.importer.imported(self.style, self.stored)
            return None
        fields, lists, self.cells = self.arguments()
        colours, self.places = self.colour_rows()
        product = self.product = self.stored or new_row(Product, style_code=self.style.code)
        product._change_reason = self.importer.reason
        return {"product": product, "fields": fields, "colours": colours,
                "expected_version": self.stored.version if self.stored else None, **lists}

    def run(self) -> None:
        """The style alone, through ``product_content_save``."""
        call = self.prepare()
        if call is None:
            return
        error, changed = None, False
        try:
            with transaction.atomic():
                changed = product_content_save(user=self.importer.user, **call).changed
                if self.problems:
                    raise _Refused
        except _Refused:
            pass
        except ValidationError as error_:  # a ContentError, or saved by someone meanwhile
            error = error_
        except DatabaseError as error_:  # a concurrent write took a unique value meanwhile
            error = error_
        self.finish(error, changed)

    def finish(self, error: Exception | None, changed: bool) -> None:
        """The outcome of the save in the report: its errors at their rows and columns."""
        if isinstance(error, ContentError):
            self.locate(error, self.cells, self.places)
        elif isinstance(error, ValidationError):  # the product was saved by someone since
            self.problem(self.style.rows[0], "style_code", self.style.code, " ".join(
                error.messages) + " Import the file again to apply its rows.")
        elif isinstance(error, DatabaseError):
            self.problem(self.style.rows[0], "style_code", self.style.code,
                         f"The product could not be saved ({error.__class__.__name__}); it "
                         "was left as it was. Import the file again.")
        if self.problems:
            self.report.refused += 1
            for p in self.problems:
                self.report.add(p.row, p.column, p.value, p.message)
            return
        if changed:
            if self.stored is None:
                self.report.created += 1
            else:
                self.report.updated += 1
        else:
            self.report.unchanged += 1
        self.importer.imported(self.style, self.product)

    def arguments(self) -> tuple[dict, dict, dict]:
        """The product's fields and lists; `cells`: service field or list -> (row, column,
        text), for placing its errors."""
        by_name = self.importer.columns
        fields, lists, cells = {}, {}, {}
        lookups = self.importer.lookups
        for name, (text, row) in self.given.items():
            column = by_name[name]
            clear = text == fmt.CLEAR
            try:
                if name in ("brand", "season", "category", "returns_policy"):
                    fields[name] = None if clear else lookups.find(name, text)
                    cells[name] = (row, name, text)
                elif name == "care":
                    parsed = dict.fromkeys(fmt.CARE_KEYS.values(), "") if clear else (
                        fmt.care_parse(text))
                    fields.update(parsed)
                    cells.update({f: (row, name, text) for f in parsed})
                elif name in ("composition", "size_chart", "shipping"):
                    parse = getattr(fmt, f"{name}_parse")
                    lists[name] = [] if clear else parse(text)
                    cells[name] = (row, name, text)
                else:
                    if clear:
                        value = {"model_height_cm": None, "rating_average": None,
                                 "rating_count": 0}.get(name, "")
                    else:
                        value = text
                    fields[column.field] = value
                    cells[column.field] = (row, name, text)
            except fmt.CellError as error:
                self.problem(row, name, text, str(error))
        return fields, lists, cells

    def colour_rows(self) -> tuple[list[dict], list]:
        """Every colour of the product (import never deletes one): stored ones the file does
        not name are kept as they are. `places`: colour index -> (row or None, variants'
        places), variant place: (row or None, stored SKU)."""
        stored = list(self.stored.colours.all()) if self.stored else []
        file_skus = {v["cells"]["sku"] for v in self.variants}
        by_code = {c.code: c for c in stored}
        clear = fmt.CLEAR
        rows, places = [], []
        order = [c.code for c in stored] + [c for c in self.colours if c not in by_code]
        new_position = max((c.position for c in stored), default=-1) + 1
        for code in order:
            colour = by_code.get(code)
            given = self.colours.get(code)
            if given is None:
                rows.append({"id": colour.pk})
                places.append((None, []))
                continue
            row = {"code": code} | ({"id": colour.pk} if colour else {"position": new_position})
            if colour is None:
                new_position += 1
            for name, text in given["cells"].items():
                column = self.importer.columns[name]
                row[column.field] = "" if text == clear else text
            variant_rows, variant_places = [], []
            for variant in self.variants:
                if variant["colour"] != code:
                    continue
                cells = variant["cells"]
                values = {"sku": cells["sku"]}
                if cells["size"]:
                    values["size_label"] = "" if cells["size"] == clear else cells["size"]
                if cells["gtin"]:
                    values["gtin"] = "" if cells["gtin"] == clear else cells["gtin"]
                variant_rows.append(values)
                variant_places.append((variant["row"], variant["raw"]))
            for kept in (colour.variants.all() if colour else []):
                if kept.sku not in file_skus:
                    variant_rows.append({"id": kept.pk})
                    variant_places.append((None, {"sku": kept.sku}))
            row["variants"] = variant_rows
            rows.append(row)
            places.append((given["row"], variant_places))
        return rows, places

    def locate(self, error: ContentError, cells: dict, places: list) -> None:
        """Each message of the service at the row and column it came from."""
        first = self.style.rows[0]
        placed = {(p.row, p.column) for p in self.problems}
        said = set()
        by_field = {c.field: c.name for c in fmt.columns() if c.level == fmt.COLOUR}
        variant_columns = {"sku": "sku", "size_label": "size", "gtin": "gtin"}
        for path, messages in error.paths.items():
            parts = path.split(".")
            prefix = ""
            if parts[0] == "colours" and len(parts) > 1:
                colour_row, variant_places = places[int(parts[1])]
                if len(parts) > 3 and parts[2] == "variants":
                    row, raw = variant_places[int(parts[3])]
                    name = variant_columns.get(parts[4] if len(parts) > 4 else "", "sku")
                    value = raw.get(name, "")
                    if row is None:
                        prefix = f"Stored variant {raw['sku']}: "
                        row = first
                else:
                    row = colour_row or first
                    name = by_field.get(parts[2] if len(parts) > 2 else "", "colour_code")
                    value = self.header.get(row.cells, name)
            elif parts[0] in ("composition", "size_chart", "shipping"):
                row, name, value = cells.get(parts[0], (first, parts[0], ""))
                if len(parts) > 1 and parts[1].isdigit():
                    entries = [e.strip() for e in value.split(";") if e.strip()]
                    index = int(parts[1])
                    if parts[0] != "composition" and index < len(entries):
                        prefix = f"{entries[index].split(':')[0]}: "
            else:
                row, name, value = cells.get(parts[0], (first, _column_of(parts[0]), ""))
                if not value:
                    value = self.header.get(row.cells, name)
            if (row.number, name) in placed:
                continue  # the file's own message for the cell says it already
            for message in messages:
                if (row.number, name, prefix + message) not in said:
                    said.add((row.number, name, prefix + message))
                    self.problem(row, name, value, prefix + message)


def _column_of(field_name: str) -> str:
    if field_name in PRODUCT_TRANSLATED_FIELDS:  # modeltranslation checks the source locale
        return f"{field_name}[{settings.SOURCE_LANGUAGE}]"
    for column in fmt.columns():
        if column.level == fmt.PRODUCT and column.field == field_name:
            return column.name
    if field_name.startswith("care_"):
        return "care"
    return "style_code"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "…"


# ------------------------------------------------------------------ the file, marked up
def import_marked_copy(*, file, report: ImportReport, binary) -> None:
    """The uploaded rows back as an XLSX: each problem cell filled and commented, a
    ``problems`` column with the row's messages. Fixed and uploaded again, it imports."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    table = table_open(file, max_bytes=settings.PRODUCT_IMPORT_MAX_BYTES,
                       max_uncompressed=settings.PRODUCT_IMPORT_MAX_UNCOMPRESSED)
    by_row: dict[int | None, dict[str, list[str]]] = {}
    for p in report.problems:
        by_row.setdefault(p.row, {}).setdefault(p.column, []).append(p.message)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Products")
    fill = PatternFill("solid", start_color="FFC7CE", end_color="FFC7CE")
    names = [n for n in table.header]
    keys = ["".join(n.split()).lower() for n in names]
    keep = [i for i, k in enumerate(keys) if k != PROBLEMS_COLUMN]
    sheet.append([names[i] for i in keep] + [PROBLEMS_COLUMN])
    for row in table.rows:
        if not any(row.cells) and not row.problems:
            continue
        marks = by_row.get(row.number, {})
        out = []
        for i in keep:
            text = row.cells[i] if i < len(row.cells) else ""
            cell = WriteOnlyCell(sheet, value=neutralised(text) if text else None)
            column = keys[i] if keys[i] else get_column_letter(i + 1)
            messages = marks.get(column) or marks.get(get_column_letter(i + 1))
            if messages:
                cell.fill = fill
                cell.comment = Comment("\n".join(messages), "import")
            out.append(cell)
        row_messages = [f"{c}: {m}" if c else m for c, ms in marks.items() for m in ms]
        out.append(neutralised("\n".join(row_messages)) or None)
        sheet.append(out)
    workbook.save(binary)


@job_runner("products_import")
def products_import_job(job, progress) -> dict:
    """The import of an uploaded file as a background job: the report, and the file back with
    its problem cells marked."""
    from django.core.files.base import ContentFile

    with job.file.open("rb") as file:
        report = products_import(
            file=file, filename=job.filename, user=job.user,
            dry_run=job.params.get("dry_run", True),
            all_or_nothing=job.params.get("all_or_nothing", False), progress=progress)
        if report.problems and report.styles:
            marked = io.BytesIO()
            import_marked_copy(file=file, report=report, binary=marked)
            stem = (job.filename or "import").rsplit(".", 1)[0]
            job.result_file.save(f"{stem}-problems.xlsx", ContentFile(marked.getvalue()),
                                 save=False)
    return report.as_json()
