"""Translators' files: export per locale, import through translations_write, every refusal,
and the round trip through translate-toolkit (the library CAT pipelines use) in both
XLIFF versions."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from translate.storage import xliff as tt_xliff
from translate.storage import xliff2 as tt_xliff2

from catalog.models import Product, ProductCompleteness, TranslationStamp
from catalog.selectors import translation_waiting
from catalog.services.errors import ContentError
from catalog.services.products import product_save
from catalog.services.translation_files import translations_export, translations_import
from catalog.services.translations import translations_write
from tests import factories
from tests.workflow.conftest import DESCRIPTION

pytestmark = pytest.mark.django_db


def export(locale="fr", user=None, version="2.0", **kwargs) -> bytes:
    out = io.BytesIO()
    translations_export(locale=locale, user=user, out=out, version=version, **kwargs)
    return out.getvalue()


def ids(data: bytes) -> list[str]:
    from catalog.io.xliff import xliff_read

    return [u.id for u in xliff_read(data).units]


def tt_store(data: bytes, version: str):
    return (tt_xliff2.Xliff2File if version == "2.0" else tt_xliff.xlifffile).parsestring(data)


def tt_fill(data: bytes, version: str, translate) -> bytes:
    """Fill every target with translate-toolkit, the way a CAT pipeline would, and save."""
    store = tt_store(data, version)
    for unit in store.units:
        if unit.isheader():
            continue
        rich = unit.rich_source[0].copy()

        def walk(elem):
            for i, sub in enumerate(elem.sub):
                if isinstance(sub, str):
                    elem.sub[i] = translate(sub)
                else:
                    walk(sub)

        walk(rich)
        unit.rich_target = [rich]
        unit.marktranslated() if version == "2.0" else unit.markfuzzy(False)
    return bytes(store)


FRENCH = {"Linen dress": "Robe en lin", "A ": "Une robe ", "long": "longue",
          " dress in ": " en lin ", "washed": "lavé", " linen.": ".",
          "Two pockets.": "Deux poches.", "Wash at 30 °C.": "Laver à 30 °C.", "Red": "Rouge",
          "Red dress, front": "Robe rouge, de face"}


def by_id(report):
    return {u.id: u for u in report.units}


def test_export_holds_what_waits_in_the_locale_only(translator, dress):
    done = factories.ProductFactory(style_code="SH-1", name_en="Shirt", name_fr="Chemise",
                                    description_en="", description_fr="")
    factories.ProductFactory(style_code="AR-1", name_en="Old", status=Product.Status.ARCHIVED)
    colour, photo = dress.colours.get(), dress.colours.get().photos.get()
    assert ids(export(user=translator)) == [
        # name_fr exists and was never stamped: not waiting; empty sources are not offered.
        "product:WD-24-0193:description", "product:WD-24-0193:care_text",
        f"colour:{colour.pk}:name", f"photo:{photo.pk}:alt_text",
    ]
    assert "SH-1" not in export(user=translator).decode()
    # A chosen selection: every text whose source is not empty, done ones too.
    assert ids(export(user=translator, products=[done.pk])) == ["product:SH-1:name"]


def test_export_notes_give_context_and_the_strictest_channel_limit(translator, dress):
    factories.ChannelFactory(code="webshop", name="Web shop", description_max_length=900)
    factories.ChannelFactory(code="store-screens", name="Store screens", locales=["en", "fr"],
                             description_max_length=120)
    factories.ChannelFactory(code="marketplace", name="Marketplace", locales=["en", "pl"],
                             description_max_length=50)
    from lxml import etree

    root = etree.fromstring(export(user=translator))
    note = root.find(".//{*}unit[@id='product:WD-24-0193:description']/{*}notes/{*}note")
    assert note.text == ("Linen dress (WD-24-0193) · editorial description · at most "
                               "120 characters of text (Store screens, the strictest channel "
                               "in fr)")


def test_an_outdated_translation_is_exported_with_its_target_and_state(translator, dress):
    translations_write(product=dress, expected_version=1, user=translator,
                       product_texts={"care_text": {"fr": "Laver à 30 °C."}})
    fresh = Product.objects.get(pk=dress.pk)
    fresh.care_text_en = "Wash at 40 °C."
    product_save(product=fresh, expected_version=fresh.version)
    store = tt_store(export(user=translator, version="1.2"), "1.2")
    unit = next(u for u in store.units if u.source == "Wash at 40 °C.")
    assert unit.target == "Laver à 30 °C."
    assert unit.xmlelement.find(unit.namespaced("target")).get("state") == (
        "needs-review-translation")


def test_export_is_limited_to_the_translator_s_locales(translator, dress, content_manager):
    with pytest.raises(ContentError) as refused:
        export("pl", user=translator)
    assert refused.value.paths == {"locale": ["You may not export pl: you translate into fr."]}
    with pytest.raises(ContentError):
        export("xx", user=translator)
    with pytest.raises(ContentError):
        export(user=translator, version="1.1")
    # A content manager prepares a file for an agency, in any locale.
    assert ids(export("pl", user=content_manager))


@pytest.mark.parametrize("version", ["2.0", "1.2"])
def test_round_trip_through_translate_toolkit(translator, dress, version):
    colour, photo = dress.colours.get(), dress.colours.get().photos.get()
    filled = tt_fill(export(user=translator, version=version), version,
                     lambda text: FRENCH.get(text, text))
    report = translations_import(file=filled, user=translator)
    assert report.counts == {"applied": 4, "unchanged": 0, "outdated": 0, "refused": 0}
    stored = Product.objects.get(pk=dress.pk)
    assert stored.description_fr == ("<p>Une robe <strong>longue</strong> en lin <em>lavé</em>."
                                     "</p><p>Deux poches.</p>")
    assert stored.care_text_fr == "Laver à 30 °C."
    assert stored.version == 2  # one edit for the product, its colour and photo together
    assert stored.history.first().history_user == translator
    colour.refresh_from_db()
    photo.refresh_from_db()
    assert (colour.name_fr, photo.alt_text_fr) == ("Rouge", "Robe rouge, de face")
    # The product's two texts, the colour's name and the photo's alt text.
    assert TranslationStamp.objects.filter(locale="fr", stamped_by=translator).count() == 4
    assert dress.pk not in translation_waiting(locales=["fr"])
    # Imported again: nothing changes.
    again = translations_import(file=filled, user=translator)
    assert again.counts["unchanged"] == 4
    assert Product.objects.get(pk=dress.pk).version == 2


def test_the_same_html_comes_back_when_the_target_keeps_the_source(translator, dress):
    filled = tt_fill(export(user=translator), "2.0", lambda text: text)
    translations_import(file=filled, user=translator)
    assert Product.objects.get(pk=dress.pk).description_fr == DESCRIPTION


def test_completeness_is_recomputed_as_for_an_edit(translator, dress, channel, on_commit):
    filled = tt_fill(export(user=translator), "2.0", lambda text: FRENCH.get(text, text))
    with on_commit():
        translations_import(file=filled, user=translator)
    row = ProductCompleteness.objects.get(product=dress, channel=channel, locale="fr")
    codes = {f["code"] for f in row.failures}
    assert not any(code.startswith("translation.missing.fr") for code in codes), codes


def unit_target(data: bytes, unit_id: str, target: str, version="2.0") -> bytes:
    """Replace one unit's target with raw XLIFF inline markup."""
    from lxml import etree

    root = etree.fromstring(data)
    ns = root.nsmap[None]
    tag = "unit" if version == "2.0" else "trans-unit"
    unit = next(u for u in root.iter(f"{{{ns}}}{tag}") if u.get("id") == unit_id)
    container = unit.find(f"{{{ns}}}segment") if version == "2.0" else unit
    old = container.find(f"{{{ns}}}target")
    if old is not None:
        container.remove(old)
    new = etree.fromstring(f'<target xmlns="{ns}">{target}</target>')
    if version == "2.0":
        container.append(new)
    else:
        container.insert(1, new)
    return etree.tostring(root)


@pytest.mark.parametrize("version, target, message", [
    ("2.0", '<pc id="1">Une <pc id="2">robe</pc> lavée</pc><pc id="4">Deux poches.</pc>',
     "Inline code missing from the translation: <3> </3>."),
    ("2.0", '<pc id="4">Deux.</pc><pc id="1">Une <pc id="2">robe</pc> <pc id="3">lavée</pc>'
     '</pc>', "Inline codes reordered: the source has <1> <2> </2> <3> </3> </1> <4> </4>"),
    ("2.0", '<pc id="1">Une <pc id="2">robe</pc> <pc id="3">lavée</pc></pc><pc id="4">D</pc>'
     '<ph id="9"/>', "Inline code 9 is not in the source: remove it."),
    ("1.2", '<g id="1">Une <g id="2">robe</g> <g id="3">lavée</g></g>Deux poches.',
     "Inline code missing from the translation: <4> </4>."),
    ("1.2", '<g id="1">Une <g id="2">robe</g> <g id="3">lavée</g></g><g id="4">D</g>'
     '<x id="3"/>', "An inline code appears twice"),
])
def test_a_broken_inline_code_refuses_that_unit_only(translator, dress, version, target,
                                                     message):
    data = export(user=translator, version=version)
    data = unit_target(data, "product:WD-24-0193:description", target, version)
    data = unit_target(data, "product:WD-24-0193:care_text", "Laver à 30 °C.", version)
    report = by_id(translations_import(file=data, user=translator))
    refused = report["product:WD-24-0193:description"]
    assert refused.status == "refused" and message in refused.message, refused.message
    assert report["product:WD-24-0193:care_text"].status == "applied"
    stored = Product.objects.get(pk=dress.pk)
    assert (stored.description_fr or "", stored.care_text_fr) == ("", "Laver à 30 °C.")


def test_markup_in_a_plain_text_field_is_refused(translator, dress):
    data = unit_target(export(user=translator), "product:WD-24-0193:care_text",
                       'Laver <ph id="1"/>')
    unit = by_id(translations_import(file=data, user=translator))[
        "product:WD-24-0193:care_text"]
    assert (unit.status, unit.message) == ("refused",
                                           "This text takes no markup: remove the inline codes.")


def test_a_source_changed_since_the_export_is_outdated_and_not_applied(translator, dress):
    filled = tt_fill(export(user=translator), "2.0", lambda text: FRENCH.get(text, text))
    fresh = Product.objects.get(pk=dress.pk)
    fresh.care_text_en = "Wash at 40 °C."
    product_save(product=fresh, expected_version=fresh.version)
    report = by_id(translations_import(file=filled, user=translator))
    care = report["product:WD-24-0193:care_text"]
    assert care.status == "outdated" and "The English text changed" in care.message
    assert report["product:WD-24-0193:description"].status == "applied"
    assert not Product.objects.get(pk=dress.pk).care_text_fr


def test_unknown_unit_ids_are_refused(translator, dress):
    data = export(user=translator).replace(b'id="product:WD-24-0193:care_text"',
                                           b'id="product:NOPE-1:care_text"')
    data = data.replace(b'id="product:WD-24-0193:description"',
                        b'id="product:WD-24-0193:style_code"')
    data = tt_fill(data, "2.0", lambda text: FRENCH.get(text, text))
    report = by_id(translations_import(file=data, user=translator))
    for unit_id in ("product:NOPE-1:care_text", "product:WD-24-0193:style_code"):
        assert report[unit_id].status == "refused"
        assert report[unit_id].message.startswith(f"Unknown unit “{unit_id}”")
    assert report[f"colour:{dress.colours.get().pk}:name"].status == "applied"


def test_a_target_over_the_strictest_channel_limit_is_refused(translator, dress):
    factories.ChannelFactory(code="store-screens", name="Store screens", locales=["en", "fr"],
                             description_max_length=20)
    filled = tt_fill(export(user=translator), "2.0", lambda text: FRENCH.get(text, text))
    unit = by_id(translations_import(file=filled, user=translator))[
        "product:WD-24-0193:description"]
    assert (unit.status, unit.message) == (
        "refused", "42 characters of text; Store screens takes at most 20.")
    assert not Product.objects.get(pk=dress.pk).description_fr


def test_a_target_over_the_field_length_is_refused_by_the_write_path(translator, dress):
    filled = tt_fill(export(user=translator), "2.0",
                     lambda text: "x" * 5001 if text == "Wash at 30 °C." else text)
    report = by_id(translations_import(file=filled, user=translator))
    assert report["product:WD-24-0193:care_text"].status == "refused"
    assert "at most" in report["product:WD-24-0193:care_text"].message
    assert report["product:WD-24-0193:description"].status == "applied"


def test_units_of_a_locale_not_the_importer_s_are_refused(translator, dress, content_manager):
    filled = tt_fill(export("pl", user=content_manager), "2.0", lambda text: text + " (pl)")
    report = translations_import(file=filled, user=translator)
    assert {u.status for u in report.units} == {"refused"}
    assert report.units[0].message == "You do not translate into pl: you translate into fr."
    assert not Product.objects.get(pk=dress.pk).care_text_pl
    # A restriction to some of the translator's locales refuses the others the same way.
    fr = tt_fill(export(user=translator), "2.0", lambda text: text + " (fr)")
    assert {u.status for u in translations_import(file=fr, user=translator,
                                                  locales=["pl"]).units} == {"refused"}


@pytest.mark.parametrize("data", [
    b"<xliff", b"<!DOCTYPE x [<!ENTITY a 'b'>]><xliff/>", b"<html/>"])
def test_an_unreadable_file_is_refused_whole_and_nothing_is_stored(translator, dress, data):
    with pytest.raises(ContentError) as refused:
        translations_import(file=data, user=translator)
    assert list(refused.value.paths) == ["file"]
    assert refused.value.paths["file"][0].startswith("Refused, nothing was stored:")
    assert Product.objects.get(pk=dress.pk).version == 1


def test_a_dry_run_reports_and_stores_nothing(translator, dress):
    filled = tt_fill(export(user=translator), "2.0", lambda text: FRENCH.get(text, text))
    report = translations_import(file=filled, user=translator, dry_run=True)
    assert report.counts["applied"] == 4 and "would be applied" in report.summary()
    stored = Product.objects.get(pk=dress.pk)
    assert (stored.version, stored.care_text_fr) == (1, None)
    assert not TranslationStamp.objects.exists()


def test_a_content_manager_imports_on_behalf_of_a_translator(translator, dress,
                                                             content_manager):
    filled = tt_fill(export(user=content_manager), "2.0", lambda text: FRENCH.get(text, text))
    # On their own, a content manager writes no translation.
    assert {u.status for u in translations_import(file=filled, user=content_manager).units
            } == {"refused"}
    report = translations_import(file=filled, user=content_manager, translator=translator)
    assert report.counts["applied"] == 4
    assert Product.objects.get(pk=dress.pk).history.first().history_user == translator
    # The translator's locales apply: a Polish file is refused.
    pl = tt_fill(export("pl", user=content_manager), "2.0", lambda text: text + " (pl)")
    assert {u.status for u in translations_import(file=pl, user=content_manager,
                                                  translator=translator).units} == {"refused"}


def test_only_a_content_manager_assigns_an_import(translator, dress, merchandiser,
                                                  content_manager):
    with pytest.raises(ContentError) as refused:
        translations_import(file=export(user=translator), user=translator,
                            translator=translator)
    assert "Only a content manager" in refused.value.paths["translator"][0]
    with pytest.raises(ContentError) as refused:
        translations_import(file=export(user=translator), user=content_manager,
                            translator=merchandiser)
    assert "is not a translator" in refused.value.paths["translator"][0]


def test_the_commands_export_and_import(translator, dress, tmp_path):
    path = tmp_path / "fr.xlf"
    call_command("export_translations", str(path), "--locale", "fr", "--xliff", "1.2")
    path.write_bytes(tt_fill(path.read_bytes(), "1.2", lambda text: FRENCH.get(text, text)))
    out = io.StringIO()
    call_command("import_translations", str(path), "--dry-run", "--as-user", translator.username,
                 stdout=out)
    assert "Dry run, nothing stored. 4 units: 4 would be applied" in out.getvalue()
    assert Product.objects.get(pk=dress.pk).version == 1
    out = io.StringIO()
    call_command("import_translations", str(path), "--as-user", translator.username,
                 stdout=out)
    assert "applied   fr       product:WD-24-0193:care_text" in out.getvalue()
    assert Product.objects.get(pk=dress.pk).care_text_fr == "Laver à 30 °C."


def test_the_commands_refuse_bad_input_with_a_message(translator, dress, tmp_path):
    bad = tmp_path / "bad.xlf"
    bad.write_bytes(b"<!DOCTYPE x [<!ENTITY a SYSTEM 'file:///etc/passwd'>]><xliff/>")
    with pytest.raises(CommandError, match="declares a DOCTYPE"):
        call_command("import_translations", str(bad))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_translations", str(tmp_path / "missing.xlf"))
    with pytest.raises(CommandError, match="not a translation locale"):
        call_command("export_translations", str(tmp_path / "x.xlf"), "--locale", "xx")
    with pytest.raises(CommandError, match="No user"):
        call_command("import_translations", str(bad), "--as-user", "nobody")
