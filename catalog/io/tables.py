"""Spreadsheets as rows of text: CSV and XLSX readers and streaming writers.

Readers take the messy files real spreadsheets make (UTF-8 with or without BOM, Windows-1252,
semicolons, numbers where text was meant, trailing blank rows, empty columns) and refuse with
a :class:`FileRefused` what they cannot read right: a file that is no spreadsheet, a zip
bomb, merged cells, a file above the size limit. Cells come out as stripped text; a formula
is reported on its cell, never evaluated. Writers stream (bounded memory whatever the rows)
and neutralise cells a spreadsheet would run as formulas.
"""
from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import zipfile
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


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]+\d+:[A-Z]+\d+)\"")


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
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(binary, read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for a damaged workbook
        raise FileRefused("This workbook is damaged or not an Excel .xlsx file: open it in "
                          "your spreadsheet program and save it again as .xlsx.") from None
    notices, sheet = [], None
    for ws in workbook.worksheets:
        if ws.sheet_state != "visible":
            notices.append(f"Sheet “{ws.title}” is hidden and was not read.")
        elif sheet is None:
            sheet = ws
        else:
            notices.append(f"Only the first sheet was read; sheet “{ws.title}” was not.")
    if sheet is None:
        raise FileRefused("The workbook has no visible sheet: unhide the sheet to import.")
    merged = _merged_ranges(archive, sheet)
    archive.close()
    if merged:
        shown = ", ".join(merged[:5]) + (" …" if len(merged) > 5 else "")
        raise FileRefused(f"Sheet “{sheet.title}” has merged cells ({shown}): a merged cell "
                          "keeps its value in its first row only. Unmerge them, fill every "
                          "row, and upload again.")
    estimate = sheet.max_row or 0
    cells_iter = sheet.iter_rows()
    header_cells = next(cells_iter, None)
    if header_cells is None:
        raise FileRefused("The file is empty: export the sheet again with its header row.")
    header = [_xlsx_text(c)[0] for c in header_cells]
    if not any(header):
        raise FileRefused("The first row is empty: the first row must name the columns.")

    def rows():
        for cells in cells_iter:
            row = Row(0, [])
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

    return Table("xlsx", header, rows(), notices=notices, rows_estimate=max(estimate - 1, 0))


def _merged_ranges(archive, sheet) -> list[str]:
    """The sheet's merged ranges, read from the end of its XML (openpyxl's read-only mode
    does not report them)."""
    path = getattr(sheet, "_worksheet_path", None) or "xl/worksheets/sheet1.xml"
    found, tail = [], b""
    with archive.open(path.lstrip("/")) as stream:
        while chunk := stream.read(1 << 20):
            data = tail + chunk
            found += [m.decode() for m in _MERGE.findall(data)]
            tail = data[-200:]
    return list(dict.fromkeys(found))


def _xlsx_text(cell) -> tuple[str, str]:
    value = getattr(cell, "value", None)
    if getattr(cell, "data_type", None) == "f" or (isinstance(value, str)
                                                    and value.startswith("=")
                                                    and getattr(cell, "data_type", "") == "f"):
        return "", (f"The cell holds the formula {value}: the import reads values only. "
                    "Copy the column and paste it as values.")
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), ""
    if isinstance(value, int):
        return str(value), ""
    if isinstance(value, float):
        return (str(int(value)) if value.is_integer() and abs(value) < 1e15
                else format(Decimal(repr(value)).normalize(), "f")), ""
    if isinstance(value, datetime.datetime):
        return (value.date().isoformat() if value.time() == datetime.time() else
                value.isoformat(sep=" ")), ""
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat(), ""
    return unneutralised(str(value).strip()), ""


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
