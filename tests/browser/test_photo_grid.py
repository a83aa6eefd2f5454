"""A colour's photos on the product page in Chromium: a grid of thumbnails, dragged or moved
with the keyboard to reorder, each opening a compact editor.

Every test also fails on a console error or a request off the server (conftest's ``page``).
"""
import re

import pytest
from playwright.sync_api import expect

from catalog.history import product_history
from catalog.selectors import colour_photos
from tests import factories
from tests.browser.conftest import SCREENSHOTS
from tests.completeness.conftest import build_complete_product

pytestmark = pytest.mark.django_db(transaction=True)

GRID = "#colours-0-photos-group"


@pytest.fixture
def dress(db):
    factories.ChannelFactory(code="webshop", name="Web shop", min_photos=2,
                             locales=["en", "fr", "pl"], markets=[])
    return build_complete_product(photos=3)


def open_photos(page, product):
    page.goto(f"/admin/catalog/product/{product.pk}/change/")
    page.get_by_role("tab", name=re.compile("^Colours and photos")).click()
    tiles = page.locator(f"{GRID} .pg-tile[draggable=true]")
    expect(tiles).to_have_count(3)
    return tiles


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def save(page):
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state("domcontentloaded")
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")


def photo_ids(product):
    return list(colour_photos(product.colours.get()).values_list("id", flat=True))


def test_a_photo_dragged_to_the_front_is_stored_first_and_in_the_history(admin_page, dress):
    page = admin_page
    first, second, third = photo_ids(dress)
    tiles = open_photos(page, dress)
    # Thumbnails side by side, in their order, each numbered.
    boxes = [tiles.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"] and boxes[0]["y"] == boxes[2]["y"]
    expect(tiles.locator(".pg-number")).to_have_text(["1", "2", "3"])
    expect(page.locator(f"{GRID} .pg-editor").first).to_be_hidden()

    tiles.nth(2).drag_to(tiles.nth(0))
    expect(tiles.locator("input[name$='-id']").nth(0)).to_have_value(str(third))
    expect(tiles.locator(".pg-number")).to_have_text(["1", "2", "3"])
    assert no_horizontal_scroll(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "photo_grid_dragged.png")
    save(page)

    assert photo_ids(dress) == [third, first, second]
    moved = [entry for entry in product_history(dress)
             if entry.object.startswith("Photo") and entry.action == "changed"]
    assert {(c.field, c.old, c.new) for e in moved for c in e.changes} >= {
        ("Position", "3", "1"), ("Position", "1", "2"), ("Position", "2", "3")}
    assert {e.user for e in moved} == {"admin"}
