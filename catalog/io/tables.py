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
import itertools
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
            joined = "".join(cells)
            number = reader.line_num if "\n" not in joined else number + 1
            # Only a cell starting with an apostrophe can be a neutralised formula.
            yield Row(number, [t if (t := c.strip())[:1] != "'" else unneutralised(t)
                               for c in cells] if "'" in joined else [c.strip() for c in cells])

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


# Sheets are read with python-calamine, about ten times faster than openpyxl. When what it
# loads at once fits, it reads the whole sheet: it holds the whole used range in memory (32
# bytes a cell, from A1 down and across the used columns, plus each cell's own copy of its
# text). A larger sheet is handed to it in pieces of whole rows, each piece a small workbook of
# its own (the sheet's head, the piece's rows, the original styles so that dates stay dates,
# shared strings written into their cells), so that it holds one piece at a time. Sheet XML
# the scan below cannot account for is streamed by openpyxl's read-only mode.
CALAMINE_MEMORY_LIMIT = 96 << 20  # what a whole-sheet load may take
CALAMINE_CELL_BYTES = 40  # calamine's cell and the allocator's share of its text
# A piece's XML is held about eight times over (its copy in the piece's workbook, calamine's
# copy of that, the text in calamine's cells and in Python's strings), and its cells come out
# as a list of Python values: about 13 MB of memory for a megabyte of the export's XML.
CALAMINE_PIECE_BYTES = 1 << 20  # the sheet XML of one piece, rounded up to a row's end
# What one piece, with the shared strings held, may take: the shared strings of 100,000
# styles saved by a spreadsheet program (two million strings) are 57 MB held.
CALAMINE_PIECE_LIMIT = 96 << 20
CALAMINE_PIECE_CELL_BYTES = 120  # calamine's cell and the Python value it becomes
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
        book = _workbook_read(archive)
    except (ET.ParseError, KeyError, zipfile.BadZipFile, OSError):
        archive.close()
        raise _damaged() from None
    notices, chosen = [], None
    for title, visible, path in book.sheets:
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
        scan = _sheet_scan(archive, path, book.strings,
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
    if scan.reader == "pieces":
        rows, estimate = _calamine_piece_rows(binary, book, path, scan)
    else:
        reader = _calamine_rows if scan.reader == "calamine" else _openpyxl_rows
        rows, estimate = reader(binary, title, scan.cells)
    first = next(rows, None)
    if first is None:
        raise FileRefused("The file is empty: export the sheet again with its header row.")
    header = first.cells if first.number == 1 else []
    if not any(header):
        raise FileRefused("The first row is empty: the first row must name the columns.")
    return Table("xlsx", header, rows, notices=notices, rows_estimate=max(estimate - 1, 0))


@dataclass
class _Workbook:
    sheets: list[tuple[str, bool, str]]  # worksheets in workbook order: title, visible, part
    strings: str | None = None  # the shared strings' part
    styles: str | None = None
    date1904: bool = False


def _workbook_read(archive) -> _Workbook:
    """The worksheets and the parts a sheet's cells refer to (chart sheets and macro sheets
    have no rows to read)."""
    parts, book = {}, _Workbook([])
    for rel in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels")):
        target, kind = rel.get("Target", ""), rel.get("Type", "")
        path = (target.lstrip("/") if target.startswith("/")
                else posixpath.normpath(posixpath.join("xl", target)))
        if kind.endswith("/worksheet"):
            parts[rel.get("Id")] = path
        elif kind.endswith("/sharedStrings"):
            book.strings = path
        elif kind.endswith("/styles"):
            book.styles = path
    for element in ET.fromstring(archive.read("xl/workbook.xml")).iter():
        name = element.tag.rpartition("}")[2]
        if name == "workbookPr":
            book.date1904 = element.get("date1904", "").lower() in ("1", "true")
        elif name == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.rpartition("}")[2] == "id"),
                       None)
            if rid in parts:
                book.sheets.append((element.get("name", ""),
                                    element.get("state", "visible") == "visible", parts[rid]))
    return book


@dataclass
class _SheetScan:
    merged: list[str] = field(default_factory=list)
    # row number -> column index -> (text, problem): formula cells, and error cells (whose
    # text calamine does not give)
    cells: dict[int, dict[int, tuple[str, str]]] = field(default_factory=dict)
    reader: str = "calamine"  # the whole sheet at once, "pieces" of it, or "openpyxl"
    prefix: bytes = b""  # of the sheet's SpreadsheetML elements
    shared: bool = False  # some cells are shared strings
    rows: int = 0  # the last row number
    width: int = 0  # the last column with a cell


@functools.lru_cache(maxsize=4)
def _scan_patterns(prefix: bytes) -> dict[str, re.Pattern]:
    p = re.escape(prefix)
    cell = rb'<' + p + rb'c r="([A-Z]{1,3})(\d{1,7})"'
    return {
        "column": re.compile(rb'<' + p + rb'c r="([A-Z]{1,3})\d'),
        "row": re.compile(rb'<' + p + rb'c r="[A-Z]{1,3}(\d{1,7})"'),
        "shared": re.compile(rb'<' + p + rb'c r="[A-Z]+\d+"(?: s="\d+")? t="s"[^>]*><'
                             + p + rb'v>(\d+)</' + p + rb'v>'),
        # the same cells once typed as inline strings: what follows the type, the index
        "shared_typed": re.compile(rb'(?<= t="inlineStr" )([^>]*)><' + p + rb'v>(\d+)</'
                                   + p + rb'v>'),
        "formula": re.compile(cell + rb'[^>]*(?<!/)>\s*<' + p + rb'f\b([^>]*?)(?:/>|>(.*?)</'
                              + p + rb'f>)', re.DOTALL),
        "error": re.compile(cell + rb'[^>]*? t="e"[^>]*(?<!/)>(.*?)</' + p + rb'c>', re.DOTALL),
        "value": re.compile(rb'<' + p + rb'v>([^<]*)</' + p + rb'v>'),
        "dimension": re.compile(rb'<' + p + rb'dimension\b[^>]*>'),
    }


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+\d+:[A-Z]+\d+)\"")
_ROOT = re.compile(rb"<(\w+:)?(?:worksheet|sst)\b")
_ATTRIBUTE = re.compile(rb'(\w+)="([^"]*)"')


def _sheet_pieces(stream, size: int) -> Iterator[tuple[bytes, bytes, bool]]:
    """A part's XML in pieces of at least ``size`` bytes that end where a row ends (the last
    piece where the XML does), as (prefix of the root element, piece, whether the piece can
    be read on its own). A row longer than ``_SCAN_ROW_LIMIT`` is cut anywhere, keeping 200
    bytes for the next piece (where a search for merged cells goes on)."""
    buffer, prefix, rooted, close, searched = bytearray(), b"", False, b"</row>", 0
    first = True
    while chunk := stream.read(_SCAN_CHUNK):
        buffer += chunk
        if first:
            first, root = False, _ROOT.search(buffer)
            prefix, rooted = ((root.group(1) or b""), True) if root else (b"", False)
            close = b"</" + prefix + b"row>"
        while len(buffer) >= size:
            end = buffer.find(close, max(size - len(close), searched, 0))
            if end < 0:
                searched = max(len(buffer) - len(close) + 1, 0)
                if len(buffer) >= _SCAN_ROW_LIMIT:
                    yield prefix, bytes(buffer[:-200]), False
                    del buffer[:-200]
                    searched = 0
                break
            end += len(close)
            yield prefix, bytes(buffer[:end]), rooted
            del buffer[:end]
            searched = 0
    yield prefix, bytes(buffer), rooted


def _sheet_scan(archive, path: str, strings_path: str | None, *, packed: int) -> _SheetScan:
    """One pass over the sheet's XML for what calamine does not tell: merged ranges, formula
    cells (calamine gives their cached values), error cells, and which reader the sheet
    goes to: calamine at once when the range it would load fits in memory (it copies the
    whole file in, then the range), else calamine piece by piece when each piece fits with
    the shared strings held and rows come in order. The pieces are those the reader cuts.
    Rows are scanned whole; a cell the patterns cannot account for (attributes in another
    order, no reference) sends the sheet to openpyxl."""
    scan, merged = _SheetScan(), []
    columns, last_row, strings, shared_formulae = set(), 0, None, {}
    specials, used_text, piece_cost, readable, in_order, head = 0, 0, 0, True, True, None
    size = archive.getinfo(path).file_size
    whole = packed + size <= CALAMINE_MEMORY_LIMIT
    with archive.open(path) as stream:
        for prefix, piece, whole_rows in _sheet_pieces(stream, CALAMINE_PIECE_BYTES):
            if b"mergeCell" in piece:
                merged += _MERGE.findall(piece)
            readable &= whole_rows
            if not readable:
                continue
            if head is None:  # the reader takes the sheet's head from the first piece
                head = b"<" + prefix + b"sheetData>" in piece
            scan.prefix, patterns = prefix, _scan_patterns(prefix)
            found = patterns["column"].findall(piece)
            rows = [int(n) for n in set(patterns["row"].findall(piece))]
            cells = piece.count(b"<" + prefix + b"c ") + piece.count(b"<" + prefix + b"c>")
            readable &= len(found) == cells
            text = 0
            if strings_path and b' t="s"' in piece:
                shared = patterns["shared"].findall(piece)
                readable &= len(shared) == piece.count(b' t="s"')
                if strings is None:
                    strings = _shared_strings(archive, strings_path)
                    sizes = strings.sizes
                text = sum(sizes[int(i)] * n if int(i) < len(sizes) else 0
                           for i, n in collections.Counter(shared).items())
                used_text += text
                scan.shared = True
            found_specials, expected = _special_cells(scan, piece, prefix, shared_formulae)
            specials += found_specials
            readable &= found_specials == expected and specials <= CALAMINE_SPECIAL_LIMIT
            if rows:
                in_order &= min(rows) > last_row
                last_row = max(last_row, *rows)
                span = [_column_index(c) for c in set(found)]
                piece_cost = max(piece_cost, 8 * (len(piece) + text) + CALAMINE_PIECE_CELL_BYTES
                                 * (max(rows) - min(rows) + 1) * (max(span) - min(span) + 1))
            columns.update(found)
            whole &= CALAMINE_CELL_BYTES * last_row * len(columns) <= CALAMINE_MEMORY_LIMIT
    scan.merged = [m.decode() for m in dict.fromkeys(merged)]
    if whole and columns:
        indexes = [_column_index(c) for c in columns]
        loaded = last_row * (max(indexes) - min(indexes) + 1)
        held = packed + size + (archive.getinfo(strings_path).file_size + used_text
                                if strings else 0)
        whole = CALAMINE_CELL_BYTES * loaded + held <= CALAMINE_MEMORY_LIMIT
    # pieces in row order, the first with the sheet's head, and shared strings they can copy
    held = strings.held if scan.shared else 0
    pieces = (in_order and (head or not last_row) and held + piece_cost <= CALAMINE_PIECE_LIMIT
              and (not scan.shared or strings.readable and strings.prefix == scan.prefix))
    scan.reader = ("calamine" if readable and whole else "pieces" if readable and pieces
                   else "openpyxl")
    if scan.reader == "openpyxl":
        scan.cells = {}
    scan.rows = max(last_row, max(scan.cells, default=0))
    scan.width = max(map(_column_index, columns), default=0)
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


@dataclass
class _SharedStrings:
    offsets: array.array  # where each string's XML starts in ``xml`` (as if kept), and the end
    prefix: bytes = b""
    readable: bool = True  # every <si> as the pieces can copy it into a cell
    xml: bytearray | None = None  # the inside of every <si>, one after the other

    @property
    def sizes(self) -> list[int]:
        return [b - a for a, b in zip(self.offsets, itertools.islice(self.offsets, 1, None))]

    @property
    def held(self) -> int:
        return self.offsets[-1] + 8 * len(self.offsets)

    def inlined(self, rows: bytes, prefix: bytes) -> bytes:
        """The rows' shared-string cells as inline strings (<is> holds what <si> does); the
        scan made sure that every ` t="s"` in them is such a cell's type."""
        parts = _scan_patterns(prefix)["shared_typed"].split(
            rows.replace(b' t="s"', b' t="inlineStr" '))
        offsets, xml = self.offsets, self.xml
        opening, closing = b"><" + prefix + b"is>", b"</" + prefix + b"is>"
        try:
            parts[2::3] = [opening + xml[offsets[i]:offsets[i + 1]] + closing
                           for i in map(int, parts[2::3])]
        except IndexError:  # a string that is not there
            raise _damaged() from None
        return b"".join(parts)


def _shared_strings(archive, path: str, *, keep: bool = False) -> _SharedStrings:
    """The shared strings' XML sizes (each bounds the bytes of text calamine copies into a
    cell that uses it) and, with ``keep``, the XML inside each <si>, for the pieces' cells."""
    strings, tail, separator, close = _SharedStrings(array.array("q", [0])), b"", None, b""
    if keep:
        strings.xml = bytearray()
    length = 0
    with archive.open(path) as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            data = tail + chunk
            if separator is None:
                root = _ROOT.search(data)
                strings.prefix = (root.group(1) or b"") if root else b""
                separator = b"<" + strings.prefix + b"si>"
                close = b"</" + strings.prefix + b"si>"
                start = data.find(separator)
                if start < 0:  # still in the header
                    separator, tail = None, data[-200:]
                    continue
                data = data[start + len(separator):]
            # an empty <si/> or one with attributes would be missed by the split
            strings.readable &= data.count(separator[:-1]) == data.count(separator)
            *pieces, tail = data.split(separator)
            for piece in pieces:
                end = piece.rfind(close)
                strings.readable &= end >= 0
                length += end
                strings.offsets.append(length)
                if keep:
                    strings.xml += piece[:end]
    if separator:
        end = tail.rfind(close)
        strings.readable &= end >= 0
        strings.offsets.append(length + end)
        if keep:
            strings.xml += tail[:end]
    return strings


def _calamine_row(specials, number: int, lead: list[str], values) -> Row:
    # the hot loop of a read: most cells are text or empty
    found = Row(number, lead + [
        (v and (t if (t := v.strip())[:1] != "'" else unneutralised(t)))
        if v.__class__ is str else _value_text(v) for v in values])
    for column, (text, problem) in specials.get(number, {}).items():
        found.cells.extend([""] * (column + 1 - len(found.cells)))
        found.cells[column] = text
        if problem:
            found.problems[column] = problem
    return found


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

    def rows():
        for number, values in enumerate(sheet.iter_rows() if height else (), start=1):
            found = _calamine_row(specials, number, lead, values)
            if number == 1 or found.problems or any(found.cells):
                yield found
        for number in sorted(n for n in specials if n > height):
            yield _calamine_row(specials, number, [], ())

    return rows(), max(height, max(specials, default=0))


_PIECE_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
                'openxmlformats.org/package/2006/content-types"><Default Extension="xml" '
                'ContentType="application/xml"/><Default Extension="rels" ContentType="'
                'application/vnd.openxmlformats-package.relationships+xml"/></Types>')
_PIECE_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
               'openxmlformats.org/package/2006/relationships">{}</Relationships>')
_PIECE_REL = ('<Relationship Id="{}" Type="http://schemas.openxmlformats.org/officeDocument/'
              '2006/relationships/{}" Target="{}"/>')
_PIECE_BOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
               'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
               'openxmlformats.org/officeDocument/2006/relationships"><workbookPr date1904='
               '"{}"/><sheets><sheet name="Piece" sheetId="1" r:id="rId1"/></sheets></workbook>')


def _calamine_piece_rows(binary, book: _Workbook, path: str,
                         scan: _SheetScan) -> tuple[Iterator[Row], int]:
    """The sheet read by calamine one piece of rows at a time (the pieces the scan bounded),
    each piece's rows numbered from where calamine says the piece starts, and as wide as the
    sheet (as when calamine reads it at once)."""
    import python_calamine

    archive = zipfile.ZipFile(binary)
    try:
        strings = _shared_strings(archive, book.strings, keep=True) if scan.shared else None
        styles = archive.read(book.styles) if book.styles else None
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, zlib.error):
        archive.close()
        raise _damaged() from None
    rels = _PIECE_REL.format("rId1", "worksheet", "worksheets/sheet1.xml") + (
        _PIECE_REL.format("rId2", "styles", "styles.xml") if styles else "")
    parts = [("[Content_Types].xml", _PIECE_TYPES),
             ("_rels/.rels", _PIECE_RELS.format(
                 _PIECE_REL.format("rId1", "officeDocument", "xl/workbook.xml"))),
             ("xl/workbook.xml", _PIECE_BOOK.format(int(book.date1904))),
             ("xl/_rels/workbook.xml.rels", _PIECE_RELS.format(rels)),
             *([("xl/styles.xml", styles)] if styles else [])]
    prefix, specials, width = scan.prefix, scan.cells, scan.width
    patterns, pending = _scan_patterns(prefix), sorted(specials)
    opening, closing = b"<" + prefix + b"sheetData>", b"</" + prefix + b"sheetData>"
    end = closing + b"</" + prefix + b"worksheet>"

    def values(sheet_xml: bytes):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as piece:
            for name, data in parts:
                piece.writestr(name, data)
            piece.writestr("xl/worksheets/sheet1.xml", sheet_xml)
        out.seek(0)
        try:
            with python_calamine.CalamineWorkbook.from_filelike(out) as workbook:
                sheet = workbook.get_sheet_by_index(0)
                if sheet.start is None:
                    return 0, [], []
                return (sheet.start[0] + 1, [""] * sheet.start[1],
                        sheet.to_python(skip_empty_area=True))
        except Exception:  # calamine raises its own errors and ValueError for a damaged part
            raise _damaged() from None

    def wide(row: Row) -> Row:
        row.cells.extend([""] * (width - len(row.cells)))
        return row

    def rows():
        head, at = None, 0
        try:
            with archive.open(path) as stream:
                for _, piece, _ in _sheet_pieces(stream, CALAMINE_PIECE_BYTES):
                    if head is None:
                        start = piece.find(opening)
                        if start < 0:
                            break  # no rows (the scan saw to it)
                        start += len(opening)
                        head = patterns["dimension"].sub(b"", piece[:start])
                        piece = piece[start:]
                    if (stop := piece.find(closing)) >= 0:
                        piece = piece[:stop]
                    if strings and b' t="s"' in piece:
                        piece = strings.inlined(piece, prefix)
                    first, lead, found = values(head + piece + end)
                    while at < len(pending) and pending[at] < first:  # rows only the scan saw
                        yield wide(_calamine_row(specials, pending[at], [], ()))
                        at += 1
                    for number, cells in enumerate(found, start=first):
                        row = _calamine_row(specials, number, lead, cells)
                        if number == 1 or row.problems or any(row.cells):
                            yield wide(row)
                    while at < len(pending) and pending[at] < first + len(found):
                        at += 1
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error):
            raise _damaged() from None
        finally:
            archive.close()
        for number in pending[at:]:
            yield wide(_calamine_row(specials, number, [], ()))

    return rows(), scan.rows


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
