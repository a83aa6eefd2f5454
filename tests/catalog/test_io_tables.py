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


# Workbooks written as other programs write them, read by every reader: python-calamine for
# sheets that fit in memory, python-calamine piece by piece for larger ones (here a piece is a
# row), openpyxl's streaming for what neither can take (limits of 0 send every sheet there).
# All must give the same rows.
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def handmade_xlsx(sheets, strings=(), prefix="") -> bytes:
    """An .xlsx of the given sheets, (title, state, XML of the rows), with shared strings,
    in the XML LibreOffice writes; with a prefix, every SpreadsheetML element carries it."""
    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns{":" + prefix if prefix else ""}="{MAIN}"'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
            '.org/package/2006/content-types"><Default Extension="xml" ContentType="application'
            '/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="applica'
                      'tion/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                      for i in range(1, len(sheets) + 1))
            + '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'))
        archive.writestr("_rels/.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="'
            f'{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'))
        archive.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="rId{i}" Type="{RELS}/worksheet" '
                      f'Target="worksheets/sheet{i}.xml"/>' for i in range(1, len(sheets) + 1))
            + f'<Relationship Id="rIdS" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'))
        archive.writestr("xl/workbook.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}workbook {ns} xmlns:r="{RELS}">'
            f'<{p}workbookPr date1904="false"/><{p}sheets>'
            + "".join(f'<{p}sheet name="{title}" sheetId="{i}" state="{state}" r:id="rId{i}"/>'
                      for i, (title, state, _) in enumerate(sheets, start=1))
            + f"</{p}sheets></{p}workbook>"))
        archive.writestr("xl/sharedStrings.xml", (
            f'<?xml version="1.0" encoding="UTF-8"?><{p}sst {ns} count="{len(strings)}" '
            f'uniqueCount="{len(strings)}">'
            + "".join(f'<{p}si><{p}t xml:space="preserve">{s}</{p}t></{p}si>' for s in strings)
            + f"</{p}sst>"))
        for i, (_title, _state, rows) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", (
                f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet {ns} xmlns:r="{RELS}">'
                f'<{p}sheetPr filterMode="false"/><{p}sheetFormatPr defaultRowHeight="12.8"/>'
                f'<{p}sheetData>{rows.replace("<", "<" + p).replace("<" + p + "/", "</" + p)}'
                f"</{p}sheetData></{p}worksheet>"))
    return out.getvalue()


ROW = ('<row r="{}" customFormat="false" ht="12.8" hidden="false" customHeight="false" '
       'outlineLevel="0" collapsed="false">{}</row>')
LIBREOFFICE_ROWS = "".join([
    # the used range starts at B1; row 3 is blank; row 6 has only styled empty cells
    ROW.format(1, '<c r="B1" s="0" t="s"><v>0</v></c><c r="C1" s="0" t="s"><v>1</v></c>'
                  '<c r="D1" s="0" t="s"><v>2</v></c>'),
    ROW.format(2, '<c r="B2" s="0" t="s"><v>3</v></c><c r="C2" s="0" t="n"><v>4006381333931'
                  '</v></c><c r="D2" s="0" t="str"><f aca="false">UPPER(B2)&amp;"&lt;"</f>'
                  '<v>WD-1&lt;</v></c>'),
    ROW.format(4, '<c r="B4" s="0" t="s"><v>4</v></c><c r="C4" s="0" t="e"><v>#N/A</v></c>'
                  '<c r="D4" s="0" t="str"><f aca="false" t="shared" ref="D4:D5" si="0">'
                  'LOWER(B4)</f><v>wd-2</v></c>'),
    ROW.format(5, '<c r="B5" s="0" t="s"><v>5</v></c><c r="C5" s="0" t="n"><v>0.5</v></c>'
                  '<c r="D5" s="0" t="str"><f aca="false" t="shared" si="0"/><v>wd-3</v></c>'),
    ROW.format(6, '<c r="B6" s="0"/><c r="C6" s="0"/>'),
])
LIBREOFFICE_STRINGS = ["style_code", "gtin", "note", "WD-1", "WD-2", "  'WD-3 "]


@pytest.fixture(params=["calamine", "pieces", "openpyxl"])
def reader(request, monkeypatch):
    """Which reader the sheets go to; the others fail if they are called."""
    from catalog.io import tables

    def fail(name):
        return lambda *a, **k: pytest.fail(name)

    if request.param != "calamine":
        monkeypatch.setattr(tables, "CALAMINE_MEMORY_LIMIT", 0)
        monkeypatch.setattr(tables, "_calamine_rows", fail("calamine at once"))
    if request.param == "pieces":
        monkeypatch.setattr(tables, "CALAMINE_PIECE_BYTES", 1)
    if request.param == "openpyxl":
        monkeypatch.setattr(tables, "CALAMINE_PIECE_LIMIT", 0)
    else:
        monkeypatch.setattr(openpyxl, "load_workbook", fail("openpyxl"))
    return request.param


def formula(text):
    return (f"The cell holds the formula {text}: the import reads values only. Copy the "
            "column and paste it as values.")


@pytest.mark.parametrize("prefix", ["", "x"])
def test_a_libreoffice_sheet_is_read_with_its_row_numbers_formulas_and_errors(reader, prefix):
    data = handmade_xlsx([("Old", "hidden", ROW.format(1, '<c r="A1" t="s"><v>0</v></c>')),
                          ("Products", "visible", LIBREOFFICE_ROWS),
                          ("Notes", "visible", "")], LIBREOFFICE_STRINGS, prefix)
    table, rows = read(data)
    assert table.header == ["", "style_code", "gtin", "note"]
    assert table.notices == ["Sheet “Old” is hidden and was not read.",
                             "Only the first sheet was read; sheet “Notes” was not."]
    assert [row for row in rows if any(row[1]) or row[2]] == [
        (2, ["", "WD-1", "4006381333931", ""], {3: formula('=UPPER(B2)&"<"')}),
        (4, ["", "WD-2", "#N/A", ""], {3: formula("=LOWER(B4)")}),
        (5, ["", "'WD-3", "0.5", ""], {3: formula("=LOWER(B5)")}),
    ]


def test_xlsx_files_written_by_openpyxl_read_the_same_with_both_readers(reader):
    import datetime

    def shape(workbook, sheet):
        sheet["C5"] = "=SUM(A2:A3)"
        sheet["E7"] = True
        sheet.append([])

    data = xlsx([[None, "style_code", "gtin", "when"],
                 [None, "WD-1", 4006381333931, datetime.date(2025, 3, 1)],
                 [], [None, " =not a formula", 1.25, datetime.datetime(2025, 3, 1, 9, 30)]],
                shape)
    table, rows = read(data)
    assert table.header == ["", "style_code", "gtin", "when", ""]
    assert [row for row in rows if any(row[1]) or row[2]] == [
        (2, ["", "WD-1", "4006381333931", "2025-03-01", ""], {}),
        (4, ["", "=not a formula", "1.25", "2025-03-01 09:30:00", ""], {}),
        (5, ["", "", "", "", ""], {2: formula("=SUM(A2:A3)")}),
        (7, ["", "", "", "", "TRUE"], {}),
    ]
    assert table.rows_estimate == 6


def test_a_header_below_the_first_row_is_refused(reader):
    data = handmade_xlsx([("Products", "visible",
                           ROW.format(2, '<c r="A2" t="s"><v>0</v></c>'))], ["style_code"])
    assert "The first row is empty" in refused(data)


def test_an_empty_sheet_is_refused(reader):
    assert "The file is empty" in refused(handmade_xlsx([("Products", "visible", "")]))


def test_a_sparse_sheet_spanning_the_whole_grid_is_streamed_not_loaded():
    """Two cells at opposite corners: calamine would allocate every cell between them
    (17 billion), so the scan sends the sheet to openpyxl."""
    data = handmade_xlsx([("Products", "visible",
                           ROW.format(1, '<c r="A1" t="s"><v>0</v></c>')
                           + ROW.format(1048576, '<c r="XFD1048576" t="n"><v>7</v></c>'))],
                         ["style_code"])
    table = table_open(io.BytesIO(data), max_bytes=MB, max_uncompressed=MB)
    assert table.header == ["style_code"]
    last = next(row for row in table.rows if any(row.cells))
    assert last.number == 1048576 and last.cells[-1] == "7" and len(last.cells) == 16384


@pytest.mark.parametrize("cells", [
    '<c r="A1" t="s"><v>0</v>',  # a cell never closed
    '<c r="A1" t="s"><v>9</v></c>',  # a shared string that is not there
])
def test_a_damaged_sheet_is_refused(cells):
    data = handmade_xlsx([("Products", "visible", ROW.format(1, cells))], ["style_code"])
    assert "This workbook is damaged" in refused(data)


# Sheets too large for calamine to load at once are read piece by piece: each piece of whole
# rows becomes a workbook of its own. What a piece border could break: row numbers, values
# typed by the workbook's styles (dates), shared strings, formulas whose text is in an
# earlier piece, and rows only the scan sees.
def pieces(monkeypatch, piece_bytes):
    """Sheets go to calamine in pieces of about `piece_bytes` of XML; returns the list of
    pieces read (one count per piece)."""
    import python_calamine

    from catalog.io import tables

    monkeypatch.setattr(tables, "CALAMINE_MEMORY_LIMIT", 0)
    monkeypatch.setattr(tables, "CALAMINE_PIECE_BYTES", piece_bytes)
    opened, real = [], python_calamine.CalamineWorkbook.from_filelike
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_filelike",
                        lambda binary: opened.append(1) or real(binary))
    return opened


def big_sheet_xlsx() -> bytes:
    import datetime

    def shape(workbook, sheet):
        sheet["D9"] = "=SUM(B2:B3)"
        sheet["E40"] = "#N/A"  # openpyxl writes an error cell

    rows = [["style_code", "gtin", "when", "note", "rating"]]
    for n in range(2, 60):
        if n % 7 == 0:
            rows.append([])  # a blank row
            continue
        rows.append([f"WD-{n}", 4006381333931 if n % 2 else "0012345678905",
                     datetime.date(2025, 3, n % 28 + 1) if n % 3 else
                     datetime.datetime(2025, 3, 1, n % 24, 30), f"'=not {n} & <b>", n / 4])
    return xlsx(rows, shape)


def normalised(rows):
    return [(number, cells[:5], problems) for number, cells, problems in rows
            if any(cells) or problems]


@pytest.mark.parametrize("piece_bytes", [1, 700, 4000])
def test_a_sheet_read_in_pieces_reads_as_a_sheet_read_at_once(monkeypatch, piece_bytes):
    data = big_sheet_xlsx()
    whole_table, whole = read(data)
    opened = pieces(monkeypatch, piece_bytes)
    table, rows = read(data)
    assert len(opened) > 3
    assert table.header == whole_table.header and rows == whole
    assert table.rows_estimate == whole_table.rows_estimate == 58
    by_number = {number: (cells, problems) for number, cells, problems in rows}
    assert by_number[2][0] == ["WD-2", "0012345678905", "2025-03-03", "=not 2 & <b>", "0.5"]
    assert by_number[3][0] == ["WD-3", "4006381333931", "2025-03-01 03:30:00",
                               "=not 3 & <b>", "0.75"]
    assert 7 not in [n for n, cells, problems in rows if any(cells)]
    assert by_number[9][1] == {3: formula("=SUM(B2:B3)")}
    assert by_number[40][0][4] == "#N/A"


def test_shared_strings_and_shared_formulae_cross_piece_borders(monkeypatch):
    strings = ["style_code", "note", "Robe &amp; jupe", "&lt;b&gt;"]
    rows = ROW.format(1, '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>') + "".join(
        ROW.format(n, f'<c r="A{n}" t="s"><v>{2 + n % 2}</v></c>'
                      + (f'<c r="B{n}" t="str"><f t="shared" ref="B2:B9" si="0">A2</f>'
                         '<v>x</v></c>' if n == 2 else
                         f'<c r="B{n}" t="str"><f t="shared" si="0"/><v>x</v></c>'))
        for n in range(2, 10))
    data = handmade_xlsx([("Products", "visible", rows)], strings, "x")
    _table, whole = read(data)
    opened = pieces(monkeypatch, 1)
    table, read_in_pieces = read(data)
    assert len(opened) == 10 and read_in_pieces == whole  # one piece a row, and the end
    assert read_in_pieces[0] == (2, ["Robe & jupe", ""], {1: formula("=A2")})
    assert read_in_pieces[-1] == (9, ["<b>", ""], {1: formula("=A9")})


def with_part(data: bytes, name: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for member in source.infolist():
            part = source.read(member)
            target.writestr(member, change(part) if member.filename == name else part)
    return out.getvalue()


@pytest.mark.parametrize("case", ["rows out of order", "a piece too large",
                                  "a shared string the pieces cannot copy"])
def test_what_pieces_cannot_read_is_streamed_by_openpyxl(monkeypatch, case):
    from catalog.io import tables

    order = (1, 2, 3) if case != "rows out of order" else (1, 3, 2)
    data = handmade_xlsx([("Products", "visible", "".join(
        ROW.format(n, f'<c r="A{n}" t="s"><v>{n - 1}</v></c><c r="B{n}"><v>{n}</v></c>')
        for n in order))], ["style_code", "", "WD-2"])
    if case == "a shared string the pieces cannot copy":  # an empty string written <si/>
        data = with_part(data, "xl/sharedStrings.xml", lambda xml: xml.replace(
            b'<si><t xml:space="preserve"></t></si>', b"<si/>"))
    opened = pieces(monkeypatch, 1)
    if case == "a piece too large":
        monkeypatch.setattr(tables, "CALAMINE_PIECE_LIMIT", 1000)
    streamed, load = [], openpyxl.load_workbook
    monkeypatch.setattr(openpyxl, "load_workbook",
                        lambda *a, **k: streamed.append(1) or load(*a, **k))
    _table, rows = read(data)
    assert streamed and not opened
    if case != "rows out of order":  # (which openpyxl reads as before: row 2 is lost)
        assert rows == [(2, ["", "2"], {}), (3, ["WD-2", "3"], {})]


@pytest.mark.parametrize("cells", [
    '<c r="A1" t="s"><v>0</v>',  # a cell never closed
    '<c r="A1" t="s"><v>9</v></c>',  # a shared string that is not there
])
def test_a_damaged_piece_is_refused(monkeypatch, cells):
    pieces(monkeypatch, 1)
    data = handmade_xlsx([("Products", "visible", ROW.format(1, '<c r="A1"><v>1</v></c>')
                           + ROW.format(2, cells.replace("A1", "A2")))], ["style_code"])
    assert "This workbook is damaged" in refused(data)


def test_a_workbook_dated_from_1904_keeps_its_dates_in_pieces(monkeypatch):
    import datetime

    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    def mac(workbook, sheet):
        workbook.epoch = CALENDAR_MAC_1904

    data = xlsx([["style_code", "when"]] + [[f"WD-{n}", datetime.date(2025, 3, n)]
                                            for n in range(1, 6)], mac)
    _table, whole = read(data)
    opened = pieces(monkeypatch, 1)
    _table, rows = read(data)
    assert len(opened) > 3 and rows == whole
    assert rows[0] == (2, ["WD-1", "2025-03-01"], {})
