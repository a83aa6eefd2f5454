"""The admin's pages in Chromium: they work with no request off the server, under the CSP."""
import re

import pytest
from playwright.sync_api import expect

from catalog.services.completeness import completeness_recompute
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_category_page_language_tabs_work_from_our_own_server(admin_page):
    category = factories.CategoryFactory(name_en="Shirts", name_fr="Chemises")
    admin_page.goto(f"/admin/catalog/category/{category.pk}/change/")
    tabs = admin_page.locator(".ui-tabs-nav").first
    expect(tabs).to_be_visible()
    french = tabs.get_by_role("link", name=re.compile(r"^fr$", re.IGNORECASE))
    expect(french).to_be_visible()
    name_fr = admin_page.locator("#id_name_fr")
    expect(name_fr).to_be_hidden()
    french.click()
    expect(name_fr).to_be_visible()
    expect(name_fr).to_have_value("Chemises")


@pytest.mark.parametrize("path", ["/admin/", "/admin/catalog/product/", "/admin/media/asset/",
                                  "/admin/catalog/channel/add/", "/admin/admin_interface/theme/add/",
                                  "/api/v1/docs/"])
def test_pages_load_without_console_errors_or_foreign_requests(admin_page, path):
    factories.ProductFactory()
    response = admin_page.goto(path)
    assert response.status == 200
    admin_page.wait_for_load_state("networkidle")
    assert admin_page.title()


def test_the_admin_wears_the_theme_and_the_product_grid_fits_the_window(admin_page):
    """At 1440x900 with the side bar open: the theme's header, our logo loaded, and the grid
    within the window (the theme hides a page's horizontal overflow rather than scroll it)."""
    for code in ("webshop", "marketplace", "store-screens"):
        factories.ChannelFactory(code=code, name=code.title())
    factories.ProductFactory(name="Recycled polyester crossbody bag with a long strap",
                             category__name="Crossbody bags and belt bags")
    completeness_recompute()
    admin_page.goto("/admin/catalog/product/")
    admin_page.wait_for_load_state("networkidle")
    header = admin_page.locator("#header")
    expect(header).to_have_css("background-color", "rgb(33, 26, 51)")
    assert admin_page.locator("#site-name img.logo").evaluate("img => img.naturalWidth") > 0
    expect(admin_page.locator("#nav-sidebar")).to_be_visible()
    right = admin_page.locator("#result_list").evaluate(
        "table => table.getBoundingClientRect().right")
    assert right <= admin_page.evaluate("document.documentElement.clientWidth")


def test_a_channels_markets_are_picked_from_a_searchable_list(admin_page):
    channel = factories.ChannelFactory(code="webshop", markets=["FR"])
    admin_page.goto(f"/admin/catalog/channel/{channel.pk}/change/")
    admin_page.locator("#id_markets_input").press_sequentially("pola")
    available = admin_page.locator("#id_markets_from option")
    expect(available).to_have_count(1)
    expect(available).to_have_text("Poland")
    available.first.dblclick()
    expect(admin_page.locator("#id_markets_to option")).to_have_text(["France", "Poland"])
    admin_page.get_by_role("button", name="Save", exact=True).click()
    expect(admin_page.locator(".messagelist")).to_contain_text("changed successfully")
    channel.refresh_from_db()
    assert sorted(channel.markets) == ["FR", "PL"]
