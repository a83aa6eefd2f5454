"""Translators' files are written in batches of products (translations_write_batch): the rules
of translations_write, a number of queries that does not grow with the products of a batch,
a history row per product, colour and photo written, stamps and completeness for each."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.models import Product, ProductCompleteness, TranslationStamp
from catalog.selectors import translation_waiting
from catalog.services import translation_files
from catalog.services.translation_files import translations_export, translations_import
from catalog.services.translations import TranslationWrite, translations_write_batch
from tests import factories
from tests.completeness.conftest import add_photos
from tests.workflow.conftest import DESCRIPTION

pytestmark = pytest.mark.django_db


def dress(n: int) -> Product:
    product = factories.ProductFactory(
        style_code=f"WD-{n:04}", name_en=f"Linen dress {n}", name_fr="",
        description_en=DESCRIPTION, care_text_en="Wash at 30 °C.", fit_description_en="",
        material_text_en="", size_advice_en="")
    colour = factories.ColourFactory(product=product, code="RED", name_en="Red")
    add_photos(colour, 1)
    photo = colour.photos.get()
    photo.alt_text_en = f"Red dress {n}, front"
    photo.save()
    return product


def filled_file(user) -> bytes:
    """The French file, every text marked " [fr]" with its inline codes kept (as bench/xliff.py
    fills it)."""
    import copy

    from lxml import etree

    out = io.BytesIO()
    translations_export(locale="fr", user=user, out=out)
    root = etree.fromstring(out.getvalue())
    ns = root.nsmap[None]
    for source in list(root.iter(f"{{{ns}}}source")):
        target = copy.deepcopy(source)
        target.tag = f"{{{ns}}}target"
        for node in target.iter():
            if node.text and node.text.strip():
                node.text += " [fr]"
        source.addnext(target)
    return etree.tostring(root)


def import_queries(user, products: int) -> tuple[int, object]:
    for n in range(products):
        dress(n)
    data = filled_file(user)
    with CaptureQueriesContext(connection) as queries:
        report = translations_import(file=data, user=user, file_name="fr.xlf")
    assert report.counts["applied"] == products * 5, report.summary()
    return len(queries), report


def test_the_queries_of_an_import_do_not_grow_with_its_products(translator,
                                                                django_assert_num_queries):
    few, _ = import_queries(translator, 2)
    Product.objects.all().delete()
    for n in range(7):
        dress(n)
    data = filled_file(translator)
    with django_assert_num_queries(few):
        report = translations_import(file=data, user=translator)
    assert report.counts["applied"] == 7 * 5


def test_each_batch_costs_the_same_queries(translator, monkeypatch):
    monkeypatch.setattr(translation_files, "WRITE_BATCH", 3)
    one_batch, _ = import_queries(translator, 3)
    Product.objects.all().delete()
    three_batches, _ = import_queries(translator, 9)
    assert three_batches - one_batch == 2 * per_batch(translator)


def per_batch(translator) -> int:
    """Queries of writing one batch of one product: its products, colours and photos loaded,
    one update and one history insert per model, the stamps loaded and created, and the
    savepoint of the batch."""
    product = dress(99)
    colour, photo = product.colours.get(), product.colours.get().photos.get()
    write = TranslationWrite(product_id=product.pk, product_texts={"name": {"fr": "Robe"}},
                             colour_names={colour.pk: {"fr": "Rouge"}},
                             photo_alt_texts={photo.pk: {"fr": "Robe rouge"}})
    with CaptureQueriesContext(connection) as queries:
        translations_write_batch(writes=[write], user=translator)
    assert write.written
    product.delete()
    return len(queries)


def test_every_product_colour_and_photo_written_has_its_history_row(translator):
    _, report = import_queries(translator, 3)
    for product in Product.objects.all():
        record = product.history.first()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "~", translator, "Translations imported from fr.xlf")
        assert product.version == 2
        assert product.name_fr == f"Linen dress {product.style_code[-1]} [fr]"
        colour = product.colours.get()
        assert (colour.name_fr, colour.history.first().history_user) == ("Red [fr]", translator)
        photo = colour.photos.get()
        assert photo.alt_text_fr.endswith(", front [fr]")
        assert photo.history.first().history_change_reason == "Translations imported from fr.xlf"
    assert product.description_fr == (
        "<p>A  [fr]<strong>long [fr]</strong> dress in <em>washed [fr]</em> linen.</p>"
        "<p>Two pockets. [fr]</p>")
    # Stamped as written: nothing waits for French any more.
    assert TranslationStamp.objects.filter(locale="fr", stamped_by=translator,
                                           how="written").count() == 3 * 5
    assert not translation_waiting(locales=["fr"])


def test_completeness_is_recomputed_for_every_product_written(translator, channel, on_commit):
    products = [dress(n) for n in range(3)]
    data = filled_file(translator)
    with on_commit():
        translations_import(file=data, user=translator)
    for product in products:
        row = ProductCompleteness.objects.get(product=product, channel=channel, locale="fr")
        assert not any(f["code"].startswith("translation.missing.fr") for f in row.failures)


def test_a_batch_refuses_texts_by_the_rules_of_translations_write(translator):
    first, second = dress(1), dress(2)
    colour = first.colours.get()
    other_photo = second.colours.get().photos.get()
    writes = [
        TranslationWrite(product_id=first.pk,
                         product_texts={"name": {"fr": "x" * 1000, "pl": "Sukienka"},
                                        "care_text": {"fr": "Laver à 30 °C."},
                                        "style_code": {"fr": "X"}},
                         colour_names={colour.pk: {"fr": "Rouge"}},
                         photo_alt_texts={other_photo.pk: {"fr": "Pas la sienne"}}),
        TranslationWrite(product_id=second.pk, product_texts={
            "description": {"fr": '<p onclick="x()">Une <script>x</script>robe</p>'}}),
    ]
    translations_write_batch(writes=writes, user=translator)
    assert set(writes[0].errors) == {"name_fr", "name_pl", "style_code",
                                     f"photos.{other_photo.pk}"}
    assert writes[0].errors["name_pl"] == ["You do not translate into pl: you translate into fr."]
    assert writes[0].errors[f"photos.{other_photo.pk}"] == [
        f"No photo {other_photo.pk} on WD-0001."]
    # The product's other texts are written, each product on its own.
    assert writes[0].written and writes[1].written and not writes[1].errors
    stored = Product.objects.get(pk=first.pk)
    assert (stored.name_fr, stored.name_pl, stored.care_text_fr, stored.version) == (
        "", None, "Laver à 30 °C.", 2)
    colour.refresh_from_db()
    assert colour.name_fr == "Rouge"
    other_photo.refresh_from_db()
    assert not other_photo.alt_text_fr
    # Sanitised as by a save.
    assert Product.objects.get(pk=second.pk).description_fr == "<p>Une robe</p>"


def test_a_product_whose_texts_are_all_refused_is_not_written(translator):
    product = dress(1)
    write = TranslationWrite(product_id=product.pk, product_texts={"name": {"pl": "Sukienka"}})
    translations_write_batch(writes=[write], user=translator)
    assert not write.written and list(write.errors) == ["name_pl"]
    stored = Product.objects.get(pk=product.pk)
    assert (stored.version, stored.history.count()) == (1, 1)
    assert not TranslationStamp.objects.exists()


def test_a_photo_s_alt_text_is_stamped_and_outdated_when_its_english_changes(translator):
    from catalog.services.photos import photo_update
    from catalog.services.translations import translation_stamps_bootstrap

    product = dress(1)
    photo = product.colours.get().photos.get()
    unit_id = f"photo:{photo.pk}:alt_text"
    old_file = filled_file(translator)
    translations_import(file=old_file, user=translator)
    stamp = TranslationStamp.objects.get(photo=photo, locale="fr")
    assert (stamp.field, stamp.colour_id, stamp.how) == ("alt_text", None, "written")
    assert unit_id not in export_ids(translator)  # current: nothing waits

    photo.refresh_from_db()
    photo_update(photo=photo, alt_text={"en": "Red dress, seen from the front"})
    out = io.BytesIO()
    translations_export(locale="fr", user=translator, out=out, version="1.2")
    from lxml import etree

    unit = etree.fromstring(out.getvalue()).find(f".//{{*}}trans-unit[@id='{unit_id}']")
    target = unit.find("{*}target")
    assert (target.text, target.get("state")) == ("Red dress 1, front [fr]",
                                                  "needs-review-translation")
    # The file made before the change is outdated for that unit.
    TranslationStamp.objects.all().delete()
    Product.objects.filter(pk=product.pk).update(name_fr="")
    report = {u.id: u for u in translations_import(file=old_file, user=translator).units}
    assert report[unit_id].status == "outdated"
    # Alt texts in place without a stamp are stamped as found, like other translations.
    assert translation_stamps_bootstrap(product_ids=[product.pk]) >= 1
    assert TranslationStamp.objects.get(photo=photo, locale="fr").how == "found"


def export_ids(user) -> list[str]:
    from catalog.io.xliff import xliff_read

    out = io.BytesIO()
    translations_export(locale="fr", user=user, out=out)
    return [u.id for u in xliff_read(out.getvalue()).units]
