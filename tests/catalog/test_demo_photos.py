import pytest
from PIL import Image

from catalog.demo_photos import demo_photo_bytes, demo_photos_attach
from catalog.models import ProductPhoto
from catalog.selectors import colour_photos
from media.models import Asset
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


def test_load_demo_gives_every_colour_photos_and_thumbnails_idempotently(stored_files):
    from io import StringIO

    from django.core.management import call_command

    from catalog.models import Colour
    from media import conf as media_settings
    from media.models import Rendition

    out = StringIO()
    call_command("load_demo", products=4, no_admin=True, stdout=out, stderr=StringIO())
    colours = Colour.objects.count()
    assert colours and not Colour.objects.filter(photos__isnull=True).exists()
    assert ProductPhoto.objects.count() == 4 * colours
    first = colour_photos(Colour.objects.order_by("id").first())
    assert [p.role for p in first] == ["front", "back", "side", "detail"]
    assert all(p.alt_text_en and p.alt_text_fr for p in first)
    # Every photo has the admin thumbnail; images are shared by content, stored once.
    thumbnail = media_settings.get("MEDIA_THUMBNAIL_SPEC").replace(" ", "")
    assets = Asset.objects.filter(photos__isnull=False).distinct()
    assert assets.count() < ProductPhoto.objects.count()
    assert Rendition.objects.filter(asset__in=assets, spec=thumbnail).count() == assets.count()
    assert "Demo photos:" in out.getvalue()

    files = stored_files()
    call_command("load_demo", products=4, no_admin=True, stdout=StringIO(), stderr=StringIO())
    assert ProductPhoto.objects.count() == 4 * colours
    assert stored_files() == files
