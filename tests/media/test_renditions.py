"""Renditions: sizes and formats, one decode, normalised pixels, no personal metadata."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms

from media import conf as media_settings
from media.images import open_image
from media.models import Rendition
from media.renditions.generate import decode
from media.selectors import rendition_url, rendition_urls
from media.services import asset_ingest, renditions_generate
from tests.media import builders

pytestmark = pytest.mark.django_db


def _asset(data: bytes, name="photo.jpg"):
    return asset_ingest(file=SimpleUploadedFile(name, data))


def _open(rendition: Rendition) -> Image.Image:
    with rendition.file.open("rb") as fp:
        img = Image.open(io.BytesIO(fp.read()))
        img.load()
    return img


def test_renditions_have_the_spec_size_and_format(stored_files):
    asset = _asset(builders.jpeg(size=(1200, 1800)))
    made = renditions_generate(asset=asset, specs=[
        "fill-800x1000|format-webp", "max-600", "fill-400x500|format-avif|quality-50",
        "width-300|format-png",
    ])
    got = {spec: (r.width, r.height, r.format, _open(r).format, _open(r).size)
           for spec, r in made.items()}
    assert got == {
        "fill-800x1000|format-webp": (800, 1000, "webp", "WEBP", (800, 1000)),
        "max-600": (400, 600, "jpeg", "JPEG", (400, 600)),
        "fill-400x500|format-avif|quality-50": (400, 500, "avif", "AVIF", (400, 500)),
        "width-300|format-png": (300, 450, "png", "PNG", (300, 450)),
    }
    assert all(r.byte_size == r.file.size for r in made.values())
    assert {r.file.name for r in made.values()} <= stored_files()


def test_generation_is_idempotent(stored_files):
    asset = _asset(builders.jpeg(size=(600, 900)))
    first = renditions_generate(asset=asset, specs=["max-200", "fill-100x100|format-webp"])
    files = stored_files()
    again = renditions_generate(asset=asset, specs=["format-webp|fill-100x100", "max-200x200"])
    assert {r.pk for r in again.values()} == {r.pk for r in first.values()}
    assert Rendition.objects.count() == 2
    assert stored_files() == files


def test_large_jpeg_is_decoded_at_the_smallest_sufficient_scale():
    img = open_image(io.BytesIO(builders.jpeg(size=(4000, 6000))))
    decoded = decode(img, scale=0.2)  # e.g. 800x1000 out of 4000x6000: 1/4 DCT scaling
    assert decoded.size == (1000, 1500)
    img = open_image(io.BytesIO(builders.jpeg(size=(4000, 6000))))
    assert decode(img, scale=0.4).size == (2000, 3000)


def test_exif_orientation_is_applied():
    # Stored landscape, left half red and right half blue; EXIF 6 = turn 90° clockwise.
    img = Image.new("RGB", (600, 400), (0, 0, 255))
    img.paste((255, 0, 0), (0, 0, 300, 400))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=95, exif=builders.exif_with(orientation=6))
    asset = _asset(buffer.getvalue())
    rendition = renditions_generate(asset=asset, specs=["max-300|format-png"])["max-300|format-png"]
    out = _open(rendition).convert("RGB")
    assert out.size == (200, 300)
    top, bottom = out.getpixel((100, 30)), out.getpixel((100, 270))
    assert top[0] > 200 and top[2] < 50, top  # the left (red) side is now on top
    assert bottom[2] > 200 and bottom[0] < 50, bottom
    assert not out.getexif()


def test_cmyk_is_converted_to_srgb():
    cmyk = builders.image_bytes("JPEG", (200, 200), (0, 255, 255, 0), mode="CMYK", quality=95)
    asset = _asset(cmyk, "cmyk.jpg")
    rendition = renditions_generate(asset=asset, specs=["max-100|format-png"])["max-100|format-png"]
    out = _open(rendition)
    assert out.mode == "RGB"
    red = out.getpixel((80, 80))
    assert red[0] > 230 and red[1] < 30 and red[2] < 30, red


def test_embedded_profile_is_converted_to_srgb():
    colour = (40, 160, 60)
    buffer = io.BytesIO()
    Image.new("RGB", (100, 100), colour).save(buffer, "PNG", icc_profile=builders.DISPLAY_P3_ICC)
    asset = _asset(buffer.getvalue(), "p3.png")
    rendition = renditions_generate(asset=asset, specs=["max-50"])["max-50"]
    out = _open(rendition)
    pixel = out.getpixel((25, 25))
    expected = ImageCms.profileToProfile(
        Image.new("RGB", (1, 1), colour),
        ImageCms.ImageCmsProfile(io.BytesIO(builders.DISPLAY_P3_ICC)),
        ImageCms.createProfile("sRGB"),
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
    ).getpixel((0, 0))
    assert all(abs(a - b) <= 2 for a, b in zip(pixel, expected)), (pixel, expected)
    # P3 green is more saturated than sRGB can show: the numbers must have moved.
    assert abs(pixel[1] - colour[1]) + abs(pixel[0] - colour[0]) >= 10, pixel
    assert "icc_profile" not in out.info


@pytest.mark.parametrize("spec", ["max-100", "max-100|format-webp", "max-100|format-png",
                                  "max-100|format-avif", "fill-50x50|format-jpeg"])
def test_gps_and_personal_metadata_never_reach_a_rendition(spec):
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (90, 90, 90)).save(
        buffer, "JPEG", exif=builders.exif_with(gps=True), comment=b"shot at home",
        xmp=b"<x:xmpmeta xmlns:x='adobe:ns:meta/'><dc:creator>Ann</dc:creator></x:xmpmeta>",
    )
    source = Image.open(io.BytesIO(buffer.getvalue()))
    assert source.getexif().get_ifd(0x8825)  # the original does carry a location
    asset = _asset(buffer.getvalue(), "gps.jpg")
    rendition = next(iter(renditions_generate(asset=asset, specs=[spec]).values()))
    with rendition.file.open("rb") as fp:
        raw = fp.read()
    out = Image.open(io.BytesIO(raw))
    assert not out.getexif()
    assert not out.getexif().get_ifd(0x8825)
    assert not {"exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile"} & set(out.info)
    assert b"GPS" not in raw and b"Ann" not in raw and b"shot at home" not in raw


def test_transparency_is_kept_or_flattened_on_white():
    rgba = Image.new("RGBA", (100, 100), (0, 0, 0, 0))
    rgba.paste((0, 0, 255, 255), (50, 0, 100, 100))
    buffer = io.BytesIO()
    rgba.save(buffer, "PNG")
    asset = _asset(buffer.getvalue(), "cutout.png")
    made = renditions_generate(asset=asset, specs=["max-50|format-jpeg", "max-50|format-webp"])
    jpeg = _open(made["max-50|format-jpeg"])
    assert jpeg.getpixel((10, 25))[0] > 245  # transparent -> white
    webp = _open(made["max-50|format-webp"])
    assert webp.mode == "RGBA" and webp.getpixel((10, 25))[3] == 0


def test_thumbnail_is_made_in_the_background_after_upload(on_commit):
    with on_commit():
        asset = _asset(builders.jpeg(size=(900, 1200)))
    spec = media_settings.get("MEDIA_THUMBNAIL_SPEC")
    url = rendition_url(asset=asset, spec=spec)
    assert url and url.endswith(".webp")
    assert asset.renditions.get().width == 225


def test_rendition_urls_in_one_query(django_assert_num_queries):
    assets = [_asset(builders.jpeg(colour=(i * 40, 10, 10))) for i in range(3)]
    for asset in assets:
        renditions_generate(asset=asset, specs=["max-50"])
    with django_assert_num_queries(1):
        urls = rendition_urls(assets=assets, specs=["max-50x50", "fill-20x20"])
    assert set(urls) == {(a.pk, "max-50x50") for a in assets}
    assert rendition_url(asset=assets[0], spec="fill-20x20") is None
    assert rendition_url(asset=assets[0], spec="fill-20x20", generate=True).endswith(".jpg")
