"""The store-screen page in Chromium: scans, typed codes, failures, locales, stock, idle."""
import re
from datetime import datetime, timezone

import pytest
from django.db import transaction
from playwright.sync_api import expect

from api.services import token_revoke
from api.stores.services import screen_token_create
from catalog.models import Channel, Variant
from catalog.services.publishing import snapshots_publish
from catalog.stores.models import Store
from catalog.stores.services import stock_write
from tests import factories
from tests.workflow.conftest import make_complete_product

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.browser.screen_urls")]
PORTRAIT = {"width": 1080, "height": 1920}
AS_OF = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def shop(db):
    channel = Channel.objects.create(
        code="store-screens", name="Store screens", locales=["fr", "en"], markets=["FR"],
        required_fields=["photos"], min_photos=1, renditions=["fill-90x160|format-webp"])
    paris = Store.objects.create(code="paris-opera", name="Paris Opéra", country="FR",
                                 locales=["fr", "en"], channel=channel)
    lyon = Store.objects.create(code="lyon", name="Lyon Bellecour", country="FR",
                                locales=["fr"], channel=channel)
    product = make_complete_product(photos=2, style_code="WD-25-0193")
    with transaction.atomic():
        snapshots_publish(product=product, channels=[channel])
    variant = Variant.objects.get(colour__product=product)
    return {"channel": channel, "paris": paris, "lyon": lyon, "product": product,
            "variant": variant}


def enrol(page, store, viewport=PORTRAIT):
    page.set_viewport_size(viewport)
    issued = screen_token_create(store=store)
    page.goto(f"/screens/{store.code}/#enrol={issued.raw}")
    expect(page.locator("#idle")).to_be_visible()
    assert "enrol" not in page.url  # the token left the address bar
    return issued


def scan(page, code):
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.type(code, delay=5)
    page.keyboard.press("Enter")


def test_a_scanner_scan_shows_the_product_in_the_stores_locale_with_its_photo(page, shop):
    enrol(page, shop["paris"])
    expect(page.get_by_role("heading", name="Scannez une étiquette")).to_be_visible()
    stock_write(store=shop["paris"], lines=[
        {"sku": shop["variant"].sku, "quantity": 3, "as_of": AS_OF.isoformat()}])
    scan(page, shop["variant"].gtin_display)
    product = page.locator("#product")
    expect(product).to_have_attribute("data-painted", "WD-25-0193")
    expect(product.locator(".name")).to_have_text("Robe en lin")
    expect(page.locator("#style-code")).to_have_text("WD-25-0193")
    first = product.locator(".photo img").first
    assert first.evaluate("img => img.complete && img.naturalWidth > 0")
    assert product.locator(".photo img").count() == 2
    size = product.locator(".size").first
    expect(size).to_have_attribute("data-status", "here")
    expect(size).to_have_attribute("aria-pressed", "true")  # the scanned variant
    expect(page.locator("#availability")).to_contain_text("3 dans ce magasin")
    care = product.locator(".care img")
    assert care.count() == 5
    assert all(care.nth(i).evaluate("img => img.naturalWidth > 0") for i in range(5))
    expect(product.locator("#size-chart")).to_contain_text("38")
    expect(product.locator("#ratings")).to_contain_text("4.5")
    box = size.bounding_box()
    assert box["height"] >= 64 and box["width"] >= 64  # a finger's target


def test_a_typed_style_code_opens_the_product(page, shop):
    enrol(page, shop["paris"])
    page.fill("#code", "wd-25-0193")
    page.press("#code", "Enter")
    expect(page.locator("#product .name")).to_have_text("Robe en lin")
    expect(page.locator("#product .size").first).to_have_attribute("data-status", "none")


def test_an_unknown_code_and_an_unpublished_product_each_get_their_screen(page, shop):
    enrol(page, shop["paris"])
    scan(page, "5901234123457")
    expect(page.locator("#message")).to_have_attribute("data-kind", "unknown_code")
    expect(page.locator("#message-title")).to_have_text("Code inconnu")
    expect(page.locator("#message-code")).to_have_text("5901234123457")
    draft = factories.ProductFactory(style_code="WD-25-0999")
    factories.VariantFactory(colour=factories.ColourFactory(product=draft), gtin="5901234123464")
    scan(page, "5901234123464")
    expect(page.locator("#message")).to_have_attribute("data-kind", "not_published")
    page.get_by_role("button", name="Nouveau scan").click()
    expect(page.locator("#idle")).to_be_visible()


def test_the_locale_switches_among_the_channels_and_back_to_the_stores_when_idle(
        page, shop, settings):
    settings.SCREEN_IDLE_SECONDS = 1
    enrol(page, shop["paris"])
    scan(page, "WD-25-0193")
    expect(page.locator("#product .name")).to_have_text("Robe en lin")
    page.get_by_role("button", name="English").click()
    expect(page.locator("#product .name")).to_have_text("Linen dress")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#product .size .size-status").first).to_have_text("Not available")
    # After the pause, the idle screen, in the store's own locale again.
    expect(page.locator("#idle")).to_be_visible(timeout=5_000)
    expect(page.get_by_role("heading", name="Scannez une étiquette")).to_be_visible()
    expect(page.locator("#recent-list")).to_contain_text("WD-25-0193")


def test_stock_written_by_the_store_system_shows_on_the_next_scan(page, shop):
    enrol(page, shop["paris"])
    sku = shop["variant"].sku
    stock_write(store=shop["lyon"], lines=[{"sku": sku, "quantity": 4, "as_of": AS_OF.isoformat()}])
    scan(page, sku)
    expect(page.locator("#product .size").first).to_have_attribute("data-status", "market")
    expect(page.locator("#availability")).to_contain_text("Lyon Bellecour")
    stock_write(store=shop["paris"], lines=[{"sku": sku, "quantity": 2, "as_of": AS_OF.isoformat()}])
    page.get_by_role("button", name="Nouveau scan").click()
    scan(page, sku)
    expect(page.locator("#product .size").first).to_have_attribute("data-status", "here")


def test_a_revoked_screen_says_it_is_no_longer_enrolled(page, shop):
    issued = enrol(page, shop["paris"])
    token_revoke(token=issued.token)
    scan(page, "WD-25-0193")
    expect(page.locator("#enrol")).to_have_attribute("data-kind", "revoked")
    expect(page.locator("#enrol-title")).to_have_text("Cet écran n’est plus enregistré")
    page.reload()
    expect(page.locator("#enrol")).to_have_attribute("data-kind", "not-enrolled")
    # The server's 401 to the revoked token is what this test is about; Chromium logs it.
    expected = "status of 401 (Unauthorized) ({}/screens/paris-opera/products/".format(
        page.problems.origin)
    page.problems.console_errors[:] = [
        e for e in page.problems.console_errors if expected not in e]


def test_a_screen_never_enrolled_says_so(page, shop):
    page.goto("/screens/paris-opera/")
    expect(page.locator("#enrol")).to_have_attribute("data-kind", "not-enrolled")


def test_out_of_reach_of_the_server_the_last_products_still_show(page, shop):
    enrol(page, shop["paris"])
    scan(page, "WD-25-0193")
    expect(page.locator("#product .name")).to_have_text("Robe en lin")
    page.get_by_role("button", name="Nouveau scan").click()
    page.context.set_offline(True)
    scan(page, "WD-25-0193")
    expect(page.locator("#banner")).to_have_text(re.compile("Hors ligne"))
    expect(page.locator("#product .name")).to_have_text("Robe en lin")
    page.get_by_role("button", name="Nouveau scan").click()
    scan(page, "WD-25-0000")
    expect(page.locator("#message")).to_have_attribute("data-kind", "offline")
    page.context.set_offline(False)
    # The failed requests are the point of this test; anything else would still fail it.
    page.problems.console_errors[:] = [
        e for e in page.problems.console_errors if "ERR_INTERNET_DISCONNECTED" not in e]


def test_on_a_tablet_on_its_side_photos_and_details_sit_side_by_side(page, shop):
    enrol(page, shop["paris"], viewport={"width": 1280, "height": 800})
    scan(page, "WD-25-0193")
    expect(page.locator("#product")).to_have_attribute("data-painted", "WD-25-0193")
    gallery = page.locator("#product .gallery").bounding_box()
    info = page.locator("#product .info").bounding_box()
    assert gallery["x"] + gallery["width"] <= info["x"] + 1
