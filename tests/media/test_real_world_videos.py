"""Videos as they really arrive: cut short, in AV1, too large or too long."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from media.models import Asset
from media.services import asset_ingest
from tests.media import builders

pytestmark = pytest.mark.django_db
CODECS = [("mp4", "libx264"), ("webm", "libvpx"), ("webm", "libvpx-vp9")]


def _ingest(data: bytes, name: str):
    return asset_ingest(file=SimpleUploadedFile(name, data), kind="video")


@pytest.mark.parametrize(("container", "codec"), CODECS, ids=[c for _, c in CODECS])
@pytest.mark.parametrize("kept", [0.25, 0.5, 0.75, 0.9, 0.99])
def test_a_video_cut_anywhere_is_refused(container, codec, kept, stored_files):
    data = builders.video(container, frames=30, codec=codec)
    with pytest.raises(ValidationError) as refused:
        _ingest(data[:int(len(data) * kept)], f"clip.{container}")
    assert refused.value.code == "corrupt"
    assert "truncated or corrupt" in refused.value.messages[0]
    assert not Asset.objects.exists() and not stored_files()


@pytest.mark.parametrize(("container", "codec"), CODECS, ids=[c for _, c in CODECS])
def test_a_whole_video_is_accepted(container, codec):
    asset = _ingest(builders.video(container, frames=30, codec=codec), f"clip.{container}")
    assert (asset.format, asset.width, asset.height) == (container, 64, 48)


def test_av1_is_accepted():
    asset = _ingest(builders.video("mp4", frames=10, size=(64, 64), codec="libsvtav1"), "av1.mp4")
    assert (asset.format, asset.width, asset.height) == ("mp4", 64, 64)


def test_a_video_over_the_pixel_limit_is_refused(settings):
    settings.MEDIA_MAX_VIDEO_PIXELS = 64 * 40
    with pytest.raises(ValidationError, match="64×48 pixels; videos may have at most") as refused:
        _ingest(builders.video("webm"), "big.webm")
    assert refused.value.code == "video_too_large"


def test_a_video_over_the_duration_limit_is_refused(settings):
    settings.MEDIA_MAX_VIDEO_SECONDS = 1
    with pytest.raises(ValidationError, match="runs 3 seconds; product videos may run at most 1"):
        _ingest(builders.video("mp4", frames=30), "long.mp4")


def test_past_the_time_budget_the_last_keyframes_run_is_still_decoded(settings):
    settings.MEDIA_VIDEO_CHECK_SECONDS = 0
    assert _ingest(builders.video("webm", frames=30), "clip.webm").format == "webm"
    data = builders.video("webm", frames=30)
    with pytest.raises(ValidationError, match="truncated or corrupt"):
        _ingest(data[:int(len(data) * 0.9)], "cut.webm")
