"""The table readers and writers: messy files read right or refused with a clear message."""
import io
import zipfile

import openpyxl
import pytest

from catalog.io import products as fmt
from catalog.io.tables import FileRefused, table_open, table_writer

MB = 1024 * 1024


def read(data: bytes, *, max_bytes=100 * MB, max_uncompressed=100 * MB):
    table = table_open(io.BytesIO(data), max_bytes=max_bytes,
                       max_uncompressed=max_uncompressed)
    return table, [(row.number, row.cells, row.problems) for row in table.rows]


def refused(data: bytes, **limits) -> str:
    with pytest.raises(FileRefused) as caught:
        _table, _rows = read(data, **limits)
    return str(caught.value)


@pytest.mark.parametrize("encoding, data", [
    ("UTF-8", "style_code,name[fr]\nWD-1,Robe été\n".encode()),
    ("UTF-8 with BOM", "\ufeffstyle_code,name[fr]\nWD-1,Robe été\n".encode()),
    ("Windows-1252", "style_code,name[fr]\nWD-1,Robe été\n".encode("cp1252")),
    ("UTF-16", "style_code,name[fr]\nWD-1,Robe été\n".encode("utf-16")),
])
def test_csv_encodings_are_detected(encoding, data):
    table, rows = read(data)
    assert table.encoding == encoding
    assert table.header == ["style_code", "name[fr]"]
    assert rows == [(2, ["WD-1", "Robe été"], {})]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_csv_delimiters_are_sniffed(delimiter):
    data = delimiter.join(["style_code", "name[en]", "sku"]) + "\n" + delimiter.join(
        ["WD-1", '"Dress, long"' if delimiter == "," else "Dress, long", "A-1"]) + "\n"
    table, rows = read(data.encode())
    assert table.delimiter == delimiter
    assert rows[0][1] == ["WD-1", "Dress, long", "A-1"]


def test_a_quoted_cell_may_hold_line_breaks_and_row_numbers_follow_the_file():
    _table, rows = read(b'style_code,description[en]\nWD-1,"<p>One</p>\n<p>Two</p>"\nWD-2,x\n')
    assert rows[0] == (2, ["WD-1", "<p>One</p>\n<p>Two</p>"], {})
    assert rows[1][1] == ["WD-2", "x"]


@pytest.mark.parametrize("data, message", [
    (b"", "The file is empty"),
    (b"\n\n", "The file is empty"),
    (b"%PDF-1.7\n\x00\x01\x02binary", "not a spreadsheet"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
    (b"PK\x03\x04 not really a zip", "not a spreadsheet"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "old Excel .xls"),
])
def test_files_that_are_not_tables_are_refused(data, message):
    assert message in refused(data)


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "not a spreadsheet" in refused(out.getvalue())


def test_a_file_above_the_size_limit_is_refused_before_it_is_read():
    message = refused(b"style_code\n" + b"WD-1\n" * 1000, max_bytes=1000)
    assert "The file is 4.9 KB; imports take files up to 1000 bytes" in message


def test_an_xlsx_zip_bomb_is_refused_from_its_declared_sizes():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (20 * MB))
    assert len(out.getvalue()) < MB
    message = refused(out.getvalue())
    assert "zip bomb" in message and "xl/worksheets/sheet1.xml" in message
    assert "zip bomb" in refused(out.getvalue(), max_uncompressed=10 * MB)


def xlsx(rows, prepare=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    if prepare:
        prepare(workbook, sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_numbers_dates_and_blank_rows_become_text():
    import datetime

    data = xlsx([["style_code", "gtin", "rating_average", "model_height_cm", "when"],
                 ["WD-1", 4006381333931, 4.5, 178.0, datetime.datetime(2025, 3, 1)],
                 [None, None, None, None, None], [None] * 5])
    table, rows = read(data)
    assert table.format == "xlsx"
    assert rows[0] == (2, ["WD-1", "4006381333931", "4.5", "178", "2025-03-01"], {})
    assert all(not any(cells) for _, cells, _ in rows[1:])


def test_xlsx_formulas_are_reported_on_their_cell():
    _table, rows = read(xlsx([["style_code", "name[en]"], ["WD-1", '=UPPER("dress")']]))
    assert rows[0][1] == ["WD-1", ""]
    assert "formula =UPPER" in rows[0][2][1] and "paste it as values" in rows[0][2][1]


def test_xlsx_merged_cells_are_refused_with_their_ranges():
    def merge(workbook, sheet):
        sheet.merge_cells("A2:A3")

    message = refused(xlsx([["style_code", "sku"], ["WD-1", "A"], [None, "B"]], merge))
    assert "merged cells (A2:A3)" in message and "Unmerge" in message


def test_xlsx_hidden_sheets_are_not_read_and_said_so():
    def hide(workbook, sheet):
        hidden = workbook.create_sheet("Old prices", 0)
        hidden.append(["nothing", "here"])
        hidden.sheet_state = "hidden"

    table, rows = read(xlsx([["style_code"], ["WD-1"]], hide))
    assert table.header == ["style_code"] and rows[0][1] == ["WD-1"]
    assert table.notices == ["Sheet “Old prices” is hidden and was not read."]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_writers_neutralise_formulas_and_readers_give_them_back(format):
    out = io.BytesIO()
    writer = table_writer(out, format)
    cells = ["=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "plain", "4006381333931"]
    writer.write(["a", "b", "c", "d", "e", "f"])
    writer.write(cells)
    writer.close()
    if format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
        stored = [c.value for c in sheet[2]]
        assert stored[0] == "'=HYPERLINK(\"http://x\")" and stored[5] == "4006381333931"
        assert all(c.data_type == "s" for c in sheet[2])
    else:
        text = out.getvalue().decode("utf-8-sig")
        assert "'=HYPERLINK" in text and "'+1" in text and "'@SUM" in text
    _table, rows = read(out.getvalue())
    assert rows[0][1] == cells


def test_two_hundred_empty_columns_and_trailing_blank_rows_are_read():
    header = "style_code,sku" + "," * 200
    table, rows = read((header + "\nWD-1,A" + "," * 200 + "\n" + "," * 201 + "\n").encode())
    assert table.header[:2] == ["style_code", "sku"] and len(table.header) == 202
    assert rows[0][1][:2] == ["WD-1", "A"] and not any(rows[1][1])


@pytest.mark.parametrize("text, expected", [
    ("4006381333931", "4006381333931"),
    ("400 6381 33393 1", "4006381333931"),
    ("4006381333931.0", "4006381333931"),
    ("12345678905", "0012345678905"),  # an EAN-13 whose two leading zeros a sheet dropped
    ("123456789", "123456789"),  # padding would not give a valid check digit: left to refuse
])
def test_gtin_cells_are_normalised(text, expected):
    assert fmt.gtin_cell(text) == expected


@pytest.mark.parametrize("text", ["5.90123E+12", "5,90123E+12", "5.90123e12"])
def test_gtins_in_scientific_notation_are_refused(text):
    with pytest.raises(fmt.CellError, match="scientific notation.*digits are lost"):
        fmt.gtin_cell(text)


@pytest.mark.parametrize("parse, text, message", [
    (fmt.composition_parse, "shell: 95% cottn", "Unknown fibre “cottn”"),
    (fmt.composition_parse, "sleeve: 100% cotton", "Unknown part “sleeve”"),
    (fmt.composition_parse, "shell: cotton", "write a percentage then a fibre"),
    (fmt.care_parse, "washing: wash_31", "Unknown washing care code “wash_31”"),
    (fmt.care_parse, "tumble: line_dry", "the groups being washing"),
    (fmt.care_parse, "washing: wash_30; washing: wash_40", "given twice"),
    (fmt.size_chart_parse, "S eu=36", "write the size label, a colon"),
    (fmt.size_chart_parse, "S: shoulder=40", "is not key=value"),
    (fmt.shipping_parse, "DE 4.90", "write country: cost currency"),
])
def test_cell_syntaxes_refuse_with_how_to_write_them(parse, text, message):
    with pytest.raises(fmt.CellError, match=message):
        parse(text)


def test_cell_syntaxes_parse():
    assert fmt.composition_parse("shell: 95% cotton, 5% Elastane; lining: 100 % viscose") == [
        {"part": "shell", "fibre": "cotton", "position": 0, "percentage": "95"},
        {"part": "shell", "fibre": "elastane", "position": 1, "percentage": "5"},
        {"part": "lining", "fibre": "viscose", "position": 0, "percentage": "100"}]
    assert fmt.care_parse("washing: wash_30; drying: line_dry")["care_drying"] == "line_dry"
    assert fmt.care_parse("washing: wash_30")["care_ironing"] == ""
    assert fmt.size_chart_parse("S: eu=36, chest=84.5; M: uk=10") == [
        {"size_label": "S", "position": 0, "eu": "36", "chest_cm": "84.5"},
        {"size_label": "M", "position": 1, "uk": "10"}]
    assert fmt.shipping_parse("de: 4,90 eur, 2-4 days; FR: 0 EUR 1-3") == [
        {"country": "DE", "cost": "4.90", "currency": "EUR", "min_days": "2", "max_days": "4"},
        {"country": "FR", "cost": "0", "currency": "EUR", "min_days": "1", "max_days": "3"}]
