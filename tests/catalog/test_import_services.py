"""products_import / products_export: the rules of DOMAIN section 10, through the service and
the commands."""
import io
import re

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Colour, CompositionLine, Product, ShippingRate, SizeChartRow, Variant
from catalog.services import completeness
from tests import factories
from tests.catalog.import_helpers import (HEADER, csv_bytes, exported, problems, run,
                                         saved_by_libreoffice, xlsx_bytes)

pytestmark = pytest.mark.django_db

GTIN_S, GTIN_M = factories.valid_gtin(101), factories.valid_gtin(102)
FULL = HEADER + ["size_chart", "composition", "description[en]"]


def new_rows(style="WD-25-0001", **overrides):
    first = [style, "maison", "SS25", "Women > Dresses", "Linen dress", "BLK", "Black",
             f"{style}-BLK-S", "S", GTIN_S, "S: eu=36; M: eu=38", "shell: 100% flax",
             "<p>Long.</p>"]
    second = [style, "", "", "", "", "BLK", "", f"{style}-BLK-M", "M", GTIN_M, "", "", ""]
    for name, value in overrides.items():
        first[FULL.index(name)] = value
    return [first, second]


def test_a_new_product_is_created_with_colours_variants_and_content(refs, admin_user):
    report = run(csv_bytes(new_rows(), header=FULL), user=admin_user, filename="ss25.csv")
    assert problems(report) == []
    assert (report.created, report.updated, report.unchanged, report.rows) == (1, 0, 0, 2)
    product = Product.objects.get(style_code="WD-25-0001")
    assert product.name_en == "Linen dress" and product.category == refs["category"]
    assert list(Variant.objects.filter(colour__product=product).values_list(
        "sku", "size_label", "gtin").order_by("sku")) == [
        ("WD-25-0001-BLK-M", "M", "0" + GTIN_M), ("WD-25-0001-BLK-S", "S", "0" + GTIN_S)]
    assert [r.size_label for r in product.size_chart_rows.all()] == ["S", "M"]
    entry = product.history.get()
    assert entry.history_user == admin_user
    assert entry.history_change_reason == f"imported by {admin_user.username} from file ss25.csv"


def test_a_dry_run_reports_and_writes_nothing(refs):
    report = run(csv_bytes(new_rows(), header=FULL), dry_run=True)
    assert (report.created, report.problem_count, report.written) == (1, 0, False)
    assert not Product.objects.exists() and not Variant.objects.exists()


def test_command_dry_run_then_apply(refs, tmp_path):
    path = tmp_path / "ss25.csv"
    path.write_bytes(csv_bytes(new_rows(), header=FULL))
    out = io.StringIO()
    call_command("import_products", str(path), "--dry-run", "--no-progress", stdout=out)
    assert "1 would be created" in out.getvalue() and not Product.objects.exists()
    call_command("import_products", str(path), "--no-progress", stdout=out)
    assert Product.objects.filter(style_code="WD-25-0001").exists()


def test_command_reports_problems_by_row_and_column_and_writes_the_marked_file(refs, tmp_path):
    path, marked = tmp_path / "bad.csv", tmp_path / "bad-problems.xlsx"
    path.write_bytes(csv_bytes(new_rows(brand="nobrand"), header=FULL))
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_products", str(path), "--dry-run", "--no-progress",
                     "--report", str(marked), stdout=out)
    assert "row 2, brand “nobrand”: There is no brand “nobrand”: use one of maison." in (
        out.getvalue())
    sheet = openpyxl.load_workbook(marked).active
    cell = sheet.cell(2, FULL.index("brand") + 1)
    assert cell.value == "nobrand" and cell.fill.start_color.rgb.endswith("FFC7CE")
    assert "no brand “nobrand”" in cell.comment.text
    assert sheet.cell(1, len(FULL) + 1).value == "problems"


def test_command_refuses_an_unreadable_file(tmp_path):
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    with pytest.raises(CommandError, match="not a spreadsheet"):
        call_command("import_products", str(path), "--no-progress", stdout=io.StringIO())


@pytest.mark.parametrize("column, value, message", [
    ("brand", "nobrand", "There is no brand “nobrand”: use one of maison."),
    ("season", "AW99", "There is no season “AW99”: use one of SS25."),
    ("category", "Women > Shoes", ("There is no category “Women > Shoes”: use one of Women, "
                                  "Women > Dresses.")),
    ("composition", "shell: 100% unobtainium", "Unknown fibre “unobtainium”"),
    ("composition", "shell: 60% flax, 35% cotton", ("Shell sums to 95 %; each part must sum to "
                                                   "exactly 100 %.")),
    ("size_chart", "M: eu=38", ("Size “S” is not in the size chart (M). Add it to the chart "
                               "first.")),
    ("gtin", "4006381333932", "has a wrong check digit: it ends in 2"),
    ("gtin", "5.90123E+12", "scientific notation"),
    ("name[en]", "", "This field cannot be blank."),
])
def test_a_bad_cell_is_reported_at_its_row_and_column_and_nothing_is_written(
        refs, column, value, message):
    report = run(csv_bytes(new_rows(**{column: value}), header=FULL))
    row, where, text = problems(report)[0]
    column_of = {"size_chart": "size"}.get(column, column)
    assert (row, where) == (2, column_of) and message in text, problems(report)
    assert report.refused == 1 and not Product.objects.exists()


def test_every_problem_of_a_style_is_listed_at_once(refs):
    rows = new_rows(brand="nobrand", gtin="4006381333932", composition="shell: 50% flax")
    report = run(csv_bytes(rows, header=FULL))
    assert {(r, c) for r, c, _ in problems(report)} == {(2, "brand"), (2, "gtin"),
                                                        (2, "composition")}


def test_one_bad_style_does_not_block_the_others(refs):
    rows = new_rows("WD-25-0001", brand="nobrand") + new_rows("WD-25-0002")
    rows[2][FULL.index("gtin")], rows[3][FULL.index("gtin")] = (factories.valid_gtin(7),
                                                               factories.valid_gtin(8))
    report = run(csv_bytes(rows, header=FULL))
    assert (report.created, report.refused) == (1, 1)
    assert list(Product.objects.values_list("style_code", flat=True)) == ["WD-25-0002"]


def test_all_or_nothing_writes_nothing_when_one_style_is_bad(refs, tmp_path):
    rows = new_rows("WD-25-0001", brand="nobrand") + new_rows("WD-25-0002")
    rows[2][FULL.index("gtin")], rows[3][FULL.index("gtin")] = (factories.valid_gtin(7),
                                                               factories.valid_gtin(8))
    report = run(csv_bytes(rows, header=FULL), all_or_nothing=True)
    assert report.problem_count == 1 and not report.written
    assert not Product.objects.exists()
    assert "nothing was written" in report.summary


def test_one_gtin_on_two_rows(refs):
    rows = new_rows()
    rows[1][FULL.index("gtin")] = GTIN_S
    assert problems(run(csv_bytes(rows, header=FULL))) == [
        (3, "gtin", f"GTIN {GTIN_S} is also on row 2: a GTIN belongs to one variant.")]


def test_one_gtin_on_two_styles_of_the_file(refs):
    rows = new_rows("WD-25-0001") + new_rows("WD-25-0002")
    report = run(csv_bytes(rows, header=FULL))
    assert report.created == 1
    assert problems(report) == [(4, "gtin", "A variant with this GTIN already exists."),
                                (5, "gtin", "A variant with this GTIN already exists.")]


def test_one_gtin_on_two_styles_is_found_by_a_dry_run_too(refs):
    report = run(csv_bytes(new_rows("WD-25-0001") + new_rows("WD-25-0002"), header=FULL),
                 dry_run=True)
    assert [(r, c) for r, c, _ in problems(report)] == [(4, "gtin"), (5, "gtin")]


def test_two_rows_of_one_style_that_disagree(refs):
    rows = new_rows()
    rows[1][FULL.index("name[en]")] = "Linen gown"
    assert problems(run(csv_bytes(rows, header=FULL))) == [(3, "name[en]", (
        "The rows of style WD-25-0001 disagree on name[en]: “Linen dress” on row 2, "
        "“Linen gown” here. Give the value once, or the same on every row."))]


def test_a_style_whose_rows_are_apart_is_refused_after_its_first_rows(refs):
    rows = new_rows("WD-25-0001")
    other = new_rows("WD-25-0002")
    other[0][FULL.index("gtin")], other[1][FULL.index("gtin")] = (factories.valid_gtin(7),
                                                                 factories.valid_gtin(8))
    rows = [rows[0], *other, rows[1]]
    report = run(csv_bytes(rows, header=FULL))
    assert problems(report)[0][:2] == (5, "style_code")
    assert "keep a style's rows together" in problems(report)[0][2]


def test_script_in_the_editorial_text_is_sanitised_as_in_the_admin(refs):
    rows = new_rows(**{"description[en]": '<p onclick="x()">Long<script>alert(1)</script></p>'})
    run(csv_bytes(rows, header=FULL))
    assert Product.objects.get().description_en == "<p>Long</p>"


@pytest.mark.parametrize("header, message", [
    (HEADER + ["nmae[fr]"], "Unknown column “nmae[fr]” (column K)"),
    ([c for c in HEADER if c != "sku"], "The file has no column sku"),
    (HEADER + ["gtin"], "Column “gtin” appears twice (columns J and K)"),
])
def test_bad_headers_refuse_the_file(refs, header, message):
    report = run(csv_bytes([], header=header))
    assert report.problems[0].row is None and message in report.problems[0].message
    assert report.styles == 0


def test_empty_columns_and_trailing_blank_rows_are_ignored_but_a_value_without_a_header_is_not(
        refs):
    header = FULL + [""] * 200
    rows = [r + [""] * 200 for r in new_rows()] + [[""] * len(header)] * 5
    assert run(csv_bytes(rows, header=header)).created == 1
    rows = [r + [""] * 200 for r in new_rows("WD-25-0009")]
    rows[0][len(FULL) + 3] = "stray"
    assert problems(run(csv_bytes(rows, header=header)))[0][:2] == (2, "Q")


@pytest.mark.parametrize("delimiter, encoding", [(";", "cp1252"), (",", "utf-8-sig"),
                                                 ("\t", "utf-8")])
def test_real_csv_dialects_import(refs, delimiter, encoding):
    rows = new_rows(**{"name[en]": "Robe été"})
    run(csv_bytes(rows, header=FULL, delimiter=delimiter, encoding=encoding))
    assert Product.objects.get().name_en == "Robe été"


def test_xlsx_with_numeric_gtins_that_lost_leading_zeros(refs):
    upc = "0012345678905"  # stored as a number, Excel keeps 12345678905
    rows = new_rows()
    rows[0][FULL.index("gtin")] = int(upc)
    rows[1][FULL.index("gtin")] = int(GTIN_M)
    report = run(xlsx_bytes(rows, header=FULL), filename="ss25.xlsx")
    assert problems(report) == []
    assert set(Variant.objects.values_list("gtin", flat=True)) == {"0" + upc, "0" + GTIN_M}


def test_xlsx_formulas_and_merged_cells(refs):
    rows = new_rows(**{"name[en]": '=UPPER("x")'})
    report = run(xlsx_bytes(rows, header=FULL), filename="f.xlsx")
    assert problems(report)[0][:2] == (2, "name[en]") and not Product.objects.exists()

    def merge(workbook, sheet):
        sheet.merge_cells("A2:A3")

    report = run(xlsx_bytes(new_rows(), header=FULL, prepare=merge), filename="m.xlsx")
    assert "merged cells (A2:A3)" in report.problems[0].message


# ------------------------------------------------------------------- updates and markers
def test_a_blank_cell_leaves_the_stored_value_alone_and_the_marker_clears_it(dress):
    dress.fit_description_en = "Relaxed"
    dress.save()
    header = ["style_code", "fit_type", "fit_description[en]", "sku"]
    report = run(csv_bytes([["WD-24-0193", "slim", "", ""]], header=header))
    dress.refresh_from_db()
    assert (report.updated, dress.fit_type, dress.fit_description_en) == (1, "slim", "Relaxed")
    run(csv_bytes([["WD-24-0193", "", "#clear", ""]], header=header))
    dress.refresh_from_db()
    assert (dress.fit_type, dress.fit_description_en) == ("slim", "")


def test_an_import_adds_variants_and_never_deletes_any(dress):
    header = ["style_code", "colour_code", "sku", "size", "gtin"]
    report = run(csv_bytes([["WD-24-0193", "RED", "WD-RED-S", "S", GTIN_S]], header=header))
    assert report.updated == 1 and problems(report) == []
    assert set(Variant.objects.values_list("sku", flat=True)) == {"WD-RED-M", "WD-RED-S"}
    assert Colour.objects.filter(product=dress).count() == 1


def test_unchanged_rows_write_nothing_and_recompute_nothing(dress, monkeypatch,
                                                            django_capture_on_commit_callbacks):
    recomputed = []
    monkeypatch.setattr(completeness, "completeness_recompute",
                        lambda *, product_ids, **kw: recomputed.append(list(product_ids)))
    data = exported("csv")
    with django_capture_on_commit_callbacks(execute=True):
        report = run(data)
    assert (report.unchanged, report.updated, report.problem_count) == (1, 0, 0)
    dress.refresh_from_db()
    assert dress.version == 1 and dress.history.count() == 1 and recomputed == []


def test_changed_products_are_recomputed_once_per_batch(refs, monkeypatch,
                                                        django_capture_on_commit_callbacks):
    recomputed = []
    monkeypatch.setattr(completeness, "completeness_recompute",
                        lambda *, product_ids, **kw: recomputed.append(sorted(product_ids)))
    rows = new_rows("WD-25-0001") + new_rows("WD-25-0002")
    rows[2][FULL.index("gtin")], rows[3][FULL.index("gtin")] = (factories.valid_gtin(7),
                                                               factories.valid_gtin(8))
    with django_capture_on_commit_callbacks(execute=True):
        run(csv_bytes(rows, header=FULL))
    assert recomputed == [sorted(Product.objects.values_list("pk", flat=True))]


# --------------------------------------------------------------------------- round trips
@pytest.fixture
def demo_catalog(db):
    call_command("load_demo", products=12, catalog_only=True, no_admin=True,
                 stdout=io.StringIO())


def rows_of(model) -> list[dict]:
    names = [f.attname for f in model._meta.concrete_fields]  # every locale's column
    return list(model.objects.order_by("pk").values(*names))


def snapshot():
    return {"products": rows_of(Product), "colours": rows_of(Colour),
            "variants": rows_of(Variant), "composition": rows_of(CompositionLine),
            "charts": rows_of(SizeChartRow), "shipping": rows_of(ShippingRate)}


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing(demo_catalog, format, tmp_path):
    ShippingRate.objects.create(product=Product.objects.first(), country="DE", cost="4.90",
                                currency="EUR", min_days=2, max_days=4)
    before = snapshot()
    history = Product.history.count()
    path = tmp_path / f"all.{format}"
    call_command("export_products", str(path), "--no-progress", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_products", str(path), "--no-progress", stdout=out)
    assert "12 unchanged" in out.getvalue()
    assert snapshot() == before and Product.history.count() == history


def test_export_then_import_into_an_empty_catalog_rebuilds_it(demo_catalog):
    data = exported("csv")
    Product.objects.all().delete()
    report = run(data)
    assert (report.created, report.problem_count) == (12, 0)
    assert exported("csv") == data


@pytest.mark.parametrize(("source", "target"), [("xlsx", "xlsx"), ("csv", "xlsx"),
                                               ("xlsx", "csv"), ("csv", "csv")])
def test_an_export_saved_again_by_libreoffice_imports_unchanged(demo_catalog, source, target,
                                                                 tmp_path):
    before = snapshot()
    data = saved_by_libreoffice(exported(source), source, target, tmp_path)
    report = run(data, filename=f"saved.{target}")
    assert (report.unchanged, report.problem_count) == (12, 0), problems(report)
    assert snapshot() == before


@pytest.mark.parametrize("program", ["openpyxl", "libreoffice"])
def test_export_edit_in_a_spreadsheet_then_import_changes_exactly_those_cells(demo_catalog,
                                                                              program, tmp_path):
    before = snapshot()
    workbook = openpyxl.load_workbook(io.BytesIO(exported("xlsx")))
    sheet = workbook.active
    header = [c.value for c in sheet[1]]
    first = sheet[2]
    style = first[header.index("style_code")].value
    first[header.index("name[fr]")].value = "Nouveau nom"
    first[header.index("model_size")].value = "3XL"
    out = io.BytesIO()
    workbook.save(out)
    data = out.getvalue()
    if program == "libreoffice":  # the workbook as Calc writes it back
        data = saved_by_libreoffice(data, "xlsx", "xlsx", tmp_path)
    report = run(data, filename="edited.xlsx")
    assert (report.updated, report.unchanged, report.problem_count) == (1, 11, 0)
    after = snapshot()
    changed = Product.objects.get(style_code=style)
    old = next(p for p in before["products"] if p["id"] == changed.pk)
    new = next(p for p in after["products"] if p["id"] == changed.pk)
    assert {k for k in old if old[k] != new[k]} == {"name_fr", "model_size", "version",
                                                    "updated_at"}
    assert (new["name_fr"], new["model_size"]) == ("Nouveau nom", "3XL")
    assert [p for p in before["products"] if p["id"] != changed.pk] == [
        p for p in after["products"] if p["id"] != changed.pk]
    assert {k: v for k, v in before.items() if k != "products"} == {
        k: v for k, v in after.items() if k != "products"}
    assert changed.history.first().history_change_reason.endswith("from file edited.xlsx")


def test_export_of_a_selection(demo_catalog):
    products = Product.objects.order_by("style_code")[:2]
    data = exported("csv", products=Product.objects.filter(pk__in=[p.pk for p in products]))
    styles = {line.split(",")[0] for line in data.decode("utf-8-sig").splitlines()[1:]}
    assert styles == {p.style_code for p in products}


# ------------------------------------------------------------------------ query counts
def test_queries_of_an_unchanged_import_do_not_grow_with_the_styles(demo_catalog):
    data = exported("csv")
    with CaptureQueriesContext(connection) as queries:
        run(data)
    assert len(queries) <= 20  # lookups and one batch's loads, whatever the styles


def test_queries_per_changed_style_are_bounded(demo_catalog):
    def edited():
        workbook = openpyxl.load_workbook(io.BytesIO(exported("xlsx")))
        sheet = workbook.active
        column = [c.value for c in sheet[1]].index("model_size")
        for row in sheet.iter_rows(min_row=2):
            if row[0].value and row[column].value is not None:
                row[column].value = "XS" if row[column].value != "XS" else "S"
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()

    data = edited()
    with CaptureQueriesContext(connection) as queries:
        report = run(data, filename="e.xlsx")
    assert report.updated >= 6 and report.problem_count == 0
    per_style = len(queries) / report.updated
    assert per_style <= 200, per_style


def zip_bomb() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (8 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize("name, data, message", [
    ("empty.csv", b"", "The file is empty"),
    ("big.csv", b"style_code,sku\n" + b"WD-1,A\n" * 400, "imports take files up to 2.0 KB"),
    ("bomb.xlsx", zip_bomb(), "zip bomb"),
    ("photo.xlsx", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", "not a spreadsheet"),
    ("unknown.csv", b"style_code,sku,colour\n", "Unknown column “colour” (column C)"),
    ("missing.csv", b"style_code,gtin\n", "The file has no column sku"),
])
def test_command_refuses_bad_files_with_a_clear_message(refs, tmp_path, settings, name, data,
                                                        message):
    if name == "big.csv":  # a file of 1 GB, at the scale of a test
        settings.PRODUCT_IMPORT_MAX_BYTES = 2048
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_products", str(path), "--no-progress", stdout=io.StringIO())
    assert not Product.objects.exists()
