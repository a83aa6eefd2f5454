"""Images as cameras and tools really write them: what passes the upload check renders."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from media.renditions.specs import canonical_spec
from media.services import asset_ingest, renditions_generate
from tests.media import builders

pytestmark = pytest.mark.django_db
SPEC = "max-60x60|format-png"


def _ingest(data: bytes, name: str):
    return asset_ingest(file=SimpleUploadedFile(name, data))


def _render(asset, spec=SPEC) -> Image.Image:
    rendition = renditions_generate(asset=asset, specs=[spec])[canonical_spec(spec)]
    with rendition.file.open("rb") as fp:
        return Image.open(io.BytesIO(fp.read())).convert("RGB")


def _red_corner(img: Image.Image) -> str:
    corners = {"top-left": (2, 2), "top-right": (img.width - 3, 2),
               "bottom-left": (2, img.height - 3), "bottom-right": (img.width - 3, img.height - 3)}
    red = [name for name, xy in corners.items() if img.getpixel(xy)[0] > 150]
    assert len(red) == 1, red
    return red[0]


@pytest.mark.parametrize("orientation", range(1, 9))
def test_tiff_orientation_is_applied_like_a_jpegs(orientation):
    tiff = _ingest(builders.tiff_oriented(orientation), f"o{orientation}.tif")
    jpeg = _ingest(builders.jpeg_oriented(orientation), f"o{orientation}.jpg")
    upright = (60, 120) if orientation >= 5 else (120, 60)
    assert (tiff.width, tiff.height) == (jpeg.width, jpeg.height) == upright
    tiff_out, jpeg_out = _render(tiff), _render(jpeg)
    assert tiff_out.size == jpeg_out.size == (upright[0] // 2, upright[1] // 2)
    assert _red_corner(tiff_out) == _red_corner(jpeg_out)


@pytest.mark.parametrize("icc", [builders.DISPLAY_P3_ICC, b"not a colour profile" * 8],
                         ids=["display-p3", "unreadable"])
def test_a_jpeg_with_its_profile_after_the_frame_header_is_stored_and_rendered(icc):
    asset = _ingest(builders.jpeg_icc_after_sof(icc), "icc-after-SOF.jpg")
    assert asset.format == "jpeg"
    assert _render(asset).size == (48, 60)


def test_an_unreadable_embedded_profile_falls_back_to_srgb():
    asset = _ingest(builders.png(icc_profile=b"garbage" * 20), "garbage-profile.png")
    assert asset.colour_profile == "unreadable profile"
    out = _render(asset)
    assert out.getpixel((40, 50))[0] > 150  # the red of the picture, unconverted


def test_a_multi_picture_jpeg_is_stored_as_a_jpeg_of_its_first_picture():
    asset = _ingest(builders.mpo(), "IMG_0001.MPO")
    assert (asset.format, asset.mime_type, asset.width, asset.height) == ("jpeg", "image/jpeg", 80, 60)
    out = _render(asset)
    assert out.size == (60, 45) and out.getpixel((30, 20))[0] > 150


def test_a_multi_picture_jpeg_named_jpg_is_accepted():
    assert _ingest(builders.mpo(size=(64, 48)), "camera.jpg").format == "jpeg"


@pytest.mark.filterwarnings("ignore:Invalid APNG")
def test_an_apng_declaring_no_frames_gets_an_answer_not_an_error():
    from django.core.exceptions import ValidationError

    try:
        asset = _ingest(builders.apng_declaring_frames(0), "zero-frames.png")
    except ValidationError as refused:
        assert "could not be fully decoded" in refused.messages[0]
    else:
        assert _render(asset).size == (60, 45)


@pytest.mark.parametrize("kept", [0.5, 0.9, 0.999])
def test_a_truncated_heic_is_refused(kept, stored_files):
    from django.core.exceptions import ValidationError

    buffer = io.BytesIO()
    Image.effect_noise((640, 480), 60).convert("RGB").save(buffer, "HEIF", quality=90)
    data = buffer.getvalue()
    with pytest.raises(ValidationError, match="could not be fully decoded") as refused:
        _ingest(data[:int(len(data) * kept)], "cut.heic")
    assert refused.value.code == "corrupt" and not stored_files()
    assert _ingest(data, "whole.heic").format == "heic"
