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
from tests.media import builders

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
    # The tiles after the first are built from data: each shows its own thumbnail.
    sources = tiles.locator(".pg-thumb img").evaluate_all("images => images.map(i => i.src)")
    assert len(set(sources)) == 3
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


def test_a_photo_moved_with_the_keyboard_is_stored_in_its_new_place(admin_page, dress):
    page = admin_page
    first, second, third = photo_ids(dress)
    tiles = open_photos(page, dress)
    expect(tiles.nth(0).get_by_role("button", name="Move photo 1 earlier")).to_be_disabled()
    later = tiles.nth(0).get_by_role("button", name="Move photo 1 later")
    later.focus()
    page.keyboard.press("Enter")
    # The button moved with its photo and kept the focus: Enter again moves it on.
    expect(page.get_by_role("button", name="Move photo 2 later")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f"{GRID} .pg-status")).to_have_text("Photo moved to position 3 of 3.")
    expect(tiles.nth(2).get_by_role("button", name="Move photo 3 later")).to_be_disabled()
    save(page)
    assert photo_ids(dress) == [second, third, first]


def test_a_thumbnail_opens_its_editor_with_english_and_the_chosen_locale(admin_page, dress):
    page = admin_page
    first, second, third = photo_ids(dress)
    tiles = open_photos(page, dress)
    page.select_option("#page-locale", "pl")
    tiles.nth(1).locator("summary").click()
    editor = tiles.nth(1).locator(".pg-editor")
    expect(editor).to_be_visible()
    expect(tiles.nth(0).locator(".pg-editor")).to_be_hidden()
    expect(editor.locator("[name$='-alt_text_en']")).to_be_visible()
    expect(editor.locator("[name$='-alt_text_pl']")).to_be_visible()
    expect(editor.locator("[name$='-alt_text_fr']")).to_be_hidden()
    role = editor.get_by_label("Role")
    expect(role.locator("option")).to_have_count(1)  # the page carries the roles once
    role.click()  # opening it fills them in
    role.select_option("back")
    editor.locator("[name$='-alt_text_en']").fill("Red dress, back")
    editor.locator("[name$='-alt_text_pl']").fill("Czerwona sukienka, tył")
    assert no_horizontal_scroll(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "photo_grid_editor.png")
    tiles.nth(0).locator("summary").click()
    tiles.nth(0).get_by_label("Delete this photo").check()
    save(page)

    assert photo_ids(dress) == [second, third]
    photo = colour_photos(dress.colours.get()).first()
    assert (photo.position, photo.role, photo.alt_text_en, photo.alt_text_pl) == (
        1, "back", "Red dress, back", "Czerwona sukienka, tył")


def test_a_photo_is_added_by_upload_after_the_others(admin_page, dress):
    page = admin_page
    existing = photo_ids(dress)
    open_photos(page, dress)
    page.locator(GRID).get_by_role("link", name="Add a photo").click()
    new = page.locator(f"{GRID} .pg-tile:not([draggable]):not(.djn-empty-form)")
    expect(new).to_have_count(1)
    new.get_by_label("Upload").set_input_files(
        files=[{"name": "seam.jpg", "mimeType": "image/jpeg", "buffer": builders.jpeg()}])
    new.get_by_label("Role").click()
    new.get_by_label("Role").select_option("detail")
    new.locator("[name$='-alt_text_en']").fill("Seam detail")
    save(page)

    ids = photo_ids(dress)
    assert ids[:3] == existing and len(ids) == 4
    added = colour_photos(dress.colours.get()).last()
    assert (added.position, added.role, added.alt_text_en) == (4, "detail", "Seam detail")
    expect(page.locator(f"{GRID} .pg-tile[draggable=true]")).to_have_count(4)


def test_a_new_colour_takes_a_photo_and_a_variant_from_the_pages_one_new_row_forms(
        admin_page, dress):
    """The page carries one new-photo form (a <template>) for every grid, the new colour's
    included: a colour added on the page gets its photo and its variant saved under it."""
    page = admin_page
    open_photos(page, dress)
    size = dress.size_chart_rows.first().size_label
    page.get_by_role("link", name="Add another Colour").click()
    colour = page.locator("#colours-1")
    colour.locator("[name='colours-1-code']").fill("GRN")
    colour.locator("[name='colours-1-name_en']").fill("Green")
    colour.get_by_role("link", name="Add a photo").click()
    new = colour.locator(".pg-tile:not(.djn-empty-form)")
    expect(new).to_have_count(1)
    new.get_by_label("Upload").set_input_files(
        files=[{"name": "green.jpg", "mimeType": "image/jpeg", "buffer": builders.jpeg()}])
    new.get_by_label("Role").click()
    new.get_by_label("Role").select_option("back")
    new.locator("#id_colours-1-photos-0-alt_text_en").fill("Green back")
    colour.get_by_role("link", name=re.compile("Add another Variant")).click()
    colour.locator("#id_colours-1-variants-0-size_label").fill(size)
    colour.locator("#id_colours-1-variants-0-sku").fill("GRN-NEW-1")
    colour.locator("#id_colours-1-variants-0-gtin").fill("4006381333931")
    save(page)

    green = dress.colours.get(code="GRN")
    photo = colour_photos(green).get()
    assert (photo.role, photo.alt_text_en) == ("back", "Green back")
    assert list(green.variants.values_list("size_label", "sku")) == [(size, "GRN-NEW-1")]
    assert colour_photos(dress.colours.exclude(code="GRN").get()).count() == 3
