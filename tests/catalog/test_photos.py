"""Photos per colour (at most ten, ordered), video with poster, social-media crops."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from catalog.models import ProductPhoto, ProductVideo, SocialImage
from catalog.selectors import colour_photos
from catalog.services.errors import ContentError
from catalog.services.photos import (
    colour_photos_check,
    photo_add,
    photo_remove,
    photo_reorder,
    photo_update,
    social_image_add,
    video_set,
)
from catalog.services.renditions import (
    renditions_ensure_for_product,
    renditions_missing_for_product,
)
from media.models import Asset, Rendition
from tests import factories
from tests.media import builders

pytestmark = pytest.mark.django_db


def _photo(n: int, size=(80, 100)) -> SimpleUploadedFile:
    return SimpleUploadedFile(f"photo{n}.jpg", builders.jpeg(size=size, colour=(n * 20 % 256, 60, 90)))


def _order(colour):
    return [(p.position, p.asset.original_filename) for p in colour_photos(colour)]


def test_photos_are_appended_in_order_with_default_roles(colour):
    for n in range(1, 5):
        photo_add(colour=colour, file=_photo(n))
    assert _order(colour) == [(1, "photo1.jpg"), (2, "photo2.jpg"), (3, "photo3.jpg"),
                              (4, "photo4.jpg")]
    assert [p.role for p in colour_photos(colour)] == ["front", "back", "side", "detail"]


def test_a_photo_can_be_inserted_at_a_position_and_reordered(colour):
    first = photo_add(colour=colour, file=_photo(1))
    second = photo_add(colour=colour, file=_photo(2))
    inserted = photo_add(colour=colour, file=_photo(3), position=1, role="on_model")
    assert _order(colour) == [(1, "photo3.jpg"), (2, "photo1.jpg"), (3, "photo2.jpg")]
    assert inserted.position == 1 and inserted.role == "on_model"

    photo_reorder(colour=colour, photo_ids=[second.pk, inserted.pk, first.pk])
    assert _order(colour) == [(1, "photo2.jpg"), (2, "photo3.jpg"), (3, "photo1.jpg")]
    with pytest.raises(ValidationError, match="each photo of this colour once"):
        photo_reorder(colour=colour, photo_ids=[second.pk, first.pk])

    photo_remove(photo=inserted)
    assert _order(colour) == [(1, "photo2.jpg"), (2, "photo1.jpg")]
    assert Asset.objects.count() == 3  # the asset stays in the library


def test_each_photo_a_reorder_moves_gets_a_history_row_by_its_user(colour):
    user = factories.UserFactory(username="merch")
    first, second, third = (photo_add(colour=colour, file=_photo(n)) for n in range(1, 4))
    photo_reorder(colour=colour, photo_ids=[first.pk, third.pk, second.pk], user=user)
    moved = ProductPhoto.history.filter(history_type="~")
    assert sorted((r.id, r.position, r.history_user.username) for r in moved) == sorted(
        [(third.pk, 2, "merch"), (second.pk, 3, "merch")])
    assert not first.history.filter(history_type="~").exists()  # it did not move


def test_at_most_ten_photos_per_colour(colour, stored_files):
    for n in range(10):
        photo_add(colour=colour, file=_photo(n))
    files = stored_files()
    with pytest.raises(ValidationError, match="at most 10 photos") as refusal:
        photo_add(colour=colour, file=_photo(11))
    assert refusal.value.codes() == {"photos": ["photo_limit"]}
    assert ProductPhoto.objects.filter(colour=colour).count() == 10
    assert Asset.objects.count() == 10
    assert stored_files() == files  # the 11th file was not stored
    # Another colour of the same product has its own ten.
    other = factories.ColourFactory(product=colour.product, code="RED")
    photo_add(colour=other, file=_photo(11))


def test_the_limit_and_each_image_once_are_rules_of_the_set(colour):
    """Counted in one place, on the photos as they will be: a row alone cannot know."""
    for n in range(10):
        photo_add(colour=colour, file=_photo(n))
    ProductPhoto(colour=colour, asset=Asset.objects.first()).full_clean(validate_constraints=False)
    images = list(Asset.objects.values_list("sha256", flat=True))
    colour_photos_check(colour=colour, images=images)
    with pytest.raises(ContentError) as refusal:
        colour_photos_check(colour=colour, images=[*images, images[3]])
    assert refusal.value.paths == {
        "photos": ["A colour has at most 10 photos and Black (BLK) already has 10. "
                   "Remove one before adding another."],
        "photos.10.asset": ["This photo is already on Black (BLK)."],
    }


def test_same_image_on_two_colours_is_stored_once_but_not_twice_on_one(colour, stored_files):
    other = factories.ColourFactory(product=colour.product, code="RED")
    data = builders.jpeg()
    a = photo_add(colour=colour, file=SimpleUploadedFile("a.jpg", data))
    b = photo_add(colour=other, file=SimpleUploadedFile("b.jpg", data))
    assert a.asset_id == b.asset_id
    assert len([f for f in stored_files() if f.startswith("originals/")]) == 1
    with pytest.raises(ValidationError, match="already on Black") as refusal:
        photo_add(colour=colour, file=SimpleUploadedFile("again.jpg", data))
    assert refusal.value.codes() == {"photos.1.asset": ["duplicate"]}


def test_alt_text_is_translatable(colour):
    photo = photo_add(colour=colour, file=_photo(1),
                      alt_text={"en": "Black dress, front", "fr": "Robe noire, de face"})
    photo_update(photo=photo, alt_text={"pl": "Czarna sukienka, przód"})
    photo.refresh_from_db()
    with translation.override("fr"):
        assert photo.alt_text == "Robe noire, de face"
    assert (photo.alt_text_en, photo.alt_text_pl) == ("Black dress, front", "Czarna sukienka, przód")
    assert photo.history.count() == 2


def test_a_bad_upload_is_refused_for_a_photo(colour):
    with pytest.raises(ValidationError, match="SVG"):
        photo_add(colour=colour, file=SimpleUploadedFile("x.jpg", b"<svg></svg>"))
    assert not ProductPhoto.objects.exists()


def test_video_needs_a_poster_and_nothing_is_half_stored(product, stored_files):
    with pytest.raises(ValidationError, match="needs a poster"):
        video_set(product=product, video_file=SimpleUploadedFile("v.mp4", builders.video()))
    # The video is fine but the poster is not: neither is kept.
    with pytest.raises(ValidationError, match="SVG"):
        video_set(product=product, video_file=SimpleUploadedFile("v.mp4", builders.video()),
                  poster_file=SimpleUploadedFile("p.png", b"<svg/>"))
    assert Asset.objects.count() == 0 and stored_files() == set()
    # A photo where the video should be.
    with pytest.raises(ValidationError, match="a video .MP4 or WebM. is needed"):
        video_set(product=product, video_file=SimpleUploadedFile("v.jpg", builders.jpeg()),
                  poster_file=SimpleUploadedFile("p.jpg", builders.jpeg(colour=(1, 2, 3))))
    assert stored_files() == set()

    video = video_set(product=product,
                      video_file=SimpleUploadedFile("v.webm", builders.video("webm")),
                      poster_file=SimpleUploadedFile("p.jpg", builders.jpeg()))
    assert (video.video.format, video.poster.format) == ("webm", "jpeg")
    assert product.video == video
    # Replacing keeps one video per product.
    video_set(product=product, video=video.video,
              poster_file=SimpleUploadedFile("p2.jpg", builders.jpeg(colour=(9, 9, 9))))
    assert ProductVideo.objects.filter(product=product).count() == 1


def test_social_images_in_three_crops(product):
    data = builders.jpeg(size=(3000, 2000))
    square = social_image_add(product=product, ratio="1x1", file=SimpleUploadedFile("s.jpg", data))
    portrait = social_image_add(product=product, ratio="4x5", asset=square.asset, focal=(20, 50))
    story = social_image_add(product=product, ratio="9x16", asset=square.asset)
    with pytest.raises(ValidationError, match="already has this crop"):
        social_image_add(product=product, ratio="1x1", asset=square.asset)
    with pytest.raises(ValidationError, match="not a valid choice"):
        social_image_add(product=product, ratio="16x9", asset=square.asset)

    renditions_ensure_for_product(product=product, specs=["max-2000|format-webp"])
    sizes = {}
    for social in (square, portrait, story):
        rendition = Rendition.objects.get(asset=social.asset, spec=f"{social.spec}|format-webp")
        sizes[social.ratio] = (rendition.width, rendition.height)
    # A landscape 3000x2000 source: each crop is cut from it at its ratio, then scaled down.
    assert sizes == {"1x1": (1080, 1080), "4x5": (1080, 1350), "9x16": (1080, 1920)}
    assert SocialImage.objects.filter(product=product).count() == 3


def test_renditions_ensure_for_product_covers_every_colour_the_poster_and_the_video(product):
    black = factories.ColourFactory(product=product, code="BLK")
    red = factories.ColourFactory(product=product, code="RED")
    for n, colour in enumerate([black, black, red]):
        photo_add(colour=colour, file=_photo(n, size=(1000, 1250)))
    video_set(product=product, video_file=SimpleUploadedFile("v.mp4", builders.video()),
              poster_file=SimpleUploadedFile("p.jpg", builders.jpeg(colour=(5, 5, 5))))
    specs = ["fill-800x1000|format-webp", "max-2000"]
    # Two specs for each of three photos and the poster, and the video's clean copy.
    missing = renditions_missing_for_product(product=product, specs=specs)
    assert len(missing) == 9
    assert (ProductVideo.objects.get(product=product).video, "video-clean") in missing

    renditions = renditions_ensure_for_product(product=product, specs=specs)
    assert len(renditions) == 9
    assert renditions_missing_for_product(product=product, specs=specs) == []
    again = renditions_ensure_for_product(product=product, specs=specs)
    assert {r.pk for r in again} == {r.pk for r in renditions}

    with pytest.raises(ValidationError, match="Invalid rendition spec"):
        renditions_ensure_for_product(product=product, specs=["fill-800"])


def test_photo_must_be_an_image(colour):
    video = video_set(product=colour.product,
                      video_file=SimpleUploadedFile("v.mp4", builders.video()),
                      poster_file=SimpleUploadedFile("p.jpg", builders.jpeg())).video
    with pytest.raises(ValidationError, match="must be an image"):
        photo_add(colour=colour, asset=video)


def test_large_upload_from_disk(colour, tmp_path):
    path = tmp_path / "big.jpg"
    Image.new("RGB", (3000, 4000), (10, 20, 30)).save(path, "JPEG")
    with open(path, "rb") as fp:
        photo = photo_add(colour=colour, file=fp)
    assert (photo.asset.width, photo.asset.height) == (3000, 4000)
    assert photo.asset.original_filename == "big.jpg"
    assert io.BytesIO  # noqa: B018 (keeps the import for readers copying the pattern)
