"""Import digests (catalog.services.import_digests): the same rows again are unchanged without
loading their product, and every write of what an export shows makes the next import compare
the rows in full, so that it restores the file's values."""
import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import Colour, ImportDigest, Product, Season, ShippingRate, Variant
from catalog.services import imports
from catalog.services.content import colour_save
from catalog.services.content_batch import ContentBatch
from catalog.services.import_digests import FORGOTTEN
from catalog.services.policies import brand_save, shipping_rates_save
from catalog.services.products import product_content_save, products_mass_edit
from catalog.services.ratings import product_ratings_set
from catalog.services.taxonomy import category_update
from catalog.services.translations import (TranslationWrite, translations_write,
                                           translations_write_batch)
from catalog.services.workflow import product_delete
from tests import factories
from tests.catalog.import_helpers import HEADER as BASE_HEADER
from tests.catalog.import_helpers import csv_bytes, exported, problems, run
from tests.forms import form_data

pytestmark = pytest.mark.django_db

STYLES = 12
HEADER = BASE_HEADER + ["size_chart"]


@pytest.fixture
def catalog(db):
    """The demo catalog, its first product with ratings and a shipping rate of its own, as
    exported (`data`) and imported once (every style found unchanged, its digest stored)."""
    call_command("load_demo", products=STYLES, catalog_only=True, no_admin=True,
                 stdout=io.StringIO())
    product = Product.objects.order_by("style_code").first()
    Product.objects.filter(pk=product.pk).update(rating_average=Decimal("4.20"), rating_count=7)
    ShippingRate.objects.create(product=product, country="DE", cost="4.90", currency="EUR",
                                min_days=2, max_days=4)
    data = exported("csv")
    report = run(data)
    assert (report.unchanged, report.problem_count) == (STYLES, 0), problems(report)
    assert ImportDigest.objects.count() == STYLES
    product.refresh_from_db()
    return {"data": data, "product": product}


def restored(data, product, **expected):
    """Import `data` again: `product` is updated back to the file's values, the others are
    unchanged; returns the product as stored after."""
    report = run(data)
    assert (report.updated, report.unchanged, report.problem_count) == (
        1, STYLES - 1, 0), problems(report)
    product = Product.objects.get(pk=product.pk)
    for name, value in expected.items():
        assert getattr(product, name) == value, name
    digest = ImportDigest.objects.get(product=product)
    assert digest.version == product.version
    return product


def tables_read(queries) -> str:
    return " ".join(q["sql"] for q in queries.captured_queries if q["sql"].startswith("SELECT"))


# ------------------------------------------------------------------------- recognised
def test_the_same_file_again_is_unchanged_without_loading_a_product(catalog, monkeypatch):
    monkeypatch.setattr(imports, "BATCH_STYLES", 5)  # three batches
    history = Product.history.count()
    before = {d.pk: (d.version, bytes(d.digest)) for d in ImportDigest.objects.all()}
    with CaptureQueriesContext(connection) as queries:
        report = run(catalog["data"])
    assert (report.styles, report.unchanged, report.updated, report.created,
            report.problem_count) == (STYLES, STYLES, 0, 0, 0)
    assert report.summary == run(catalog["data"], dry_run=True).summary.replace(
        "would be", "were")
    read = tables_read(queries)
    for table in ("catalog_colour", "catalog_variant", "catalog_compositionline",
                  "catalog_sizechartrow", "catalog_shippingrate"):
        assert table not in read, table
    digest_reads = [q for q in queries.captured_queries if "catalog_importdigest" in q["sql"]]
    assert len(digest_reads) == 3  # one a batch, nothing written
    assert len(queries) <= 6 + 3 * 3, [q["sql"][:80] for q in queries.captured_queries]
    assert Product.history.count() == history
    assert {d.pk: (d.version, bytes(d.digest)) for d in ImportDigest.objects.all()} == before


def test_the_command_reports_the_same_as_a_full_comparison(catalog, tmp_path):
    path = tmp_path / "all.csv"
    path.write_bytes(catalog["data"])
    outputs = []
    for _ in range(2):  # by digest, then compared in full
        out = io.StringIO()
        call_command("import_products", str(path), "--no-progress", stdout=out)
        outputs.append(out.getvalue())
        ImportDigest.objects.all().delete()
    assert outputs[0] == outputs[1] and f"{STYLES} unchanged" in outputs[0]


def test_a_first_import_stores_the_digest_at_the_version_written_and_a_dry_run_none(refs):
    rows = [new_row("WD-25-0001", "maison", 101)]
    data = csv_bytes(rows, header=HEADER)
    report = run(data, dry_run=True)
    assert report.created == 1 and not ImportDigest.objects.exists()
    report = run(data)
    product = Product.objects.get(style_code="WD-25-0001")
    assert report.created == 1 and ImportDigest.objects.get().product == product
    assert ImportDigest.objects.get().version == product.version == 1
    # Updated by another file, then the first file again: written back, digest at the new
    # version.
    run(csv_bytes([rows[0][:4] + ["Robe en lin"] + rows[0][5:]], header=HEADER))
    product.refresh_from_db()
    assert product.version == 2
    report = run(data)
    product.refresh_from_db()
    assert (report.updated, product.name_en, product.version) == (1, "Linen dress", 3)
    assert ImportDigest.objects.get().version == 3
    assert run(data).unchanged == 1


def new_row(style: str, brand: str, gtin: int) -> list[str]:
    return [style, brand, "SS25", "Women > Dresses", "Linen dress", "BLK", "Black",
            f"{style}-BLK-S", "S", factories.valid_gtin(gtin), "S: eu=36"]


def _changed_rows(data: bytes, change) -> bytes:
    lines = data.decode("utf-8-sig").splitlines(keepends=True)
    return change(lines).encode("utf-8")


def table_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.mark.parametrize("change", [
    # a cell differs (a product cell left blank: keep the stored value)
    lambda lines: lines[0] + lines[1].replace(",M,", ",,", 1) + "".join(lines[2:]),
    # the rows of a style in another order
    lambda lines: lines[0] + lines[2] + lines[1] + "".join(lines[3:]),
    # the header differs (the same columns, spelt otherwise)
    lambda lines: lines[0].replace("style_code", "Style_Code", 1) + "".join(lines[1:]),
], ids=["cell", "order", "header"])
def test_rows_that_differ_from_those_imported_are_compared_in_full(catalog, change):
    data = _changed_rows(catalog["data"], change)
    product = catalog["product"]
    before = bytes(ImportDigest.objects.get(product=product).digest)
    with CaptureQueriesContext(connection) as queries:
        report = run(data)
    assert (report.unchanged, report.problem_count) == (STYLES, 0), problems(report)
    assert "catalog_variant" in tables_read(queries)  # the stored rows were compared
    after = ImportDigest.objects.get(product=product)
    assert after.version == product.version and bytes(after.digest) != before
    assert "catalog_variant" not in tables_read(_captured(lambda: run(data)))


def _captured(call):
    with CaptureQueriesContext(connection) as queries:
        call()
    return queries


def test_a_refused_style_stores_no_digest(catalog):
    product = catalog["product"]
    before = ImportDigest.objects.get(product=product)
    header, first, *rest = table_of(catalog["data"])
    assert first[0] == product.style_code
    first[header.index("model_height_cm")] = "999"
    report = run(csv_bytes([first, *rest], header=header))
    assert (report.refused, report.unchanged) == (1, STYLES - 1), problems(report)
    after = ImportDigest.objects.get(product=product)
    assert (after.version, bytes(after.digest)) == (before.version, bytes(before.digest))
    assert run(csv_bytes([new_row("WD-99-0001", "nobrand", 5)], header=HEADER)).refused == 1 and not Product.objects.filter(
        style_code="WD-99-0001").exists()
    assert ImportDigest.objects.count() == STYLES


def test_all_or_nothing_rolled_back_stores_no_digest(refs):
    good, bad = new_row("WD-25-0001", "maison", 101), new_row("WD-25-0002", "nobrand", 102)
    report = run(csv_bytes([good, bad], header=HEADER), all_or_nothing=True)
    assert report.problem_count and not report.written
    assert not Product.objects.exists() and not ImportDigest.objects.exists()
    run(csv_bytes([good], header=HEADER))
    assert ImportDigest.objects.count() == 1
    ImportDigest.objects.all().delete()
    report = run(csv_bytes([good, bad], header=HEADER), all_or_nothing=True)
    assert report.unchanged == 1 and not ImportDigest.objects.exists()


def test_a_digest_forgotten_after_the_import_read_the_product_is_not_stored_again(
        catalog, monkeypatch):
    """New ratings committed between the batch's read of the product and its digest's store:
    the digest is not stored over them, and the next import writes the file's ratings back."""
    product = catalog["product"]
    ImportDigest.objects.all().delete()  # compared in full
    loaded = imports._export_queryset

    def then_new_ratings(ids):
        products = list(loaded(ids))
        product_ratings_set(product=product, average="3.10", count=9)
        return products

    monkeypatch.setattr(imports, "_export_queryset", then_new_ratings)
    report = run(catalog["data"])
    assert report.unchanged == STYLES  # as the rows compared were read
    assert ImportDigest.objects.get(product=product).version == FORGOTTEN
    assert ImportDigest.objects.exclude(version=FORGOTTEN).count() == STYLES - 1
    monkeypatch.setattr(imports, "_export_queryset", loaded)
    restored(catalog["data"], product, rating_average=Decimal("4.20"), rating_count=7)


# ------------------------------------------------- every write of an exported cell
def test_after_the_product_page(catalog, admin_client):
    product = catalog["product"]
    url = reverse("admin:catalog_product_change", args=[product.pk])
    data = form_data(admin_client.get(url))
    data["model_size"] = "3XL" if product.model_size != "3XL" else "XXS"
    assert admin_client.post(url, data).status_code == 302
    assert Product.objects.get(pk=product.pk).model_size != product.model_size
    restored(catalog["data"], product, model_size=product.model_size)


def test_after_product_content_save(catalog):
    product = catalog["product"]
    product_content_save(product=Product.objects.get(pk=product.pk),
                         fields={"name_fr": "Autre nom"}, expected_version=product.version)
    restored(catalog["data"], product, name_fr=product.name_fr)


def test_after_a_colour_or_variant_is_deleted_by_the_product_page_service(catalog):
    product = catalog["product"]
    colours = list(product.colours.all())
    rows = [{"id": c.pk} for c in colours[1:]] if len(colours) > 1 else [
        {"id": colours[0].pk, "variants": [{"id": v.pk} for v in
                                            colours[0].variants.all()[1:]]}]
    variants = Variant.objects.filter(colour__product=product).count()
    product_content_save(product=Product.objects.get(pk=product.pk), colours=rows,
                         expected_version=product.version)
    assert Variant.objects.filter(colour__product=product).count() < variants
    restored(catalog["data"], product)
    assert Variant.objects.filter(colour__product=product).count() == variants


def test_after_a_content_batch(catalog):
    product = catalog["product"]
    batch = ContentBatch(reason="another import")
    batch.add(product=Product.objects.get(pk=product.pk), fields={"care_text_en": "Dry clean."},
              expected_version=product.version)
    batch.check()
    batch.write()
    restored(catalog["data"], product, care_text_en=product.care_text_en)


def test_after_a_translation_on_the_translators_page(catalog):
    product = catalog["product"]
    colour = product.colours.first()
    translations_write(product=Product.objects.get(pk=product.pk),
                       expected_version=product.version,
                       colour_names={colour.pk: {"fr": "Autre couleur"}})
    restored(catalog["data"], product)
    assert Colour.objects.get(pk=colour.pk).name_fr == colour.name_fr


def test_after_a_translators_file(catalog):
    product = catalog["product"]
    translations_write_batch(writes=[TranslationWrite(
        product_id=product.pk, product_texts={"size_advice": {"pl": "Zaniżona rozmiarówka."}})],
        reason="XLIFF")
    restored(catalog["data"], product, size_advice_pl=product.size_advice_pl)


def test_after_a_mass_edit(catalog, admin_user):
    product = catalog["product"]
    other = Season.objects.exclude(pk=product.season_id).first() or factories.SeasonFactory()
    [outcome] = products_mass_edit(user=admin_user, product_ids=[product.pk],
                                   fields={"season": other.pk})
    assert outcome.ok, outcome.messages
    assert Product.objects.get(pk=product.pk).season_id == other.pk
    restored(catalog["data"], product, season_id=product.season_id)


def test_after_a_colour_saved_on_its_own(catalog):
    product = catalog["product"]
    colour = product.colours.first()
    colour.name_en = "Renamed"
    colour_save(colour=colour)
    restored(catalog["data"], product)
    assert Colour.objects.get(pk=colour.pk).name_en != "Renamed"


def test_after_new_ratings(catalog):
    product = catalog["product"]
    product_ratings_set(product=product, average="3.10", count=9, source="reviews")
    restored(catalog["data"], product, rating_average=Decimal("4.20"), rating_count=7)


def test_after_the_products_own_shipping_rate_is_changed_or_moved(catalog):
    product = catalog["product"]
    rate = ShippingRate.objects.get(product=product)
    rate.cost = Decimal("9.90")
    shipping_rates_save(rates=[rate])
    restored(catalog["data"], product)
    assert ShippingRate.objects.get(product=product).cost == Decimal("4.90")
    # Moved to another product: both of them compared again.
    other = Product.objects.exclude(pk=product.pk).order_by("style_code").first()
    rate = ShippingRate.objects.get(product=product)
    rate.product = other
    shipping_rates_save(rates=[rate])
    assert not ImportDigest.objects.filter(product__in=[product, other]).exclude(
        version=FORGOTTEN).exists()


def test_after_a_deleted_product(catalog, admin_user):
    product = catalog["product"]
    product_delete(product=Product.objects.get(pk=product.pk), user=admin_user)
    report = run(catalog["data"])
    assert (report.created, report.unchanged) == (1, STYLES - 1), problems(report)
    assert ImportDigest.objects.filter(product__style_code=product.style_code).exists()


@pytest.mark.parametrize("rename", ["category", "brand", "season"])
def test_after_a_renamed_category_brand_or_season_the_old_name_is_refused(catalog, rename):
    """A name the file uses is no longer the product's: no style is taken as unchanged
    (what a digest covers changed), and the rows naming the old one are refused as on a
    first look."""
    product = catalog["product"]
    if rename == "category":
        category = product.category
        category.name_en = category.name = "Renamed"
        category_update(category=category)
    elif rename == "brand":
        brand = product.brand
        brand.code = "renamed-brand"
        brand_save(brand=brand)
    else:
        Season.objects.filter(pk=product.season_id).update(code="RENAMED")
    report = run(catalog["data"])
    assert report.refused >= 1 and report.unchanged < STYLES
    refused = {p.column for p in report.problems if p.row is not None}
    assert rename in refused
