"""The translator's page: what changed in an outdated source, only fields with a source, the
cover photo, and the rich-text editor shared with the product page."""
import re

import pytest
from django.urls import reverse
from django_prose_editor.config import allowlist_from_extensions

from catalog.admin.translation import source_diff
from catalog.admin.widgets import EDITORIAL_EXTENSIONS
from catalog.models import Product
from catalog.models.fields import EDITORIAL_ATTRIBUTES, EDITORIAL_TAGS
from catalog.services.products import product_save
from catalog.services.translations import translations_write
from tests import factories
from tests.forms import form_data
from tests.workflow.conftest import jpeg_file

pytestmark = pytest.mark.django_db


def change_url(product):
    return reverse("admin:catalog_producttranslation_change", args=[product.pk])


@pytest.fixture
def coat(db):
    return factories.ProductFactory(
        style_code="CT-1", name_en="Wool coat", fit_description_en="", size_advice_en="",
        material_text_en="Boiled wool.", care_text_en="Dry clean only.",
        description_en="<p>A <strong>warm</strong> coat.</p>")


def change_source(product, **fields):
    fresh = Product.objects.get(pk=product.pk)
    for name, value in fields.items():
        setattr(fresh, name, value)
    product_save(product=fresh, expected_version=fresh.version)


def test_an_outdated_field_shows_the_old_and_new_source_with_the_difference(client,
                                                                           translator, coat):
    translations_write(product=coat, expected_version=1, user=translator,
                       product_texts={"care_text": {"fr": "Nettoyage à sec."},
                                      "description": {"fr": "<p>Un manteau chaud.</p>"}})
    change_source(coat, care_text_en="Dry clean or hand wash cold.",
                  description_en="<p>A <strong>very warm</strong> coat.</p>")
    client.force_login(translator)
    page = client.get(change_url(coat)).content.decode()
    diffs = re.findall(r'<div class="translation-diff".*?</div></div></div>', page, re.S)
    care = next(d for d in diffs if "Dry" in d)
    assert ('When it was translated</p><div class="readonly" lang="en" '
            'style="white-space:pre-wrap">Dry clean <del style="background:#fdd">only.</del>'
            in care)
    assert 'Dry clean <ins style="background:#dfd">or hand wash cold.</ins>' in care
    # The description's difference is in its text, not its markup.
    assert 'A<ins style="background:#dfd"> very</ins> warm coat.' in page
    # A field that is not outdated shows its source as it is.
    assert page.count('class="translation-diff"') == 2


def test_source_diff_escapes_what_it_shows():
    shown = source_diff("Wash <b>cold</b>", "Wash <script>x</script>")
    assert "<script>" not in shown and "&lt;script&gt;" in shown


def test_fields_whose_source_is_empty_are_not_offered(client, translator, coat):
    client.force_login(translator)
    page = client.get(change_url(coat)).content.decode()
    assert 'name="care_text_fr"' in page and 'name="material_text_fr"' in page
    assert 'name="fit_description_fr"' not in page and 'name="size_advice_fr"' not in page
    # A forged post for a field not offered changes nothing.
    data = form_data(client.get(change_url(coat)))
    data.update({"care_text_fr": "Nettoyage à sec.", "fit_description_fr": "Ample."})
    response = client.post(change_url(coat), data)
    assert response.status_code == 302
    stored = Product.objects.get(pk=coat.pk)
    assert (stored.care_text_fr, stored.fit_description_fr) == ("Nettoyage à sec.", None)


def test_the_cover_photo_is_on_the_form(client, translator, coat, on_commit):
    from catalog.services.photos import photo_add

    colour = factories.ColourFactory(product=coat, code="NVY", name_en="Navy")
    client.force_login(translator)
    assert "no photo yet" in client.get(change_url(coat)).content.decode()
    with on_commit():
        photo_add(colour=colour, file=jpeg_file("coat.jpg"))
    page = client.get(change_url(coat)).content.decode()
    assert re.search(r'<img src="[^"]+" alt="Wool coat" class="translation-cover"', page)


def test_the_description_is_edited_in_the_rich_text_editor_on_both_pages(client, translator,
                                                                         admin_user, coat):
    client.force_login(translator)
    response = client.get(change_url(coat))
    page = response.content.decode()
    assert re.search(r'<textarea name="description_fr"[^>]*data-django-prose-editor-'
                     r'configurable=', page)
    assert "django_prose_editor/configurable.js" in page
    # Its import map is the one inline script the policy lets through, by its hash.
    assert "'sha256-" in response["Content-Security-Policy"]
    client.force_login(admin_user)
    product_page = client.get(reverse("admin:catalog_product_change", args=[coat.pk]))
    assert re.search(r'<textarea name="description_en"[^>]*data-django-prose-editor-'
                     r'configurable=', product_page.content.decode())
    assert "'sha256-" in product_page["Content-Security-Policy"]


def test_the_editor_only_makes_what_the_sanitiser_keeps():
    allowed = allowlist_from_extensions(EDITORIAL_EXTENSIONS)
    assert set(allowed["tags"]) <= EDITORIAL_TAGS
    # rel is set by the sanitiser itself; numbering attributes are switched off in the
    # editor (enableListAttributes) though listed by its allowlist.
    for tag, attributes in allowed["attributes"].items():
        extra = set(attributes) - EDITORIAL_ATTRIBUTES.get(tag, set()) - {"rel"}
        assert tag == "ol" or not extra, (tag, extra)
    assert EDITORIAL_EXTENSIONS["OrderedList"] == {"enableListAttributes": False}


def test_an_empty_editor_saves_an_empty_description(client, translator, coat):
    client.force_login(translator)
    data = form_data(client.get(change_url(coat)))
    data.update({"description_fr": "<p></p>", "care_text_fr": "Nettoyage à sec."})
    assert client.post(change_url(coat), data).status_code == 302
    assert not Product.objects.get(pk=coat.pk).description_fr
