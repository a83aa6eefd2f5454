"""Uploads are checked by content: every refusal is clear and leaves nothing behind."""
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from media.models import Asset
from media.services import asset_ingest
from tests.media import builders


def _ingest(data: bytes, name: str, **kwargs):
    return asset_ingest(file=SimpleUploadedFile(name, data), **kwargs)


def _corrupt_png() -> bytes:
    data = bytearray(builders.png(size=(64, 64)))
    index = data.index(b"IDAT") + 10
    data[index] ^= 0xFF  # one flipped byte in the compressed pixels: the CRC no longer matches
    return bytes(data)


def _corrupt_jpeg_header() -> bytes:
    data = bytearray(builders.jpeg())
    index = data.index(b"\xff\xc0")  # start of frame
    data[index:index + 12] = b"\x00" * 12
    return bytes(data)


def _plain(fmt: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buffer, fmt)
    return buffer.getvalue()


SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>"

BAD_INPUTS = [
    # (case, file name, bytes builder, message fragment, code)
    ("empty", "empty.jpg", lambda: b"", "is empty", "empty"),
    ("truncated jpeg", "cut.jpg", lambda: builders.jpeg(size=(400, 500))[:1500], "truncated",
     "truncated"),
    ("corrupt png", "broken.png", _corrupt_png, "corrupt", "corrupt"),
    ("corrupt jpeg header", "broken.jpg", _corrupt_jpeg_header, "not an image of an accepted type",
     "unsupported"),
    ("decompression bomb", "bomb.png", lambda: builders.png_bomb(30_000, 30_000),
     "decompression bomb", "decompression_bomb"),
    ("bomb within Pillow's warning zone", "big.png", lambda: builders.png_bomb(9_000, 9_000),
     "decompression bomb", "decompression_bomb"),
    ("png named jpg", "photo.jpg", lambda: builders.png(), "contains a PNG image", "name_mismatch"),
    ("jpeg named mp4", "clip.mp4", lambda: builders.jpeg(), "contains a JPEG image",
     "name_mismatch"),
    ("mp4 named webm", "clip.webm", lambda: builders.video("mp4"), "contains an MP4 video",
     "name_mismatch"),
    ("svg", "logo.svg", lambda: SVG, "SVG files are not accepted", "svg"),
    ("svg named png", "logo.png", lambda: SVG, "SVG files are not accepted", "svg"),
    ("html named jpg", "photo.jpg", lambda: HTML, "HTML or XML document", "html"),
    ("gif", "anim.gif", lambda: _plain("GIF"), "not an image of an accepted type", "unsupported"),
    ("bmp", "scan.bmp", lambda: _plain("BMP"), "not an image of an accepted type", "unsupported"),
    ("text", "notes.txt", lambda: b"just some text", "not an image of an accepted type",
     "unsupported"),
    ("quicktime", "clip.mov", lambda: builders.video("mov"), "QuickTime", "unsupported"),
    ("matroska", "clip.mkv", lambda: builders.video("matroska"), "not WebM", "unsupported"),
    ("truncated mp4", "clip.mp4", lambda: builders.video("mp4", frames=30)[:-600],
     "truncated or corrupt", "corrupt"),
    ("mp4 cut in its media data", "clip.mp4",
     lambda: builders.video("mp4", frames=30, faststart=True)[:-400], "truncated or corrupt",
     "corrupt"),
    ("truncated webm", "clip.webm", lambda: builders.video("webm", frames=30)[:300],
     "truncated or corrupt", "corrupt"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "name", "build", "message", "code"), BAD_INPUTS,
                         ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_is_refused_clearly_and_nothing_is_stored(case, name, build, message, code,
                                                            stored_files):
    before = stored_files()
    with pytest.raises(ValidationError) as refusal:
        _ingest(build(), name)
    assert message in refusal.value.messages[0]
    assert refusal.value.code == code
    assert f"“{name}”" in refusal.value.messages[0]
    assert Asset.objects.count() == 0
    assert stored_files() == before


@pytest.mark.django_db
def test_a_video_is_refused_where_a_photo_is_expected(stored_files):
    with pytest.raises(ValidationError, match="is a video .* an image is needed"):
        _ingest(builders.video("mp4"), "clip.mp4", kind="image")
    assert Asset.objects.count() == 0
    assert stored_files() == set()


@pytest.mark.django_db
def test_upload_size_limit(settings, stored_files):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1000
    with pytest.raises(ValidationError, match="the limit is"):
        _ingest(builders.jpeg(size=(400, 400)), "big.jpg")
    assert stored_files() == set()


def _heic() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 200)).save(buffer, "HEIF")
    return buffer.getvalue()


GOOD_INPUTS = [
    ("photo.jpg", lambda: builders.jpeg(size=(120, 150)), "image", "jpeg", (120, 150)),
    ("photo.JPEG", lambda: builders.jpeg(size=(121, 150)), "image", "jpeg", (121, 150)),
    ("no-extension", lambda: builders.jpeg(size=(122, 150)), "image", "jpeg", (122, 150)),
    ("photo.png", lambda: builders.png(size=(64, 80)), "image", "png", (64, 80)),
    ("photo.webp", lambda: builders.image_bytes("WEBP", (64, 80)), "image", "webp", (64, 80)),
    ("photo.tif", lambda: builders.image_bytes("TIFF", (64, 80)), "image", "tiff", (64, 80)),
    ("photo.heic", _heic, "image", "heic", (64, 48)),
    ("photo.avif", lambda: builders.image_bytes("AVIF", (64, 80)), "image", "avif", (64, 80)),
    ("clip.mp4", lambda: builders.video("mp4"), "video", "mp4", (64, 48)),
    ("clip.webm", lambda: builders.video("webm"), "video", "webm", (64, 48)),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "build", "kind", "fmt", "size"), GOOD_INPUTS,
                         ids=[case[0] for case in GOOD_INPUTS])
def test_accepted_formats_are_recorded(name, build, kind, fmt, size, stored_files):
    data = build()
    asset = _ingest(data, name)
    assert (asset.kind, asset.format, (asset.width, asset.height)) == (kind, fmt, size)
    assert asset.byte_size == len(data)
    assert asset.original_filename == name
    assert asset.is_new
    assert stored_files() == {asset.file.name}
    with asset.file.open("rb") as stored:
        assert stored.read() == data


@pytest.mark.django_db
def test_same_bytes_are_stored_once(stored_files):
    data = builders.jpeg()
    first = _ingest(data, "IMG_0001.jpg")
    second = _ingest(data, "WD-25-0001_BLK_01.jpg")
    assert second.pk == first.pk and not second.is_new
    assert Asset.objects.count() == 1
    assert stored_files() == {first.file.name}
    assert first.file.name.startswith(f"originals/{first.sha256[:2]}/")


@pytest.mark.django_db
@pytest.mark.parametrize(("build", "name", "message"), [
    (builders.jpeg, "photo.svg", "named as a .svg file but contains a JPEG image"),
    (lambda: builders.video("mp4"), "still.jpg", "named as a .jpg file but contains an MP4 video"),
])
def test_a_name_that_lies_is_refused_when_the_same_bytes_are_already_stored(build, name, message):
    data = build()
    _ingest(data, "original.mp4" if name == "still.jpg" else "original.jpg")
    with pytest.raises(ValidationError, match=message) as refused:
        _ingest(data, name)
    assert refused.value.code == "name_mismatch"
    assert Asset.objects.count() == 1


@pytest.mark.django_db
def test_colour_profile_and_orientation_are_recorded():
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, "JPEG", icc_profile=builders.DISPLAY_P3_ICC,
                                             exif=builders.exif_with(orientation=6))
    asset = _ingest(buffer.getvalue(), "p3.jpg")
    assert asset.colour_profile == "sP3C"  # the profile's own description
    assert (asset.width, asset.height) == (40, 60)  # as seen, after the EXIF rotation

    cmyk = builders.image_bytes("JPEG", (30, 30), (0, 0, 0, 0), mode="CMYK")
    assert _ingest(cmyk, "cmyk.jpg").colour_profile == "CMYK (no profile)"
