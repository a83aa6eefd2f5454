"""The translator's admin: own locales only, enforced on the server; stamps; waiting list."""
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from catalog.models import Product, TranslationStamp, TranslatorAssignment
from catalog.selectors import translation_waiting
from catalog.services.products import product_save
from tests import factories
from tests.forms import form_data

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:catalog_producttranslation_changelist")


def change_url(product):
    return reverse("admin:catalog_producttranslation_change", args=[product.pk])


def texts(response):
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def product(db):
    product = factories.ProductFactory(name_en="Linen dress", name_fr="Robe en lin",
                                       name_pl="Sukienka", care_text_en="Wash at 30 °C.")
    factories.ColourFactory(product=product, code="RED", name_en="Red", name_fr="")
    return product


def test_the_page_shows_the_source_and_only_my_locales(client, translator, product):
    client.force_login(translator)
    response = client.get(change_url(product))
    assert response.status_code == 200
    page = response.content.decode()
    data = form_data(response)
    assert "Linen dress" in page and "Wash at 30 °C." in page  # the English source, read-only
    assert "name_fr" in data and "care_text_fr" in data and "colours-0-name_fr" in data
    assert not {"name_en", "name_pl", "name_zh_hans", "style_code", "colours-0-name_pl"} & set(data)


def test_a_translator_saves_their_locale_and_it_is_stamped(client, translator, product):
    client.force_login(translator)
    data = form_data(client.get(change_url(product)))
    data["care_text_fr"] = "Laver à 30 °C."
    data["colours-0-name_fr"] = "Rouge"
    response = client.post(change_url(product), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    product.refresh_from_db()
    assert product.care_text_fr == "Laver à 30 °C." and product.version == 2
    assert product.colours.get().name_fr == "Rouge"
    stamp = TranslationStamp.objects.get(product=product, field="care_text", locale="fr")
    assert stamp.stamped_by == translator
    assert TranslationStamp.objects.filter(colour__isnull=False, locale="fr").exists()
    assert product.history.first().history_user == translator


@pytest.mark.parametrize("forged", [
    {"name_pl": "Podrobione"},
    {"name_en": "Forged source"},
    {"style_code": "FORGED-1"},
    {"colours-0-name_pl": "Czerwony"},
])
def test_a_forged_post_for_another_locale_or_the_source_is_refused(client, translator, product,
                                                                     forged):
    client.force_login(translator)
    data = form_data(client.get(change_url(product)))
    data["name_fr"] = "Changement légitime"
    data.update(forged)
    response = client.post(change_url(product), data)

    assert response.status_code == 302
    message = texts(response)
    assert "Refused, nothing was saved" in message and next(iter(forged)) in message
    stored = Product.objects.get(pk=product.pk)
    assert stored.name_fr == "Robe en lin" and stored.name_pl == "Sukienka"
    assert stored.name_en == "Linen dress" and stored.style_code == product.style_code
    assert stored.colours.get().name_pl in ("", None)
    assert stored.version == product.version


def test_translators_cannot_use_the_product_admin(client, translator, product):
    client.force_login(translator)
    assert client.get(reverse("admin:catalog_product_change", args=[product.pk])).status_code == 403
    assert client.get(reverse("admin:catalog_product_changelist")).status_code == 403


def test_a_user_without_locales_cannot_change_translations(client, roles, product):
    user = factories.UserFactory(username="nolocale", is_staff=True)
    user.groups.add(roles["translator"])
    client.force_login(user)
    data = {"name_fr": "X", "loaded_version": "1"}
    response = client.post(change_url(product), data)
    assert response.status_code in (302, 403)
    assert Product.objects.get(pk=product.pk).name_fr == "Robe en lin"


def test_waiting_list_shows_missing_and_outdated_in_my_locales(client, translator, product,
                                                                django_assert_max_num_queries):
    done = factories.ProductFactory(name_en="Shirt", name_fr="Chemise",
                                    description_en="", description_fr="")
    outdated = factories.ProductFactory(name_en="Coat", name_fr="Manteau", description_en="",
                                        description_fr="")
    # A save stamps the French names; then the English source of one changes.
    for p in (done, outdated):
        fresh = Product.objects.get(pk=p.pk)
        fresh.name_fr = fresh.name_fr + " "
        product_save(product=fresh, expected_version=fresh.version)
    fresh = Product.objects.get(pk=outdated.pk)
    fresh.name_en = "Long coat"
    product_save(product=fresh, expected_version=fresh.version)

    client.force_login(translator)
    with django_assert_max_num_queries(20):
        response = client.get(CHANGELIST, {"translation": "waiting"})
    shown = {p.style_code for p in response.context["cl"].result_list}
    # `product` misses its French care text and colour name; `outdated` has an old French name.
    assert shown == {product.style_code, outdated.style_code}
    page = response.content.decode()
    assert "fr: 3 missing" in page and "fr: 1 outdated" in page

    response = client.get(CHANGELIST, {"translation": "outdated"})
    assert {p.style_code for p in response.context["cl"].result_list} == {outdated.style_code}


def test_a_row_listed_as_outdated_says_outdated_even_with_something_missing(client,
                                                                           translator):
    # The name's French is outdated, the care text's missing: listed under "Outdated", the
    # row used to say only "fr: missing".
    coat = factories.ProductFactory(name_en="Coat", name_fr="Manteau", description_en="",
                                    care_text_en="Dry clean.")
    fresh = Product.objects.get(pk=coat.pk)
    fresh.name_fr = "Manteau long"
    product_save(product=fresh, expected_version=fresh.version)
    fresh = Product.objects.get(pk=coat.pk)
    fresh.name_en = "Long coat"
    product_save(product=fresh, expected_version=fresh.version)
    client.force_login(translator)
    response = client.get(CHANGELIST, {"translation": "outdated"})
    assert [p.pk for p in response.context["cl"].result_list] == [coat.pk]
    assert '<td class="field-translation_state">fr: 1 missing, 1 outdated</td>' in (
        response.content.decode())


def test_translator_locales_are_edited_in_their_own_admin(admin_client, translator):
    assignment = TranslatorAssignment.objects.get(user=translator)
    url = reverse("admin:catalog_translatorassignment_change", args=[assignment.pk])
    response = admin_client.post(url, {"user": translator.pk, "locales": ["fr", "pl"]})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.locales == ["fr", "pl"]
    response = admin_client.post(url, {"user": translator.pk, "locales": ["xx"]})
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def test_an_outdated_translation_is_confirmed_unchanged(client, translator, product):
    fresh = Product.objects.get(pk=product.pk)
    fresh.name_fr = "Robe en lin."
    product_save(product=fresh, expected_version=fresh.version)  # stamped against "Linen dress"
    fresh = Product.objects.get(pk=product.pk)
    fresh.name_en = "Linen maxi dress"
    product_save(product=fresh, expected_version=fresh.version)
    assert translation_waiting(locales=["fr"])[product.pk]["fr"]["outdated"] == ["name"]

    client.force_login(translator)
    response = client.get(change_url(product))
    assert "Outdated translations" in response.content.decode()
    data = form_data(response)
    data["confirm_fr"] = ["name"]
    response = client.post(change_url(product), data)
    assert response.status_code == 302

    state = translation_waiting(locales=["fr"]).get(product.pk, {}).get("fr", {})
    assert "name" not in state.get("outdated", [])
    stamp = TranslationStamp.objects.get(product=product, field="name", locale="fr")
    assert stamp.how == "confirmed" and stamp.stamped_by == translator
    assert Product.objects.get(pk=product.pk).name_fr == "Robe en lin."
