"""Translators' files in the admin: the export page and action, the import page with its dry
run and report, and the import a content manager makes on behalf of a translator."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from catalog.models import Product
from tests import factories
from tests.workflow.test_translation_files import FRENCH, tt_fill

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:catalog_producttranslation_changelist")
EXPORT = reverse("admin:catalog_producttranslation_export")
IMPORT = reverse("admin:catalog_producttranslation_import")


def upload(data: bytes, name="fr.xlf"):
    return SimpleUploadedFile(name, data, content_type="application/xliff+xml")


def test_the_translator_s_list_links_to_export_and_import(client, translator, dress):
    client.force_login(translator)
    page = client.get(CHANGELIST).content.decode()
    assert EXPORT in page and IMPORT in page


def test_the_export_page_offers_my_locales_and_downloads_a_file(client, translator, dress):
    client.force_login(translator)
    response = client.get(EXPORT)
    assert [c for c, _ in response.context["form"].fields["locale"].choices] == ["fr"]
    response = client.post(EXPORT, {"locale": "fr", "version": "1.2", "scope": "waiting"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="translations-fr-')
    assert b'urn:oasis:names:tc:xliff:document:1.2' in response.content
    assert b'product:WD-24-0193:care_text' in response.content
    # A locale that is not mine is not a choice: the form says so, no file.
    response = client.post(EXPORT, {"locale": "pl", "version": "2.0", "scope": "waiting"})
    assert "Select a valid choice" in response.content.decode()
    assert "Content-Disposition" not in response


def test_the_list_action_exports_the_chosen_products(client, translator, dress):
    other = factories.ProductFactory(style_code="SH-1", name_en="Shirt", name_fr="Chemise",
                                     description_en="")
    client.force_login(translator)
    response = client.post(CHANGELIST, {"action": "export_xliff",
                                        "_selected_action": [other.pk]})
    assert response.status_code == 302 and response["Location"] == f"{EXPORT}?selection=1"
    response = client.post(response["Location"],
                           {"locale": "fr", "version": "2.0", "scope": "selection"})
    assert b'product:SH-1:name' in response.content
    assert b'WD-24-0193' not in response.content


def test_import_page_dry_run_then_import(client, translator, dress):
    client.force_login(translator)
    exported = client.post(EXPORT, {"locale": "fr", "version": "2.0", "scope": "waiting"})
    filled = tt_fill(exported.content, "2.0", lambda text: FRENCH.get(text, text))
    response = client.post(IMPORT, {"file": upload(filled), "dry_run": "on"})
    page = response.content.decode()
    assert "Dry run, nothing stored. 4 units: 4 would be applied" in page
    assert page.count("would be applied</td>") == 4
    assert Product.objects.get(pk=dress.pk).version == 1
    response = client.post(IMPORT, {"file": upload(filled)})
    assert "4 units: 4 applied" in response.content.decode()
    assert Product.objects.get(pk=dress.pk).care_text_fr == "Laver à 30 °C."


@pytest.mark.parametrize("data, message", [
    (b"<!DOCTYPE x [<!ENTITY a SYSTEM 'file:///etc/passwd'>]><xliff/>", "declares a DOCTYPE"),
    (b"<xliff", "not well-formed XML"),
    (b"PK\x03\x04 a zip", "not well-formed XML"),
    (b"<html/>", "This is not an XLIFF file"),
])
def test_an_unreadable_file_is_refused_on_the_form(client, translator, dress, data, message):
    client.force_login(translator)
    response = client.post(IMPORT, {"file": upload(data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["report"] is None
    assert Product.objects.get(pk=dress.pk).version == 1


def test_a_content_manager_imports_an_agency_file_for_a_translator(client, translator, dress,
                                                                   content_manager):
    client.force_login(content_manager)
    page = client.get(CHANGELIST).content.decode()
    assert EXPORT in page and IMPORT in page
    exported = client.post(EXPORT, {"locale": "fr", "version": "2.0", "scope": "waiting"})
    filled = tt_fill(exported.content, "2.0", lambda text: FRENCH.get(text, text))
    form = client.get(IMPORT).context["form"]
    assert list(form.fields["translator"].queryset) == [translator]
    response = client.post(IMPORT, {"file": upload(filled), "translator": translator.pk})
    assert "4 applied" in response.content.decode()
    assert Product.objects.get(pk=dress.pk).history.first().history_user == translator


def test_others_cannot_reach_the_pages(client, merchandiser, translator):
    client.force_login(translator)
    assert "translator" not in client.get(IMPORT).context["form"].fields
    client.force_login(merchandiser)
    for url in (EXPORT, IMPORT):
        assert client.get(url).status_code in (302, 403)
