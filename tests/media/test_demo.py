import pytest
from PIL import Image

from media.demo import demo_photo_bytes, demo_photos_attach
from media.models import Asset, ProductPhoto
from media.selectors import colour_photos
from tests import factories

pytestmark = pytest.mark.django_db


def test_demo_photos_are_generated_attached_and_shared(django_capture_on_commit_callbacks):
    first = factories.ColourFactory(code="RED", name="Red")
    second = factories.ColourFactory(code="RED", name="Red", product__category=first.product.category)
    other = factories.ColourFactory(code="NVY", name="Navy", product=first.product)
    with django_capture_on_commit_callbacks(execute=True):
        added = demo_photos_attach(colours=[first, second, other], photos_per_colour=4)
    assert added == 12
    assert [p.role for p in colour_photos(first)] == ["front", "back", "side", "detail"]
    # Same silhouette and colour: the same images, stored once.
    assert [p.asset_id for p in colour_photos(first)] == [p.asset_id for p in colour_photos(second)]
    assert Asset.objects.count() == 8
    photo = colour_photos(other).first()
    assert photo.alt_text_en.endswith("navy, front view") and photo.alt_text_fr
    assert photo.asset.renditions.exists()  # thumbnails were made
    assert demo_photos_attach(colours=[first, second, other]) == 0  # idempotent
    assert ProductPhoto.objects.count() == 12


def test_demo_photo_is_a_real_studio_jpeg():
    import io

    img = Image.open(io.BytesIO(demo_photo_bytes("dress", (170, 32, 40), "front")))
    assert (img.format, img.size) == ("JPEG", (800, 1000))
    assert img.getpixel((20, 20))[0] > 200  # light backdrop
    red = img.getpixel((400, 700))
    assert red[0] > 2 * red[1], red  # the garment in its colour
