"""Translations written through translations_write: the translator's locales only, whatever
the entry point; stamps, history and the product's version as for any edit."""
import pytest
from django.urls import reverse

from catalog.models import Product, TranslationStamp
from catalog.services.errors import ContentError
from catalog.services.products import StaleProductError, product_save
from catalog.services.translations import (
    translation_confirm,
    translations_write,
    translator_locales,
)
from tests import factories
from tests.completeness.conftest import add_photos
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(db):
    product = factories.ProductFactory(name_en="Linen dress", name_fr="Robe en lin",
                                       name_pl="Sukienka")
    colour = factories.ColourFactory(product=product, code="RED", name_en="Red")
    add_photos(colour, 1)
    return product


def test_a_translator_writes_their_locale_and_it_is_stamped(translator, product):
    colour, photo = product.colours.get(), product.colours.get().photos.get()
    translations_write(product=product, expected_version=1, user=translator,
                       product_texts={"care_text": {"fr": "Laver à 30 °C."}},
                       colour_names={colour.pk: {"fr": "Rouge"}},
                       photo_alt_texts={photo.pk: {"fr": "Robe rouge, de face"}})
    stored = Product.objects.get(pk=product.pk)
    assert (stored.care_text_fr, stored.version) == ("Laver à 30 °C.", 2)
    assert stored.history.first().history_user == translator
    colour.refresh_from_db()
    photo.refresh_from_db()
    assert (colour.name_fr, photo.alt_text_fr) == ("Rouge", "Robe rouge, de face")
    stamps = TranslationStamp.objects.filter(locale="fr", stamped_by=translator)
    assert {(s.colour_id, s.photo_id, s.field) for s in stamps} == {
        (None, None, "care_text"), (colour.pk, None, "name"), (None, photo.pk, "alt_text")}


def test_another_locale_is_refused_everywhere_and_nothing_is_written(translator, product):
    colour, photo = product.colours.get(), product.colours.get().photos.get()
    with pytest.raises(ContentError) as refused:
        translations_write(product=product, expected_version=1, user=translator,
                           product_texts={"name": {"fr": "Robe", "pl": "Podrobione"},
                                          "style_code": {"fr": "X"}},
                           colour_names={colour.pk: {"en": "Forged"}},
                           photo_alt_texts={photo.pk: {"zh-hans": "红色"}, 999999: {"fr": "?"}})
    assert refused.value.paths == {
        "name_pl": ["You do not translate into pl: you translate into fr."],
        "style_code": ["“style_code” is not a translated field of a product. Translated fields "
                       "are name, description, material_text, fit_description, size_advice, "
                       "care_text."],
        f"colours.{colour.pk}.name_en": ["“en” is not a translation locale. Choose from fr, "
                                         "pl, zh-hans."],
        f"photos.{photo.pk}.alt_text_zh_hans": [
            "You do not translate into zh-hans: you translate into fr."],
        "photos.999999": [f"No photo 999999 on {product.style_code}."],
    }
    stored = Product.objects.get(pk=product.pk)
    assert (stored.name_fr, stored.name_pl, stored.version) == ("Robe en lin", "Sukienka", 1)
    assert not TranslationStamp.objects.exists()


def test_a_text_too_long_is_refused_on_its_field(translator, product):
    with pytest.raises(ContentError) as refused:
        translations_write(product=product, expected_version=1, user=translator,
                           product_texts={"name": {"fr": "x" * 1000}})
    assert list(refused.value.paths) == ["name_fr"]


def test_a_write_from_an_old_copy_is_refused(translator, product):
    with pytest.raises(StaleProductError):
        translations_write(product=product, expected_version=0, user=translator,
                           product_texts={"name": {"fr": "Robe"}})


def test_who_translates_what(translator, roles, product):
    merchandiser = factories.UserFactory(username="m", is_staff=True)
    merchandiser.groups.add(roles["merchandiser"])
    nobody = factories.UserFactory(username="nobody", is_staff=True)
    assert translator_locales(translator) == ["fr"]
    assert translator_locales(merchandiser) == translator_locales(None) == ["fr", "pl", "zh-hans"]
    assert translator_locales(nobody) == []


def test_an_outdated_translation_is_confirmed_unchanged(translator, product):
    fresh = Product.objects.get(pk=product.pk)
    fresh.name_fr = "Robe en lin."
    product_save(product=fresh, expected_version=1)
    fresh.name_en = "Linen maxi dress"
    product_save(product=fresh, expected_version=2)
    with pytest.raises(ContentError) as refused:
        translation_confirm(product=fresh, locale="pl", fields=["name"], user=translator)
    assert list(refused.value.paths) == ["locale"]
    assert translation_confirm(product=fresh, locale="fr", fields=["name"], user=translator) == 1
    stamp = TranslationStamp.objects.get(product=product, field="name", locale="fr")
    assert (stamp.how, stamp.stamped_by) == ("confirmed", translator)
    assert Product.objects.get(pk=product.pk).name_fr == "Robe en lin."


def test_the_translator_page_writes_product_and_colour_in_one_version(client, translator,
                                                                      product):
    client.force_login(translator)
    url = reverse("admin:catalog_producttranslation_change", args=[product.pk])
    data = form_data(client.get(url)) | {"name_fr": "Robe longue", "colours-0-name_fr": "Rouge"}
    assert client.post(url, data).status_code == 302
    stored, colour = Product.objects.get(pk=product.pk), product.colours.get()
    assert (stored.name_fr, stored.version, colour.name_fr) == ("Robe longue", 2, "Rouge")
    assert colour.history.first().history_user == translator
    assert set(TranslationStamp.objects.filter(stamped_by=translator)
               .values_list("colour_id", "field")) == {(None, "name"), (colour.pk, "name")}
