"""The admin's pages in Chromium: they work with no request off the server, under the CSP."""
import re

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def test_product_page_language_tabs_work_from_our_own_server(admin_page):
    product = factories.ProductFactory(name_en="Linen shirt", name_fr="Chemise en lin")
    admin_page.goto(f"/admin/catalog/product/{product.pk}/change/")
    tabs = admin_page.locator(".ui-tabs-nav").first
    expect(tabs).to_be_visible()
    french = tabs.get_by_role("link", name=re.compile(r"^fr$", re.IGNORECASE))
    expect(french).to_be_visible()
    name_fr = admin_page.locator("#id_name_fr")
    expect(name_fr).to_be_hidden()
    french.click()
    expect(name_fr).to_be_visible()
    expect(name_fr).to_have_value("Chemise en lin")


@pytest.mark.parametrize("path", ["/admin/", "/admin/catalog/product/", "/admin/media/asset/",
                                  "/admin/catalog/channel/add/", "/api/v1/docs/"])
def test_pages_load_without_console_errors_or_foreign_requests(admin_page, path):
    factories.ProductFactory()
    response = admin_page.goto(path)
    assert response.status == 200
    admin_page.wait_for_load_state("networkidle")
    assert admin_page.title()
