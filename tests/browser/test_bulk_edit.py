"""Mass edit of a selection in Chromium: the list's action, the confirmation, the job page."""
import pytest
from playwright.sync_api import expect

from catalog.models import Product
from tests import factories
from tests.browser.conftest import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)


def test_mass_edit_a_selection_then_follow_its_job(admin_page):
    season = factories.SeasonFactory(code="AW26", name="Autumn-winter 2026")
    products = [factories.ProductFactory() for _ in range(3)]
    chosen = sorted(products[:2], key=lambda p: p.pk)
    admin_page.goto("/admin/catalog/product/")
    for product in chosen:
        admin_page.locator(f"input.action-select[value='{product.pk}']").check()
    admin_page.select_option("select[name=action]", "mass_edit")
    admin_page.locator("button[name=index]").click()

    expect(admin_page.locator("#bulk-count")).to_contain_text("2 products")
    admin_page.select_option("#id_season", str(season.pk))
    admin_page.fill("#id_care", "washing: nonsense")
    admin_page.locator("#bulk-form input[type=submit]").click()
    expect(admin_page.locator(".errorlist")).to_contain_text("Unknown washing care code")
    assert not Product.objects.filter(season=season).exists()

    admin_page.fill("#id_care", "washing: wash_30")
    SCREENSHOTS.mkdir(exist_ok=True)
    admin_page.screenshot(path=SCREENSHOTS / "bulk-edit-confirm.png", full_page=True)
    admin_page.locator("#bulk-form input[type=submit]").click()

    admin_page.wait_for_url("**/admin/catalog/product/bulk/*/")
    expect(admin_page.locator("#bulk-summary")).to_have_text("2 done, 0 refused.")
    rows = admin_page.locator("#bulk-results tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first.locator("a")).to_have_attribute(
        "href", f"/admin/catalog/product/{chosen[0].pk}/change/")
    assert set(Product.objects.filter(season=season, care_washing="wash_30")
               .values_list("pk", flat=True)) == {p.pk for p in chosen}

    # The job can be found again from the admin's Jobs list.
    admin_page.goto("/admin/catalog/job/")
    admin_page.get_by_role("link", name="Mass edit: 2 products").click()
    expect(admin_page.locator("#bulk-summary")).to_have_text("2 done, 0 refused.")
