"""Imports write their styles in batches (ContentBatch) by the rules of product_content_save:
the same rows as style by style, a bad style refused alone, unchanged styles untouched, and a
number of queries that does not grow with the styles."""
import csv
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Colour, Product, TranslationStamp, Variant
from catalog.services import completeness
from catalog.services.content_batch import ContentBatch
from catalog.services.photos import photo_add, photo_update
from tests import factories
from tests.catalog.import_helpers import csv_bytes, exported, problems, run
from tests.workflow.conftest import jpeg_file

pytestmark = pytest.mark.django_db

FULL = ["style_code", "brand", "season", "category", "name[en]", "name[fr]", "colour_code",
        "colour_name[en]", "colour_name[fr]", "sku", "size", "gtin", "size_chart",
        "composition"]


@pytest.fixture
def demo_catalog(db):
    call_command("load_demo", products=12, catalog_only=True, no_admin=True,
                 stdout=io.StringIO())


def style_rows(n: int, *, composition="shell: 100% flax", gtins=None) -> list[list[str]]:
    style = f"WD-25-{n:04d}"
    gtins = gtins or (factories.valid_gtin(10_000 + 2 * n), factories.valid_gtin(10_001 + 2 * n))
    return [
        [style, "maison", "SS25", "Women > Dresses", f"Dress {n}", f"Robe {n}", "BLK", "Black",
         "Noir", f"{style}-BLK-S", "S", gtins[0], "S: eu=36; M: eu=38", composition],
        [style, "", "", "", "", "", "BLK", "", "", f"{style}-BLK-M", "M", gtins[1], "", ""],
    ]


def styles_file(count: int, overrides: dict | None = None) -> bytes:
    rows = []
    for n in range(count):
        rows += style_rows(n, **(overrides or {}).get(n, {}))
    return csv_bytes(rows, header=FULL)


def edited(data: bytes, *, every: int) -> bytes:
    """The CSV export with model_size changed on the first row of every `every`-th style."""
    rows = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    header, body = rows[0], rows[1:]
    at, style_at = header.index("model_size"), header.index("style_code")
    last, styles = None, 0
    for row in body:
        if row[style_at] != last:
            last, styles = row[style_at], styles + 1
            if styles % every == 0:
                row[at] = "XXS" if row[at] != "XXS" else "XS"
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    return out.getvalue().encode()


def state() -> dict:
    """What an import leaves, without ids or times: the export, versions, stamps, history."""
    def reasons(model):
        # Each history row's type, reason, user and tracked values, but for ids and times.
        tracked = [f.attname for f in model.history.model.tracked_fields
                   if not (f.primary_key or f.is_relation
                           or f.get_internal_type() in ("DateTimeField", "DateField"))]
        return sorted(((h.history_type, h.history_change_reason or "", h.history_user_id,
                        *(getattr(h, name) for name in tracked))
                       for h in model.history.all()), key=str)

    return {
        "export": exported("csv"),
        "versions": dict(Product.objects.values_list("style_code", "version")),
        "stamps": sorted(TranslationStamp.objects.values_list(
            "product__style_code", "colour__code", "field", "locale", "how", "source_hash"),
            key=str),
        "history": {m.__name__: reasons(m) for m in (Product, Colour, Variant)},
    }


def wiped() -> None:
    Product.objects.all().delete()
    for model in (Product, Colour, Variant):
        model.history.all().delete()
    TranslationStamp.objects.all().delete()


@pytest.fixture
def one_by_one(monkeypatch):
    """Make every batch's write fail, so that the importer saves its styles one by one
    through product_content_save: the path the batch must match."""
    def failing(self):
        raise IntegrityError("forced")

    def use():
        monkeypatch.setattr(ContentBatch, "write", failing)
    return use


def test_batch_writes_equal_style_by_style_writes(demo_catalog, one_by_one):
    data = exported("csv")
    changed = edited(data, every=3)

    wiped()
    first = run(data, filename="all.csv")
    assert (first.created, first.problem_count) == (12, 0)
    again = run(changed, filename="changed.csv")
    assert (again.updated, again.unchanged) == (4, 8)
    batched = state()

    wiped()
    one_by_one()
    first = run(data, filename="all.csv")
    assert (first.created, first.problem_count) == (12, 0)
    again = run(changed, filename="changed.csv")
    assert (again.updated, again.unchanged) == (4, 8)
    assert state() == batched


def test_a_bad_style_in_a_batch_is_refused_alone(refs):
    data = styles_file(3, {1: {"composition": "shell: 95% flax"}})
    report = run(data)
    assert (report.created, report.refused) == (2, 1)
    assert problems(report) == [
        (4, "composition", "Shell sums to 95 %; each part must sum to exactly 100 %.")]
    assert sorted(Product.objects.values_list("style_code", flat=True)) == [
        "WD-25-0000", "WD-25-0002"]


def test_a_gtin_given_by_an_earlier_style_of_the_batch_is_refused_on_the_later_one(refs):
    taken = factories.valid_gtin(10_000)
    data = styles_file(3, {2: {"gtins": (taken, factories.valid_gtin(777))}})
    report = run(data)
    assert (report.created, report.refused) == (2, 1)
    assert problems(report) == [(6, "gtin", "A variant with this GTIN already exists.")]
    assert Variant.objects.filter(gtin="0" + taken).get().sku == "WD-25-0000-BLK-S"


def test_a_gtin_or_sku_stored_on_another_product_is_refused(refs):
    run(styles_file(1))
    data = styles_file(3, {2: {"gtins": (factories.valid_gtin(10_001), factories.valid_gtin(9))}})
    data += csv_bytes(style_rows(3), header=FULL).split(b"\n", 1)[1].replace(
        b"WD-25-0003-BLK-S", b"WD-25-0000-BLK-S")
    report = run(data)
    assert (report.created, report.unchanged, report.refused) == (1, 1, 2)
    assert sorted(problems(report)) == [
        (6, "gtin", "A variant with this GTIN already exists."),
        (8, "sku", "A variant with this SKU already exists.")]


def test_a_failed_batch_write_falls_back_to_style_by_style(refs, one_by_one):
    one_by_one()
    data = styles_file(3, {1: {"composition": "shell: 95% flax"}})
    report = run(data)
    assert (report.created, report.refused) == (2, 1)
    assert Product.objects.count() == 2


def test_unchanged_styles_get_no_history_and_no_recompute(demo_catalog, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    recomputed = []
    monkeypatch.setattr(completeness, "completeness_recompute",
                        lambda *, product_ids, **kw: recomputed.append(sorted(product_ids)))
    data = edited(exported("csv"), every=6)
    history = {p.pk: p.history.count() for p in Product.objects.all()}
    with django_capture_on_commit_callbacks(execute=True):
        report = run(data, filename="fw.csv")
    assert (report.updated, report.unchanged) == (2, 10)
    grown = {p.pk for p in Product.objects.all() if p.history.count() != history[p.pk]}
    assert len(grown) == 2
    assert recomputed == [sorted(grown)]  # once for the batch, only the changed ones


def test_history_names_the_importer_and_the_file(refs, admin_user):
    run(styles_file(2), user=admin_user, filename="ss25.csv")
    reason = f"imported by {admin_user.username} from file ss25.csv"
    for model in (Product, Colour, Variant):
        entries = list(model.history.all())
        assert entries and {(e.history_change_reason, e.history_user) for e in entries} == {
            (reason, admin_user)}
    assert Product.history.count() == 2  # one entry per product
    stamps = TranslationStamp.objects.filter(locale="fr", how=TranslationStamp.How.WRITTEN)
    assert set(stamps.values_list("product__style_code", "colour__code", "field")) == {
        ("WD-25-0000", None, "name"), ("WD-25-0000", "BLK", "name"),
        ("WD-25-0001", None, "name"), ("WD-25-0001", "BLK", "name")}


def test_queries_of_a_first_import_do_not_grow_with_the_styles(refs):
    counts = {}
    for count in (100, 300):
        wiped()
        data = styles_file(count)
        with CaptureQueriesContext(connection) as queries:
            report = run(data)
        assert report.created == count
        counts[count] = len(queries)
    # A batch of up to 200 styles is a few dozen queries, whatever its size (style by
    # style, it was about 33 a style): 300 styles are two batches.
    assert counts[100] <= 60 and counts[300] <= 2 * counts[100] + 25, counts


def test_queries_of_a_changed_import_do_not_grow_with_the_styles(refs):
    run(styles_file(300))
    data = csv_bytes([row[:5] + ["Robe modifiée"] + row[6:]
                      for n in range(300) for row in style_rows(n)], header=FULL)
    with CaptureQueriesContext(connection) as queries:
        report = run(data)
    assert report.updated == 300
    assert len(queries) <= 150, len(queries)


def test_new_rows_of_a_batch_are_stored_as_saves_store_them(demo_catalog, one_by_one):
    """The batch inserts its new rows without bulk_create: each row gets its own id (its
    history row says the same values), its creation times, and its text as a save cleans it
    (sanitised HTML, no bidirectional controls), as style by style."""
    data = exported("csv")
    header, *body = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    body[0][header.index("description[en]")] = '<p onclick="x()">Soft<script>x()</script></p>'
    body[0][header.index("fit_description[en]")] = "Slim\u202e fit"
    out = io.StringIO()
    csv.writer(out).writerows([header, *body])
    data = out.getvalue().encode()

    def stored():
        rows = {}
        for model in (Product, Colour, Variant):
            tracked = [f.attname for f in model.history.model.tracked_fields
                       if f.attname != "id"]
            for obj in model.objects.all():
                entry = model.history.get(id=obj.pk)
                assert [getattr(entry, n) for n in tracked] == [getattr(obj, n)
                                                                for n in tracked]
                if model is Product:
                    assert obj.created_at <= obj.updated_at <= entry.history_date
            rows[model.__name__] = sorted(
                (tuple(getattr(o, n) for n in tracked if not n.endswith(("_at", "_id")))
                 for o in model.objects.all()), key=str)
        return rows

    wiped()
    assert run(data).created == 12
    product = Product.objects.get(style_code=body[0][header.index("style_code")])
    assert (product.description_en, product.fit_description_en) == ("<p>Soft</p>", "Slim fit")
    batched = stored()
    wiped()
    one_by_one()
    assert run(data).created == 12
    assert stored() == batched


def test_a_photos_alt_text_stamps_are_not_taken_for_its_products(refs, admin_user):
    run(styles_file(1), user=admin_user)
    colour = Colour.objects.get(product__style_code="WD-25-0000")
    photo = photo_add(colour=colour, file=jpeg_file("front.jpg"), user=admin_user)
    photo_update(photo=photo, alt_text={"en": "Front", "fr": "Devant"}, user=admin_user)
    photo_stamps = list(TranslationStamp.objects.filter(photo=photo).values())
    assert [s["field"] for s in photo_stamps] == ["alt_text"]
    report = run(styles_file(1, {0: {}}).replace(b"Robe 0", b"Robe longue 0"), user=admin_user)
    assert (report.updated, report.problem_count) == (1, 0)
    assert list(TranslationStamp.objects.filter(photo=photo).values()) == photo_stamps
    name = TranslationStamp.objects.get(product=colour.product, colour=None, photo=None,
                                        field="name", locale="fr")
    assert name.source_hash and name.stamped_by == admin_user
