"""Media on the merchandiser's product page and list, as a browser posts them."""
import re

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.history import product_history
from catalog.models import MAX_PHOTOS_PER_COLOUR, ProductPhoto, ProductVideo, SocialImage
from catalog.selectors import colour_photos
from catalog.services.photos import photo_add, photo_reorder, photo_update
from catalog.services.roles import CONTENT_MANAGER, roles_setup
from media import conf as media_settings
from media.models import Asset
from media.services import renditions_generate
from tests import factories
from tests.forms import add_inline_row, errors_of, form_data
from tests.media import builders

pytestmark = pytest.mark.django_db

PHOTOS = "colours-0-photos"


def change_url(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


def jpeg(i: int) -> bytes:
    return builders.jpeg(colour=(20 + 23 * i, 60, 90))


@pytest.fixture
def colour(db):
    product = factories.ProductFactory(style_code="WD-24-0193", name="Long linen dress")
    return factories.ColourFactory(product=product, code="RED", name="Red")


def add_photos(colour, count: int, start: int = 0) -> list[ProductPhoto]:
    photos = [photo_add(colour=colour, file=SimpleUploadedFile(f"p{i}.jpg", jpeg(i)))
              for i in range(start, start + count)]
    for photo in photos:
        renditions_generate(asset=photo.asset, specs=[media_settings.get("MEDIA_THUMBNAIL_SPEC")])
    return photos


def load(client, product) -> dict:
    response = client.get(change_url(product))
    assert response.status_code == 200
    return form_data(response)


def test_product_list_shows_each_cover_thumbnail_in_a_fixed_number_of_queries(admin_client,
                                                                             colour):
    add_photos(colour, 2)
    url = reverse("admin:catalog_product_changelist")
    with CaptureQueriesContext(connection) as few:
        assert admin_client.get(url).status_code == 200
    for i in range(4):
        other = factories.ColourFactory(product=factories.ProductFactory(), code="BLK")
        add_photos(other, 1, start=10 + i)
    factories.ProductFactory()  # no photo yet
    with CaptureQueriesContext(connection) as many:
        response = admin_client.get(url)
    page = response.content.decode()
    assert len(many) == len(few)
    assert page.count('.webp" alt=""') == 5
    assert "no photo" in page
    # The cover is the first photo of the first colour.
    first = colour_photos(colour).first().asset.renditions.get()
    assert first.url in page


def test_product_page_shows_photos_in_order_with_roles_and_alt_text(admin_client, colour):
    photos = add_photos(colour, 3)
    admin_client.get(change_url(colour.product))  # warm: the first page view fills caches
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(change_url(colour.product))
    page = response.content.decode()
    for photo in photos:
        assert photo.asset.renditions.get().url in page
    assert 'name="colours-0-photos-0-role"' in page
    # The editor's rows, an alt text in each locale, come once for the page.
    assert page.count("<template data-pg-editor=") == 1 and "-__prefix__-alt_text_fr" in page
    assert f"at most {MAX_PHOTOS_PER_COLOUR}" in page
    add_photos(colour, 4, start=3)
    with CaptureQueriesContext(connection) as more:
        admin_client.get(change_url(colour.product))
    assert len(more) == len(queries)  # thumbnails are prefetched, not read photo by photo


def test_reorder_roles_and_alt_text_from_the_product_page(admin_client, colour):
    first, second, third = add_photos(colour, 3)
    data = load(admin_client, colour.product)
    ids = [data[f"{PHOTOS}-{i}-id"] for i in range(3)]
    assert ids == [str(first.pk), str(second.pk), str(third.pk)]
    # Dragging the third photo to the top renumbers the positions.
    for index, position in ((0, "1"), (1, "2"), (2, "0")):
        data[f"{PHOTOS}-{index}-position"] = position
    data[f"{PHOTOS}-2-role"] = "on_model"
    data[f"{PHOTOS}-2-alt_text_en"] = "Red dress, worn"
    data[f"{PHOTOS}-2-alt_text_fr"] = "Robe rouge, portée"
    response = admin_client.post(change_url(colour.product), data)
    assert response.status_code == 302, errors_of(response)
    ordered = list(colour_photos(colour))
    assert [p.pk for p in ordered] == [third.pk, first.pk, second.pk]
    assert (ordered[0].role, ordered[0].alt_text_en, ordered[0].alt_text_fr) == (
        "on_model", "Red dress, worn", "Robe rouge, portée")


def test_photos_are_shown_as_thumbnails_in_their_order_with_one_editor_each(admin_client,
                                                                            colour):
    first, second, third = add_photos(colour, 3)
    photo_reorder(colour=colour, photo_ids=[third.pk, first.pk, second.pk])
    response = admin_client.get(change_url(colour.product))
    page = response.content.decode()
    # The first tile in markup, the others as data the page's script makes tiles of.
    shown = [value for name, value in form_data(response).items()
             if re.fullmatch(rf"{PHOTOS}-\d+-id", name)]
    assert shown == [str(third.pk), str(first.pk), str(second.pk)]
    assert page.count(f'<script data-pg-tiles="{PHOTOS}-0"') == 1
    # Each photo's editor is closed until its thumbnail is clicked; a new photo's is open.
    assert page.count('<details class="pg-photo">') == 1
    assert page.count("data-pg-closed") == 1  # built by the script when first opened
    # The position is the grid's to set; only a new photo takes an upload.
    assert f'type="hidden" name="{PHOTOS}-0-position"' in page
    assert f'name="{PHOTOS}-0-upload"' not in page
    # The page's one new-photo form (the new colour's grid's), copied into each grid.
    assert 'name="colours-empty-photos-__prefix__-upload"' in page


def test_photos_dragged_into_a_new_order_are_stored_with_their_history(admin_client, colour):
    first, second, third = add_photos(colour, 3)
    data = load(admin_client, colour.product)
    # The grid posts the positions in the order its tiles are in (here: third, first, second).
    for index, position in ((0, "1"), (1, "2"), (2, "0")):
        data[f"{PHOTOS}-{index}-position"] = position
    response = admin_client.post(change_url(colour.product), data)
    assert response.status_code == 302, errors_of(response)
    assert [p.pk for p in colour_photos(colour)] == [third.pk, first.pk, second.pk]
    moves = {(e.object, c.field, c.old, c.new, e.user)
             for e in product_history(colour.product) if e.action == "changed" for c in e.changes}
    assert moves == {("Photo 1 of Red (RED)", "Position", "3", "1", "admin"),
                     ("Photo 2 of Red (RED)", "Position", "1", "2", "admin"),
                     ("Photo 3 of Red (RED)", "Position", "2", "3", "admin")}
    # A photo that only moved is not rewritten: created, then moved.
    assert first.history.count() == 2


def test_the_page_saved_as_it_is_leaves_the_photos_and_their_history_alone(admin_client,
                                                                          colour):
    add_photos(colour, 3)
    before = [(p.pk, p.position) for p in colour_photos(colour)]
    data = load(admin_client, colour.product)
    # nested_admin numbers the posted positions from 0; the photos keep theirs from 1.
    for index in range(3):
        data[f"{PHOTOS}-{index}-position"] = str(index)
    response = admin_client.post(change_url(colour.product), data)
    assert response.status_code == 302, errors_of(response)
    assert [(p.pk, p.position) for p in colour_photos(colour)] == before
    assert not [e for e in product_history(colour.product) if e.object.startswith("Photo")
                and e.action == "changed"]


def test_a_content_manager_sees_the_photos_and_their_alt_text_without_editors(client, colour):
    roles_setup()
    manager = factories.UserFactory(username="manager", is_staff=True)
    manager.groups.add(Group.objects.get(name=CONTENT_MANAGER))
    photo, _ = add_photos(colour, 2)
    photo_update(photo=photo, role="back", alt_text={"en": "Red dress, back"})
    client.force_login(manager)
    page = client.get(change_url(colour.product)).content.decode()
    assert photo.asset.renditions.get().url in page
    assert "<dt>Alt text [en]</dt><dd>Red dress, back</dd>" in page
    assert "<dt>Role</dt><dd>Back</dd>" in page
    assert 'draggable="true"' not in page and "data-pg-move" not in page
    assert f'name="{PHOTOS}-0-alt_text_en"' not in page


def test_a_photo_with_an_error_shows_its_editor_open_and_is_listed_at_the_top(admin_client,
                                                                               colour):
    add_photos(colour, 2)
    data = load(admin_client, colour.product)
    data[f"{PHOTOS}-1-alt_text_fr"] = "x" * 251
    response = admin_client.post(change_url(colour.product), data)
    assert response.status_code == 200
    page = response.content.decode()
    # The photo, and the page's one new-photo form.
    assert page.count('<details class="pg-photo" open>') == 2
    tile = page[page.index(f'id="{PHOTOS}-1"'):]
    assert tile.index('<details class="pg-photo" open>') < tile.index(f'name="{PHOTOS}-1-alt_text_fr"')
    assert {(e.tab, e.target) for e in response.context["page_errors"]} == {
        ("colours", f"id_{PHOTOS}-1-alt_text_fr")}


def test_upload_a_photo_on_the_product_page(admin_client, colour, on_commit):
    data = load(admin_client, colour.product)
    add_inline_row(data, PHOTOS, role="detail", alt_text_en="Seam detail", position="0")
    data[f"{PHOTOS}-0-upload"] = SimpleUploadedFile("seam.jpg", jpeg(1))
    with on_commit():
        response = admin_client.post(change_url(colour.product), data)
    assert response.status_code == 302, errors_of(response)
    photo = colour_photos(colour).get()
    assert (photo.role, photo.alt_text_en, photo.asset.format) == ("detail", "Seam detail", "jpeg")
    assert photo.asset.renditions.exists()  # the thumbnail was queued and made
    assert photo.position == 1
    assert photo.asset.uploaded_by.username == "admin"


def test_eleventh_photo_on_the_product_page_is_refused_and_nothing_is_stored(
        admin_client, colour, stored_files):
    add_photos(colour, MAX_PHOTOS_PER_COLOUR)
    files_before, assets_before = stored_files(), Asset.objects.count()
    data = load(admin_client, colour.product)
    index = add_inline_row(data, PHOTOS, role="detail", position="11")
    data[f"{PHOTOS}-{index}-upload"] = SimpleUploadedFile("extra.jpg", jpeg(50))
    response = admin_client.post(change_url(colour.product), data)
    assert "at most 10" in errors_of(response)
    assert ProductPhoto.objects.filter(colour=colour).count() == MAX_PHOTOS_PER_COLOUR
    assert Asset.objects.count() == assets_before
    assert stored_files() == files_before


@pytest.mark.parametrize("name, content, message", [
    ("broken.jpg", builders.jpeg()[:400], "truncated"),
    ("logo.jpg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "SVG"),
    ("clip.jpg", None, "contains an MP4 video"),
])
def test_bad_photo_upload_on_the_product_page(admin_client, colour, stored_files, name, content,
                                              message):
    data = load(admin_client, colour.product)
    add_inline_row(data, PHOTOS, role="front", position="0")
    data[f"{PHOTOS}-0-upload"] = SimpleUploadedFile(name, content or builders.video())
    response = admin_client.post(change_url(colour.product), data)
    assert message.lower() in errors_of(response).lower()
    assert not ProductPhoto.objects.exists() and not Asset.objects.exists()
    assert stored_files() == set()


def test_video_with_its_poster_from_the_product_page(admin_client, colour, stored_files):
    product = colour.product
    data = load(admin_client, product)
    add_inline_row(data, "video")
    data["video-0-video_upload"] = SimpleUploadedFile("look.webm", builders.video("webm"))
    response = admin_client.post(change_url(product), data)
    assert "A video needs a poster image." in errors_of(response)
    assert not Asset.objects.exists() and stored_files() == set()

    data["video-0-video_upload"] = SimpleUploadedFile("look.webm", builders.video("webm"))
    data["video-0-poster_upload"] = SimpleUploadedFile("poster.jpg", jpeg(3))
    response = admin_client.post(change_url(product), data)
    assert response.status_code == 302, errors_of(response)
    video = ProductVideo.objects.get(product=product)
    assert (video.video.format, video.poster.format) == ("webm", "jpeg")


def test_a_jpeg_named_mp4_is_not_a_video(admin_client, colour, stored_files):
    data = load(admin_client, colour.product)
    add_inline_row(data, "video")
    data["video-0-video_upload"] = SimpleUploadedFile("look.mp4", jpeg(4))
    data["video-0-poster_upload"] = SimpleUploadedFile("poster.jpg", jpeg(3))
    response = admin_client.post(change_url(colour.product), data)
    errors = errors_of(response)
    assert "look.mp4" in errors or "MP4 or WebM" in errors, errors
    assert not Asset.objects.exists() and stored_files() == set()


def test_social_image_crops_from_the_product_page(admin_client, colour):
    product = colour.product
    data = load(admin_client, product)
    for i, ratio in enumerate(("1x1", "4x5", "9x16")):
        add_inline_row(data, "social_images", ratio=ratio, focal_x="50", focal_y="30",
                       position=str(i), alt_text_en=f"Story {ratio}")
        data[f"social_images-{i}-upload"] = SimpleUploadedFile("campaign.jpg",
                                                               builders.jpeg(size=(600, 900)))
    response = admin_client.post(change_url(product), data)
    assert response.status_code == 302, errors_of(response)
    crops = {s.ratio: s for s in SocialImage.objects.filter(product=product)}
    assert set(crops) == {"1x1", "4x5", "9x16"}
    assert len({s.asset_id for s in crops.values()}) == 1  # one image, three crops
    page = admin_client.get(change_url(product)).content.decode()
    sizes = {r.spec: (r.width, r.height) for r in crops["1x1"].asset.renditions.all()}
    assert sizes["fill-1080x1080|focus-50x30|format-webp"] == (600, 600)
    assert sizes["fill-1080x1350|focus-50x30|format-webp"] == (600, 750)
    assert sizes["fill-1080x1920|focus-50x30|format-webp"] == (506, 900)
    assert page.count("focus-50x30.format-webp.webp") == 3


def test_swap_a_photo_on_a_full_colour_in_one_save(admin_client, colour):
    photos = add_photos(colour, MAX_PHOTOS_PER_COLOUR)
    data = load(admin_client, colour.product)
    data[f"{PHOTOS}-0-DELETE"] = "on"
    index = add_inline_row(data, PHOTOS, role="front", position="0")
    data[f"{PHOTOS}-{index}-upload"] = SimpleUploadedFile("new-front.jpg", jpeg(60))
    response = admin_client.post(change_url(colour.product), data)
    assert response.status_code == 302, errors_of(response)
    remaining = list(colour_photos(colour))
    assert len(remaining) == MAX_PHOTOS_PER_COLOUR
    assert photos[0].pk not in {p.pk for p in remaining}
    assert Asset.objects.filter(pk=photos[0].asset_id).exists()  # kept in the library


def test_asset_page_says_which_products_use_it(admin_client, colour):
    photo = add_photos(colour, 1)[0]
    url = reverse("admin:media_asset_change", args=[photo.asset.pk])
    page = admin_client.get(url).content.decode()
    product = colour.product
    assert f'<a href="{change_url(product)}">{product.style_code} {product.name}</a>' in page
    assert f"{colour.name} photo 1 (" in page
    photo.delete()
    assert b"Not used by any product." in admin_client.get(url).content


def test_saving_the_page_again_leaves_social_images_and_their_history_alone(admin_client, colour):
    product = colour.product
    data = load(admin_client, product)
    for i, ratio in enumerate(("1x1", "4x5")):
        add_inline_row(data, "social_images", ratio=ratio, focal_x="50", focal_y="50",
                       position=str(i), alt_text_en=f"Campaign {ratio}")
        data[f"social_images-{i}-upload"] = SimpleUploadedFile("campaign.jpg",
                                                               builders.jpeg(size=(600, 900)))
    assert admin_client.post(change_url(product), data).status_code == 302
    before = {s.ratio: s.position for s in SocialImage.objects.filter(product=product)}
    product.refresh_from_db()
    entries, version = len(product_history(product)), product.version
    data = load(admin_client, product)
    # the page's sortable script numbers the rows from 0 as it loads
    for i in range(2):
        data[f"social_images-{i}-position"] = str(i)
    response = admin_client.post(change_url(product), data)
    assert response.status_code == 302, errors_of(response)
    assert {s.ratio: s.position for s in SocialImage.objects.filter(product=product)} == before
    assert len(product_history(product)) == entries
    product.refresh_from_db()
    assert product.version == version
    data = load(admin_client, product)  # moved: the 4:5 crop first
    data["social_images-0-position"], data["social_images-1-position"] = "1", "0"
    assert admin_client.post(change_url(product), data).status_code == 302
    assert list(SocialImage.objects.filter(product=product).values_list("ratio", flat=True)) == [
        "4x5", "1x1"]
