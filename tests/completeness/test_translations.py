"""Outdated translations: detected when the source changes, cleared by an update or a confirm."""
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from catalog.models import Product, TranslationStamp, source_hash
from catalog.services.translations import translation_confirm, translation_stamps_bootstrap
from tests import factories
from tests.forms import form_data

from .conftest import build_complete_product, rows_of

pytestmark = pytest.mark.django_db


def change_url(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


def admin_save(admin_client, product, capture, **changes):
    data = form_data(admin_client.get(change_url(product))) | changes
    with capture(execute=True):
        response = admin_client.post(change_url(product), data)
    assert response.status_code == 302, response.context and response.context["errors"]
    return response


def stored_codes(product, channel, locale):
    return product.completeness.get(channel=channel, locale=locale).failure_codes


def test_changing_the_source_outdates_every_translation(
    admin_client, channel, complete_product, django_capture_on_commit_callbacks
):
    rows_of(complete_product)
    admin_save(admin_client, complete_product, django_capture_on_commit_callbacks,
               fit_description_en="Cut close to the body.")
    assert stored_codes(complete_product, channel, "en") == []
    assert stored_codes(complete_product, channel, "fr") == [
        "translation.outdated.fr.fit_description"]
    assert stored_codes(complete_product, channel, "zh-hans") == [
        "translation.outdated.zh-hans.fit_description"]
    (failure,) = complete_product.completeness.get(channel=channel, locale="pl").failures
    assert failure["message"] == (
        "Polish fit description: outdated, the English text changed since it was translated.")
    assert failure["anchor"] == "id_fit_description_pl"


def test_updating_the_translation_clears_it(admin_client, channel, complete_product,
                                            django_capture_on_commit_callbacks):
    admin_save(admin_client, complete_product, django_capture_on_commit_callbacks,
               fit_description_en="Cut close to the body.")
    complete_product.refresh_from_db()
    admin_save(admin_client, complete_product, django_capture_on_commit_callbacks,
               fit_description_fr="Coupe près du corps.")
    assert stored_codes(complete_product, channel, "fr") == []
    assert stored_codes(complete_product, channel, "pl") == [
        "translation.outdated.pl.fit_description"]
    stamp = TranslationStamp.objects.get(product=complete_product, field="fit_description",
                                         locale="fr")
    assert stamp.how == "written" and stamp.stamped_by.username == "admin"
    assert stamp.source_hash == source_hash("Cut close to the body.")


def test_confirming_from_the_panel_clears_it(admin_client, channel, complete_product,
                                             django_capture_on_commit_callbacks):
    admin_save(admin_client, complete_product, django_capture_on_commit_callbacks,
               fit_description_en="Cut close to the body.")
    html = admin_client.get(change_url(complete_product)).content.decode()
    assert 'name="field" value="fit_description"' in html and "Confirm unchanged" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:catalog_product_translation_confirm", args=[complete_product.pk]),
            {"locale": "pl", "field": "fit_description"}, follow=True)
    assert "1 pl translation(s) confirmed unchanged." in response.content.decode()
    assert stored_codes(complete_product, channel, "pl") == []
    assert stored_codes(complete_product, channel, "fr") == [
        "translation.outdated.fr.fit_description"]
    assert TranslationStamp.objects.get(product=complete_product, field="fit_description",
                                        locale="pl").how == "confirmed"


def test_confirm_refuses_bad_input_and_writes_nothing(admin_client, complete_product):
    before = list(TranslationStamp.objects.values())
    url = reverse("admin:catalog_product_translation_confirm", args=[complete_product.pk])
    for data, message in [
        ({"locale": "de", "field": "fit_description"}, "“de” is not a translation locale"),
        ({"locale": "en", "field": "fit_description"}, "“en” is not a translation locale"),
        ({"locale": "fr", "field": "colour"}, "Nothing to confirm: colour."),
        ({"locale": "fr"}, "Nothing to confirm: no field given."),
    ]:
        response = admin_client.post(url, data, follow=True)
        assert message in response.content.decode()
    assert admin_client.get(url).status_code == 405
    assert list(TranslationStamp.objects.values()) == before


def test_confirm_refuses_a_missing_translation(channel):
    product = build_complete_product(size_advice_pl="")
    with pytest.raises(ValidationError, match="no pl translation to confirm for: size_advice"):
        translation_confirm(product=product, locale="pl", fields=["size_advice"], user=None)


def test_confirm_respects_a_translators_locales(channel, complete_product):
    from catalog.models import TranslatorAssignment
    from catalog.services.errors import ContentError

    translator = factories.UserFactory(username="marie")
    TranslatorAssignment.objects.create(user=translator, locales=["fr"])
    assert translation_confirm(product=complete_product, locale="fr", fields=["name"],
                               user=translator) == 1
    with pytest.raises(ContentError) as refused:
        translation_confirm(product=complete_product, locale="pl", fields=["name"],
                            user=translator)
    assert refused.value.paths == {
        "locale": ["You do not translate into pl: you translate into fr."]}


def test_translations_written_before_stamps_existed_are_caught(
    admin_client, channel, django_capture_on_commit_callbacks
):
    product = build_complete_product()
    TranslationStamp.objects.filter(product=product).delete()
    admin_save(admin_client, product, django_capture_on_commit_callbacks,
               care_text_en="Wash cold, inside out.")
    assert stored_codes(product, channel, "fr") == ["translation.outdated.fr.care_text"]
    stamp = TranslationStamp.objects.get(product=product, field="care_text", locale="fr")
    assert (stamp.how, stamp.source_hash) == ("found", source_hash("Wash inside out."))


def test_colour_name_change_outdates_its_translations(admin_client, channel, complete_product,
                                                      django_capture_on_commit_callbacks):
    admin_save(admin_client, complete_product, django_capture_on_commit_callbacks,
               **{"colours-0-name_en": "Crimson"})
    failures = complete_product.completeness.get(channel=channel, locale="fr").failures
    assert [(f["code"], f["target"]) for f in failures] == [
        ("translation.outdated.fr.colour_name", "RED")]
    translation_confirm(product=complete_product, locale="fr", fields=["colour_name"], user=None)
    assert rows_of(complete_product, channel)["fr"].failure_codes == []


def test_a_cleared_translation_is_missing_not_outdated(admin_client, channel, complete_product,
                                                       django_capture_on_commit_callbacks):
    admin_save(admin_client, complete_product, django_capture_on_commit_callbacks,
               care_text_fr="")
    assert stored_codes(complete_product, channel, "fr") == ["translation.missing.fr.care_text"]
    assert not TranslationStamp.objects.filter(product=complete_product, field="care_text",
                                               locale="fr").exists()


def test_a_new_product_has_its_translations_stamped(channel):
    from catalog.services.products import product_save

    product = factories.ProductFactory.build(
        brand=factories.BrandFactory(), season=factories.SeasonFactory(),
        category=factories.CategoryFactory(), name_en="Coat", name_fr="Manteau",
    )
    product_save(product=product)
    stamp = TranslationStamp.objects.get(product=product, field="name", locale="fr")
    assert (stamp.how, stamp.source_hash) == ("written", source_hash("Coat"))


def test_bootstrap_stamps_what_is_in_place_once(channel):
    product = build_complete_product()
    TranslationStamp.objects.all().delete()
    # 6 product fields and 1 colour name, in 3 locales
    assert translation_stamps_bootstrap() == 7 * 3
    assert translation_stamps_bootstrap() == 0
    assert set(TranslationStamp.objects.values_list("how", flat=True)) == {"found"}
    Product.objects.filter(pk=product.pk).update(description_en="<p>New copy.</p>")
    assert rows_of(product, channel)["fr"].failure_codes == ["translation.outdated.fr.description"]
