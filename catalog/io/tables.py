"""Spreadsheets as rows of text: CSV and XLSX readers and streaming writers.

Readers take the messy files real spreadsheets make (UTF-8 with or without BOM, Windows-1252,
semicolons, numbers where text was meant, trailing blank rows, empty columns) and refuse with
a :class:`FileRefused` what they cannot read right: a file that is no spreadsheet, a zip
bomb, merged cells, a file above the size limit. Cells come out as stripped text; a formula
is reported on its cell, never evaluated. Writers stream (bounded memory whatever the rows)
and neutralise cells a spreadsheet would run as formulas.
"""
from __future__ import annotations

import array
import codecs
import collections
import csv
import datetime
import functools
import html
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITERS = (",", ";", "\t")
CSV_FIELD_LIMIT = 1_000_000
# Beyond this ratio of uncompressed to compressed size a zip member is a bomb, not a sheet:
# real worksheets compress 5 to 30 times.
ZIP_RATIO_LIMIT = 200
ZIP_RATIO_FLOOR = 1 << 20  # members below 1 MB uncompressed are never bombs


class FileRefused(ValueError):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass
class Row:
    number: int  # as the spreadsheet program numbers it: the header is row 1
    cells: list[str]
    problems: dict[int, str] = field(default_factory=dict)  # column index -> message


@dataclass
class Table:
    format: str  # "csv" or "xlsx"
    header: list[str]
    rows: Iterator[Row]
    notices: list[str] = field(default_factory=list)
    rows_estimate: int = 0
    encoding: str = ""
    delimiter: str = ""


def neutralised(value) -> str:
    """Text a spreadsheet shows as typed: a leading formula character gets an apostrophe."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def unneutralised(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in FORMULA_STARTS and text[1:2] else text


def size_text(size: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return ""


# ------------------------------------------------------------------------------ reading
def table_open(binary, *, max_bytes: int, max_uncompressed: int) -> Table:
    """Open a seekable binary file as a :class:`Table`; rows are read as they are iterated."""
    binary.seek(0, io.SEEK_END)
    size = binary.tell()
    binary.seek(0)
    if size == 0:
        raise FileRefused("The file is empty: export the sheet again with its header row.")
    if size > max_bytes:
        raise FileRefused(f"The file is {size_text(size)}; imports take files up to "
                          f"{size_text(max_bytes)}. Split it, for example by brand or season.")
    head = binary.read(8192)
    binary.seek(0)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx_table(binary, max_uncompressed=max_uncompressed)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("This is an old Excel .xls file: save it as .xlsx or CSV and upload "
                          "that.")
    return _csv_table(binary, head, size)


def _not_a_spreadsheet() -> FileRefused:
    return FileRefused("This file is not a spreadsheet: upload a CSV file or an Excel "
                       "workbook (.xlsx).")


def _csv_table(binary, head: bytes, size: int) -> Table:
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif b"\x00" in head:
        raise _not_a_spreadsheet()
    else:
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    try:
        sample = head.decode(encoding, errors="ignore" if encoding != "cp1252" else "strict")
    except UnicodeDecodeError:
        raise _not_a_spreadsheet() from None
    if any(ord(c) < 32 and c not in "\t\r\n" for c in sample.lstrip("\ufeff")):
        raise _not_a_spreadsheet()
    first_line = sample.lstrip("\ufeff").splitlines()[0] if sample.strip() else ""
    delimiter = max(CSV_DELIMITERS,
                    key=lambda d: len(next(csv.reader([first_line], delimiter=d), [])))
    text = io.TextIOWrapper(_KeepOpen(binary), encoding=encoding, newline="")
    csv.field_size_limit(CSV_FIELD_LIMIT)
    reader = csv.reader(text, delimiter=delimiter)
    header = _read(reader, 0)
    if header is None or not any(c.strip() for c in header):
        raise FileRefused("The file is empty: export the sheet again with its header row.")
    estimate = max(1, round(size / max(len(first_line) + 1, 1) / 3))

    def rows():
        number = 1
        while (cells := _read(reader, number)) is not None:
            number = reader.line_num if "\n" not in "".join(cells) else number + 1
            yield Row(number, [unneutralised(c.strip()) for c in cells])

    return Table("csv", [c.strip() for c in header], rows(), rows_estimate=estimate,
                 encoding={"utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8",
                           "cp1252": "Windows-1252", "utf-16": "UTF-16"}[encoding],
                 delimiter=delimiter)


class _KeepOpen(io.BufferedIOBase):
    """The caller's file, read through a text wrapper that must not close it."""

    def __init__(self, raw):
        self._raw = raw

    def readable(self):
        return True

    def read(self, size=-1):
        return self._raw.read(size)

    read1 = read

    def close(self):
        pass  # the caller owns the file


def _read(reader, number: int) -> list[str] | None:
    try:
        return next(reader)
    except StopIteration:
        return None
    except UnicodeDecodeError:
        raise FileRefused(f"After row {number} the file is not valid text in the encoding its "
                          "start is in: save it again as CSV UTF-8.") from None
    except csv.Error as error:
        raise FileRefused(f"Row {number + 1} cannot be read as CSV ({error}).") from None


# Sheets are read with python-calamine, about ten times faster than openpyxl, when what it
# loads at once fits: it holds the whole used range in memory (32 bytes a cell, from A1 down
# and across the used columns, plus each cell's own copy of its text). Larger sheets, and
# sheet XML the scan below cannot account for, are streamed by openpyxl's read-only mode.
CALAMINE_MEMORY_LIMIT = 96 << 20
CALAMINE_CELL_BYTES = 40  # calamine's cell and the allocator's share of its text
CALAMINE_SPECIAL_LIMIT = 100_000  # formula and error cells the scan keeps for their rows
_SCAN_CHUNK = 1 << 20
_SCAN_ROW_LIMIT = 64 << 20  # a row longer than this is not one the scan keeps whole


def _damaged() -> FileRefused:
    return FileRefused("This workbook is damaged or not an Excel .xlsx file: open it in your "
                       "spreadsheet program and save it again as .xlsx.")


def _formula_problem(formula: str) -> str:
    return (f"The cell holds the formula {formula}: the import reads values only. Copy the "
            "column and paste it as values.")


def _xlsx_table(binary, *, max_uncompressed: int) -> Table:
    try:
        archive = zipfile.ZipFile(binary)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        raise _not_a_spreadsheet() from None
    total = sum(m.file_size for m in members)
    bomb = next((m for m in members if m.file_size > ZIP_RATIO_FLOOR
                 and m.file_size > ZIP_RATIO_LIMIT * max(m.compress_size, 1)), None)
    if total > max_uncompressed or bomb:
        archive.close()
        raise FileRefused(f"This workbook would unpack to {size_text(total)}"
                          + (f" ({bomb.filename} is {bomb.file_size // max(bomb.compress_size, 1)}"
                             " times its packed size)" if bomb else "")
                          + ": it is refused as a zip bomb or too large. Save the sheet as CSV, "
                          "or split it.")
    if "xl/workbook.xml" not in archive.namelist():
        archive.close()
        raise _not_a_spreadsheet()
    # The workbook's own XML says which sheet to read: calamine loads the shared strings as
    # it opens, so it is opened only once the scan says the sheet fits.
    try:
        sheets, strings_path = _workbook_sheets(archive)
    except (ET.ParseError, KeyError, zipfile.BadZipFile, OSError):
        archive.close()
        raise _damaged() from None
    notices, chosen = [], None
    for title, visible, path in sheets:
        if not visible:
            notices.append(f"Sheet “{title}” is hidden and was not read.")
        elif chosen is None:
            chosen = (title, path)
        else:
            notices.append(f"Only the first sheet was read; sheet “{title}” was not.")
    if chosen is None:
        archive.close()
        raise FileRefused("The workbook has no visible sheet: unhide the sheet to import.")
    title, path = chosen
    try:
        scan = _sheet_scan(archive, path, strings_path,
                           packed=sum(m.compress_size for m in members))
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        raise _damaged() from None
    finally:
        archive.close()
    if scan.merged:
        shown = ", ".join(scan.merged[:5]) + (" …" if len(scan.merged) > 5 else "")
        raise FileRefused(f"Sheet “{title}” has merged cells ({shown}): a merged cell "
                          "keeps its value in its first row only. Unmerge them, fill every "
                          "row, and upload again.")
    binary.seek(0)
    reader = _calamine_rows if scan.fits else _openpyxl_rows
    rows, estimate = reader(binary, title, scan.cells)
    first = next(rows, None)
    if first is None:
        raise FileRefused("The file is empty: export the sheet again with its header row.")
    header = first.cells if first.number == 1 else []
    if not any(header):
        raise FileRefused("The first row is empty: the first row must name the columns.")
    return Table("xlsx", header, rows, notices=notices, rows_estimate=max(estimate - 1, 0))


def _workbook_sheets(archive) -> tuple[list[tuple[str, bool, str]], str | None]:
    """The worksheets in workbook order as (title, visible, XML part), and the shared strings'
    part (chart sheets and macro sheets have no rows to read)."""
    parts, strings = {}, None
    for rel in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
        target, kind = rel.get("Target", ""), rel.get("Type", "")
        path = (target.lstrip("/") if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target)))
        if kind.endswith("/worksheet"):
            parts[rel.get("Id")] = path
        elif kind.endswith("/sharedStrings"):
            strings = path
    sheets = []
    for element in ET.fromstring(archive.read("xl/workbook.xml")).iter():
        if element.tag.rpartition("}")[2] == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.rpartition("}")[2] == "id"),
                       None)
            if rid in parts:
                sheets.append((element.get("name", ""),
                               element.get("state", "visible") == "visible", parts[rid]))
    return sheets, strings


@dataclass
class _SheetScan:
    merged: list[str] = field(default_factory=list)
    # row number -> column index -> (text, problem): formula cells, and error cells (whose
    # text calamine does not give)
    cells: dict[int, dict[int, tuple[str, str]]] = field(default_factory=dict)
    fits: bool = True


@functools.lru_cache(maxsize=4)
def _scan_patterns(prefix: bytes) -> dict[str, re.Pattern]:
    p = re.escape(prefix)
    cell = rb'<' + p + rb'c r="([A-Z]{1,3})(\d{1,7})"'
    return {
        "column": re.compile(rb'<' + p + rb'c r="([A-Z]{1,3})\d'),
        "row": re.compile(rb'<' + p + rb'c r="[A-Z]{1,3}(\d{1,7})"'),
        "shared": re.compile(rb'<' + p + rb'c r="[A-Z]+\d+"(?: s="\d+")? t="s"[^>]*><'
                             + p + rb'v>(\d+)</' + p + rb'v>'),
        "formula": re.compile(cell + rb'[^>]*(?<!/)>\s*<' + p + rb'f\b([^>]*?)(?:/>|>(.*?)</'
                              + p + rb'f>)', re.S),
        "error": re.compile(cell + rb'[^>]*? t="e"[^>]*(?<!/)>(.*?)</' + p + rb'c>', re.S),
        "value": re.compile(rb'<' + p + rb'v>([^<]*)</' + p + rb'v>'),
    }


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+\d+:[A-Z]+\d+)\"")
_ROOT = re.compile(rb"<(\w+:)?(?:worksheet|sst)\b")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')


def _sheet_scan(archive, path: str, strings_path: str | None, *, packed: int) -> _SheetScan:
    """One pass over the sheet's XML for what calamine does not tell: merged ranges, formula
    cells (calamine gives their cached values), error cells, and whether the range calamine
    would load fits in memory (it copies the whole file in, then the range). Rows are
    scanned whole; a cell the patterns cannot account for (attributes in another order, no
    reference) sends the sheet to openpyxl."""
    scan, merged, tail, prefix = _SheetScan(), [], b"", None
    columns, last_row, strings, shared_formulae = set(), 0, collections.Counter(), {}
    specials = 0
    size = archive.getinfo(path).file_size
    scan.fits = packed + size <= CALAMINE_MEMORY_LIMIT
    with archive.open(path) as stream:
        while True:
            chunk = stream.read(_SCAN_CHUNK)
            data = tail + chunk
            if prefix is None:
                root = _ROOT.search(data)
                prefix = (root.group(1) or b"") if root else b""
                scan.fits &= root is not None
            end = data.rfind(b"</" + prefix + b"row>") + len(prefix) + 6 if chunk else len(data)
            if end < len(prefix) + 6:  # no row ends in the data yet
                if len(data) < _SCAN_ROW_LIMIT:
                    tail = data
                    continue
                scan.fits, end = False, len(data) - 200
            piece, tail = data[:end], data[end:]
            if b"mergeCell" in piece:
                merged += _MERGE.findall(piece)
            if scan.fits:
                patterns = _scan_patterns(prefix)
                found = patterns["column"].findall(piece)
                columns.update(found)
                rows = set(patterns["row"].findall(piece))
                last_row = max(last_row, max(map(int, rows), default=0))
                cells = piece.count(b"<" + prefix + b"c ") + piece.count(b"<" + prefix + b"c>")
                scan.fits &= len(found) == cells
                if strings_path and b' t="s"' in piece:
                    found = patterns["shared"].findall(piece)
                    strings.update(found)
                    scan.fits &= len(found) == piece.count(b' t="s"')
                found, expected = _special_cells(scan, piece, prefix, shared_formulae)
                specials += found
                scan.fits &= found == expected
                scan.fits &= specials <= CALAMINE_SPECIAL_LIMIT and (
                    CALAMINE_CELL_BYTES * last_row * len(columns) <= CALAMINE_MEMORY_LIMIT)
                if not scan.fits:
                    scan.cells = {}
            if not chunk:
                break
    scan.merged = [m.decode() for m in dict.fromkeys(merged)]
    if scan.fits and columns:
        indexes = [_column_index(c) for c in columns]
        loaded = last_row * (max(indexes) - min(indexes) + 1)
        text = packed + size + (_shared_text_bytes(archive, strings_path, strings) if strings else 0)
        scan.fits = CALAMINE_CELL_BYTES * loaded + text <= CALAMINE_MEMORY_LIMIT
    if not scan.fits:
        scan.cells = {}
    return scan


def _special_cells(scan, piece: bytes, prefix: bytes, shared_formulae: dict) -> tuple[int, int]:
    """The piece's error and formula cells into ``scan.cells`` (a formula wins over its
    cached error), as openpyxl words them; returns how many were read and how many there
    are."""
    patterns, found, expected = _scan_patterns(prefix), 0, 0
    if b' t="e"' in piece:
        expected += piece.count(b' t="e"')
        for match in patterns["error"].finditer(piece):
            value = patterns["value"].search(match[3])
            _special(scan, match, html.unescape(value[1].decode()) if value else "", "")
            found += 1
    expected += piece.count(b"<" + prefix + b"f>") + piece.count(b"<" + prefix + b"f ")
    if found == expected:
        return found, expected
    for match in patterns["formula"].finditer(piece):
        attributes = dict(_ATTRIBUTE.findall(match[3]))
        formula = "=" + (html.unescape(match[4].decode()) if match[4] else "")
        if attributes.get(b"t") == b"shared":  # the first cell gives the text, moved along
            key, ref = attributes.get(b"si"), (match[1] + match[2]).decode()
            if key in shared_formulae:
                formula = shared_formulae[key].translate_formula(ref)
            elif formula != "=":
                from openpyxl.formula.translate import Translator

                shared_formulae[key] = Translator(formula, ref)
        _special(scan, match, "", _formula_problem(formula))
        found += 1
    return found, expected


def _special(scan, match, text: str, problem: str) -> None:
    scan.cells.setdefault(int(match[2]), {})[_column_index(match[1]) - 1] = (text, problem)


def _column_index(letters: bytes) -> int:
    """A1 notation's column letters as a number: A is 1, Z 26, AA 27."""
    return functools.reduce(lambda number, letter: number * 26 + letter - 64, letters, 0)


def _shared_text_bytes(archive, path: str, used: collections.Counter) -> int:
    """The shared strings' XML, plus the bytes of text calamine copies into each cell that
    uses one (its XML's length bounds its text's)."""
    sizes, tail, separator = array.array("q"), b"", None
    with archive.open(path) as stream:
        size = archive.getinfo(path).file_size
        while chunk := stream.read(_SCAN_CHUNK):
            data = tail + chunk
            if separator is None:
                root = _ROOT.search(data)
                separator = b"<" + ((root.group(1) or b"") if root else b"") + b"si>"
                start = data.find(separator)
                if start < 0:  # still in the header
                    separator, tail = None, data[-200:]
                    continue
                data = data[start + len(separator):]
            *pieces, tail = data.split(separator)
            sizes.extend(map(len, pieces))
    if separator:
        sizes.append(len(tail))
    return size + sum(sizes[int(i)] * n if int(i) < len(sizes) else 0 for i, n in used.items())


def _calamine_rows(binary, title: str, specials) -> tuple[Iterator[Row], int]:
    import python_calamine

    try:
        with python_calamine.CalamineWorkbook.from_filelike(binary) as workbook:
            sheet = workbook.get_sheet_by_name(title)
    except Exception:  # calamine raises its own errors and ValueError for a damaged part
        raise _damaged() from None
    if sheet.start is None and not specials:
        return iter(()), 0
    lead = [""] * (sheet.start[1] if sheet.start else 0)
    height = sheet.end[0] + 1 if sheet.end else 0

    def row(number: int, cells: list[str]) -> Row:
        found = Row(number, cells)
        for column, (text, problem) in specials.get(number, {}).items():
            cells.extend([""] * (column + 1 - len(cells)))
            cells[column] = text
            if problem:
                found.problems[column] = problem
        return found

    def rows():
        for number, values in enumerate(sheet.iter_rows() if height else (), start=1):
            # the hot loop of a read: most cells are text or empty
            found = row(number, lead + [
                (v and (t if (t := v.strip())[:1] != "'" else unneutralised(t)))
                if v.__class__ is str else _value_text(v) for v in values])
            if number == 1 or found.problems or any(found.cells):
                yield found
        for number in sorted(n for n in specials if n > height):
            yield row(number, [])

    return rows(), max(height, max(specials, default=0))


def _openpyxl_rows(binary, title: str, _specials) -> tuple[Iterator[Row], int]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(binary, read_only=True, data_only=False)
        sheet = workbook[title]
    except Exception:  # openpyxl raises many types for a damaged workbook
        raise _damaged() from None

    def rows():
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            row = Row(number if number == 1 else 0, [])
            for index, cell in enumerate(cells):
                if getattr(cell, "row", None) and not row.number:
                    row.number = cell.row
                text, problem = _xlsx_text(cell)
                row.cells.append(text)
                if problem:
                    row.problems[index] = problem
            if row.number:
                yield row
        workbook.close()

    return rows(), sheet.max_row or 0


def _xlsx_text(cell) -> tuple[str, str]:
    if getattr(cell, "data_type", None) == "f":
        return "", _formula_problem(cell.value)
    return _value_text(getattr(cell, "value", None)), ""


def _value_text(value) -> str:
    if isinstance(value, str):
        return unneutralised(value.strip()) if value else ""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() and abs(value) < 1e15
                else format(Decimal(repr(value)).normalize(), "f"))
    if isinstance(value, datetime.datetime):
        return (value.date().isoformat() if value.time() == datetime.time() else
                value.isoformat(sep=" "))
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return unneutralised(str(value).strip())


# ------------------------------------------------------------------------------ writing
class CsvWriter:
    """CSV in UTF-8 with a BOM (so Excel reads the accents right), comma-separated."""

    format = "csv"

    def __init__(self, binary):
        binary.write(codecs.BOM_UTF8)
        self._text = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=True)
        self._writer = csv.writer(self._text)

    def write(self, cells) -> None:
        self._writer.writerow([neutralised(c) for c in cells])

    def close(self) -> None:
        self._text.flush()
        self._text.detach()


class XlsxWriter:
    """An .xlsx written row by row (openpyxl's write-only mode): every cell is text."""

    format = "xlsx"

    def __init__(self, binary, *, title: str = "Products"):
        import openpyxl

        self._binary = binary
        self._workbook = openpyxl.Workbook(write_only=True)
        self._sheet = self._workbook.create_sheet(title)

    def write(self, cells) -> None:
        self._sheet.append([neutralised(c) if c not in (None, "") else None for c in cells])

    def close(self) -> None:
        self._workbook.save(self._binary)


def table_writer(binary, format: str):
    return {"csv": CsvWriter, "xlsx": XlsxWriter}[format](binary)
