"""The translator's page in Chromium: the changed English shown beside the old, the rich-text
editor loaded from our server under the CSP, and a save through it."""
import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from catalog.models import Product, TranslatorAssignment
from catalog.services.products import product_save
from catalog.services.roles import TRANSLATOR, roles_setup
from catalog.services.translations import translations_write
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def translator_page(page):
    roles_setup()
    user = factories.UserFactory(username="traductrice", is_staff=True)
    user.groups.add(Group.objects.get(name=TRANSLATOR))
    user.set_password("browser-pass")
    user.save()
    TranslatorAssignment.objects.create(user=user, locales=["fr"])
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "browser-pass")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.translator = user
    return page


def test_translator_sees_what_changed_and_saves_with_the_rich_text_editor(translator_page):
    page = translator_page
    coat = factories.ProductFactory(style_code="CT-1", name_en="Wool coat", name_fr="Manteau",
                                    care_text_en="Dry clean only.",
                                    description_en="<p>A <strong>warm</strong> coat.</p>")
    translations_write(product=coat, expected_version=1, user=page.translator,
                       product_texts={"care_text": {"fr": "Nettoyage à sec."}})
    fresh = Product.objects.get(pk=coat.pk)
    fresh.care_text_en = "Dry clean or hand wash cold."
    product_save(product=fresh, expected_version=fresh.version)

    page.goto(f"/admin/catalog/producttranslation/{coat.pk}/change/")
    diff = page.locator(".translation-diff")
    expect(diff).to_have_count(1)
    expect(diff.locator("del")).to_have_text("only.")
    expect(diff.locator("ins")).to_have_text("or hand wash cold.")

    editor = page.locator(".field-description_fr .ProseMirror[contenteditable=true]")
    expect(editor).to_be_visible()
    # The block-type menu's arrow is drawn, not a character the fonts may lack.
    arrow = page.locator(".field-description_fr .prose-menubar__selected").first.evaluate(
        "el => { const s = getComputedStyle(el, '::after');"
        " return [s.content, s.borderTopWidth, s.borderTopStyle]; }")
    assert arrow == ['""', "5px", "solid"], arrow
    editor.click()
    page.keyboard.type("Un manteau ")
    page.keyboard.press("Control+b")
    page.keyboard.type("chaud")
    page.keyboard.press("Control+b")
    page.keyboard.type(".")
    page.fill("#id_care_text_fr", "Nettoyage à sec ou lavage à la main à froid.")
    page.click("input[name=_continue]")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".messagelist .success")).to_be_visible()

    stored = Product.objects.get(pk=coat.pk)
    assert stored.description_fr == "<p>Un manteau <strong>chaud</strong>.</p>"
    assert stored.care_text_fr == "Nettoyage à sec ou lavage à la main à froid."
    expect(page.locator(".translation-diff")).to_have_count(0)
