"""The product grid, the care pictograms and the photo grid in Chromium at 1440x900."""
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from catalog.models import ProductCompleteness
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
LIST = "/admin/catalog/product/"


def assert_no_horizontal_scroll(page):
    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page is {widths[0]} px wide in a {widths[1]} px window"
    table = page.evaluate("""() => { const r = document.querySelector('#changelist .results');
        return r ? [r.scrollWidth, r.clientWidth] : [0, 0]; }""")
    assert table[0] <= table[1], f"the grid is {table[0]} px wide in its {table[1]} px box"


def grid_catalog():
    """Three channels and 20 long-named styles of two brands, with scores and snapshots."""
    channels = [
        factories.ChannelFactory(code="webshop"),
        factories.ChannelFactory(code="marketplace", name="Marketplace", locales=["en", "pl"]),
        factories.ChannelFactory(code="store-screens", name="Store screens",
                                 locales=["en", "fr", "pl", "zh-hans"]),
    ]
    women = factories.CategoryFactory(name="Women")
    dresses = factories.CategoryFactory(parent=women, name="Dresses")
    long_dresses = factories.CategoryFactory(parent=dresses, name="Long dresses")
    brands = [factories.BrandFactory(code="atelier", name="Atelier Nord"),
              factories.BrandFactory(code="maison", name="Maison Demo")]
    now = timezone.now()
    for n in range(20):
        product = factories.ProductFactory(
            style_code=f"WD-25-{n:04d}", brand=brands[n % 2], category=long_dresses,
            name=f"Long washed-linen wrap dress with a tie belt and puff sleeves {n}")
        for c, channel in enumerate(channels):
            for l, locale in enumerate(channel.locales):
                score = max(0, 100 - ((n + c + l) % 5) * 20)
                ProductCompleteness.objects.update_or_create(
                    product=product, channel=channel, locale=locale, defaults=dict(
                        score=score, passed=score, total=100, complete=score == 100,
                        updated_at=now))
                if n % 3 == 0:
                    factories.ProductSnapshotFactory(channel=channel, product=product,
                                                     style_code=product.style_code,
                                                     locale=locale, version=3)
    return brands


def test_the_grid_fits_filters_and_sorts(admin_page):
    brands = grid_catalog()
    admin_page.goto(LIST)
    expect(admin_page.locator("#result_list tbody tr")).to_have_count(20)
    expect(admin_page.locator("#result_list thead")).to_contain_text("Store-screens")
    first = admin_page.locator("#result_list tbody tr").first
    expect(first).to_contain_text("EN")
    expect(first).to_contain_text("v3 ·")
    assert_no_horizontal_scroll(admin_page)
    admin_page.screenshot(path=".test-screenshots/product-grid.png")

    # Brand: a drop-down of checkboxes; both brands chosen, then only one.
    brand = admin_page.locator('details[data-filter="brand"]')
    brand.locator("summary").click()
    expect(brand.get_by_label("Atelier Nord")).to_be_visible()
    assert_no_horizontal_scroll(admin_page)
    admin_page.screenshot(path=".test-screenshots/product-grid-filter.png")
    brand.get_by_label("Atelier Nord").check()
    brand.get_by_label("Maison Demo").check()
    brand.get_by_role("button", name="Apply").click()
    expect(admin_page.locator("#result_list tbody tr")).to_have_count(20)
    assert f"brand={brands[0].pk}&brand={brands[1].pk}" in admin_page.url
    admin_page.locator('details[data-filter="brand"] summary').click()
    admin_page.locator('details[data-filter="brand"]').get_by_label("Maison Demo").uncheck()
    admin_page.locator('details[data-filter="brand"]').get_by_role("button", name="Apply").click()
    expect(admin_page.locator("#result_list tbody tr")).to_have_count(10)

    # Completeness: one drop-down, applied as it is chosen; the brand stays.
    admin_page.locator('select[name="completeness"]').select_option(
        label="Complete for Web shop in French")
    admin_page.wait_for_url("**completeness=webshop%3Afr%3Acomplete**")
    assert f"brand={brands[0].pk}" in admin_page.url
    rows = admin_page.locator("#result_list tbody tr")
    expect(rows.first).to_be_visible()
    for i in range(rows.count()):
        expect(rows.nth(i)).to_contain_text("Atelier Nord")

    # Sorted by the webshop's lowest locale score, worst first, the filters kept.
    admin_page.locator("#result_list thead th", has_text="Webshop").locator("a").first.click()
    admin_page.wait_for_url("**o=**")
    assert f"brand={brands[0].pk}" in admin_page.url
    lowest = [min(int(s.split()[1]) for s in cell.locator(".grid-score").all_inner_texts())
              for cell in admin_page.locator('td[class*="field-channel_webshop"]').all()]
    assert lowest == sorted(lowest) and lowest
    assert_no_horizontal_scroll(admin_page)


def test_a_care_pictogram_clicked_or_chosen_by_keyboard_is_saved(admin_page):
    product = factories.ProductFactory()
    admin_page.goto(f"/admin/catalog/product/{product.pk}/change/")
    admin_page.get_by_role("tab", name=re.compile("^Care")).click()
    washing = admin_page.locator("#id_care_washing")
    washing.get_by_role("radio", name="Wash at 30 °C", exact=True).check()
    expect(washing.locator("label:has(input:checked) img")).to_have_attribute(
        "alt", "Wash at 30 °C")
    admin_page.screenshot(path=".test-screenshots/care-pictograms.png")
    # By keyboard: the ironing group's first pictogram, then the next with an arrow key.
    ironing = admin_page.locator("#id_care_ironing")
    ironing.get_by_role("radio", name="Iron at max 200 °C").focus()
    admin_page.keyboard.press("Space")
    admin_page.keyboard.press("ArrowRight")
    expect(ironing.get_by_role("radio", name="Iron at max 150 °C")).to_be_checked()
    admin_page.get_by_role("button", name="Save", exact=True).click()
    expect(admin_page.locator(".messagelist")).to_contain_text("changed successfully")
    product.refresh_from_db()
    assert (product.care_washing, product.care_ironing) == ("wash_30", "iron_150")
