"""The product page in Chromium: tabs, the locale switcher, jumps to a field, errors, two editors.

Every test also fails on a console error or a request off the server (conftest's ``page``).
"""
import re

import pytest
from playwright.sync_api import expect

from catalog.models import Channel, Product
from catalog.services.completeness import completeness_recompute
from tests import factories
from tests.completeness.conftest import build_complete_product

pytestmark = pytest.mark.django_db(transaction=True)

TABS = ["Identity", "Composition", "Fit and size", "Care", "Editorial", "Logistics",
        "Colours and photos", "Video and social", "Ratings", "History"]


def change_path(product):
    return f"/admin/catalog/product/{product.pk}/change/"


@pytest.fixture
def dress(db):
    factories.ChannelFactory(code="webshop", name="Web shop", min_photos=2,
                             locales=["en", "fr", "pl"], markets=[])
    product = build_complete_product(photos=1, fit_description_fr="")
    completeness_recompute(product_ids=[product.pk])
    return product


def tab(page, label):
    return page.get_by_role("tab", name=re.compile(rf"^{re.escape(label)}"))


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def save_and_continue(page):
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("domcontentloaded")


def test_editing_across_tabs_and_locales_then_saving(admin_page, dress):
    page = admin_page
    page.goto(change_path(dress))
    expect(page.get_by_role("tab")).to_have_text(TABS)
    expect(page.locator("#id_style_code")).to_be_visible()
    expect(page.locator("#id_fit_type")).to_be_hidden()

    tab(page, "Fit and size").click()
    expect(page.locator("#id_fit_type")).to_be_visible()
    expect(page.locator("#id_style_code")).to_be_hidden()
    # English and one locale side by side; the others hidden.
    page.select_option("#page-locale", "pl")
    expect(page.locator("#id_fit_description_en")).to_be_visible()
    expect(page.locator("#id_fit_description_pl")).to_be_visible()
    expect(page.locator("#id_fit_description_fr")).to_be_hidden()
    english = page.locator("#id_fit_description_en").bounding_box()
    polish = page.locator("#id_fit_description_pl").bounding_box()
    assert polish["x"] > english["x"] + english["width"] - 1 and abs(polish["y"] - english["y"]) < 40
    page.fill("#id_fit_description_en", "Relaxed through the body.")
    page.fill("#id_fit_description_pl", "Luźny krój.")

    tab(page, "Identity").click()
    page.fill("#id_name_pl", "Lniana sukienka")
    page.select_option("#page-locale", "fr")
    page.fill("#id_name_fr", "Robe en lin")
    # The save bar is in view wherever the page is scrolled.
    expect(page.locator("input[name=_continue]")).to_be_in_viewport()
    save_and_continue(page)

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    dress.refresh_from_db()
    assert (dress.fit_description_en, dress.fit_description_pl) == (
        "Relaxed through the body.", "Luźny krój.")
    assert (dress.name_pl, dress.name_fr) == ("Lniana sukienka", "Robe en lin")
    # The chosen locale is kept after the save.
    expect(page.locator("#page-locale")).to_have_value("fr")


def test_a_missing_field_opens_its_tab_and_locale_and_is_focused(admin_page, dress):
    page = admin_page
    page.goto(change_path(dress))
    page.select_option("#page-locale", "pl")
    panel = page.locator("#completeness-panel")
    missing = panel.get_by_role("link", name="French fit description: not translated.")
    expect(missing).to_be_hidden()
    panel.locator("[data-cp-cell='webshop:fr']").click()
    expect(missing).to_be_visible()
    missing.click()
    expect(page.locator("#tab-fit")).to_be_visible()
    expect(page.locator("#page-locale")).to_have_value("fr")
    expect(page.locator("#id_fit_description_fr")).to_be_focused()

    # "Show only what's missing" lists every channel's gaps and hides what is complete.
    panel.get_by_label("Show only what's missing").check()
    expect(panel.get_by_role("link", name=re.compile("photos"))).not_to_have_count(0)
    expect(panel.locator(".completeness-badge.complete")).to_have_count(0)
    panel.get_by_role("link", name=re.compile("photos")).first.click()
    expect(page.locator("#tab-colours")).to_be_visible()
    assert no_horizontal_scroll(page)


def test_a_save_error_is_listed_at_the_top_and_links_to_its_field(admin_page, dress):
    page = admin_page
    page.goto(change_path(dress))
    tab(page, "Colours and photos").click()
    gtin = page.locator("#id_colours-0-variants-0-gtin")
    gtin.fill("4006381333932")  # wrong check digit
    save_and_continue(page)

    summary = page.locator("#page-errors")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("GTIN")
    # The page opens on the tab with the error, and the tab says how many.
    expect(tab(page, "Colours and photos")).to_contain_text("1")
    tab(page, "Identity").click()
    expect(gtin).to_be_hidden()
    summary.get_by_role("link").first.click()
    expect(gtin).to_be_visible()
    expect(gtin).to_be_focused()
    assert Product.objects.get(pk=dress.pk).version == dress.version


def test_a_stale_save_from_a_second_editor_is_refused(admin_page, dress):
    first = admin_page
    second = admin_page.context.new_page()
    second.on("console", first.problems.console)
    second.on("request", first.problems.request)
    first.goto(change_path(dress))
    second.goto(change_path(dress))

    first.fill("#id_name_en", "Linen dress, first editor")
    save_and_continue(first)
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")

    second.fill("#id_name_en", "Linen dress, second editor")
    save_and_continue(second)
    expect(second.locator(".errornote").first).to_be_visible()
    expect(second.locator("#product_form")).to_contain_text("after you opened it")
    second.close()
    dress.refresh_from_db()
    assert dress.name_en == "Linen dress, first editor"


@pytest.mark.parametrize("width", [1440, 1280])
def test_no_tab_is_wider_than_the_window(admin_page, dress, width):
    page = admin_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(change_path(dress))
    page.select_option("#page-locale", "all")
    for label in TABS:
        tab(page, label).click()
        assert no_horizontal_scroll(page), label
    assert Channel.objects.exists()


def test_a_shipping_rows_country_list_is_filled_in_when_opened(admin_page, dress):
    factories.ShippingRateFactory(product=dress, brand=None, country="FR")
    page = admin_page
    page.goto(change_path(dress))
    tab(page, "Logistics").click()
    country = page.locator("#id_shipping_rates-0-country")
    expect(country.locator("option")).to_have_count(1)  # the page carries the list once
    country.click()  # opening it fills in every country
    country.select_option("PL")
    expect(country).to_have_value("PL")
    save_and_continue(page)
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert list(dress.shipping_rates.values_list("country", flat=True)) == ["PL"]


def test_rows_built_from_data_are_edited_deleted_and_saved(admin_page, dress):
    """A tabular inline's stored rows after its first come as data, built in the browser:
    they are edited, deleted and saved like the first, and a new row is added after them."""
    dress = build_complete_product(photos=1, sizes=("S", "M", "L"))
    chart = list(dress.size_chart_rows.order_by("position"))
    assert len(chart) >= 2
    page = admin_page
    page.goto(change_path(dress))
    tab(page, "Fit and size").click()
    rows = page.locator("#size_chart_rows-group tbody.djn-item")
    expect(rows).to_have_count(len(chart))
    last = len(chart) - 1
    expect(page.locator(f"#id_size_chart_rows-{last}-size_label")).to_have_value(
        chart[last].size_label)
    page.fill(f"#id_size_chart_rows-{last}-chest_cm", "101")
    page.get_by_role("link", name="Add another Size Chart Row").click()
    page.fill(f"#id_size_chart_rows-{len(chart)}-size_label", "XXL")
    page.fill(f"#id_size_chart_rows-{len(chart)}-eu", "46")
    tab(page, "Colours and photos").click()
    variants = list(dress.colours.get().variants.order_by("pk"))
    page.locator(f"#id_colours-0-variants-{len(variants) - 1}-DELETE").check()
    save_and_continue(page)
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    assert list(dress.size_chart_rows.order_by("position").values_list(
        "size_label", flat=True)) == [row.size_label for row in chart] + ["XXL"]
    assert dress.size_chart_rows.get(pk=chart[last].pk).chest_cm == 101
    assert list(dress.colours.get().variants.order_by("pk")) == variants[:-1]
