"""Channels get no location: the published video is a copy without metadata, made before
approval like image renditions; photo and poster renditions carry no GPS."""
import io
import urllib.parse

import av
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from catalog.models import ProductSnapshot
from catalog.services.photos import photo_add, video_set
from catalog.services.publishing import snapshots_publish
from catalog.services.renditions import RenditionsPending
from media.selectors import STORED_MEDIA_PREFIX, media_reference_url
from tests.media import builders
from tests.workflow.conftest import make_complete_product

pytestmark = pytest.mark.django_db

LOCATION = "+52.2297+021.0122/"
TAGS = {"location": LOCATION, "title": "Rooftop shoot, Warsaw"}
GPS_IFD = 0x8825


def _gps_jpeg(name: str, colour=(10, 120, 200)) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, builders.jpeg(size=(400, 500), colour=colour,
                                                  exif=builders.exif_with(gps=True)))


def _tags(container) -> dict:
    tags = {k.lower(): v for k, v in container.metadata.items()}
    for stream in container.streams:
        tags.update({k.lower(): v for k, v in stream.metadata.items()})
    return tags


def _stored(published) -> bytes:
    """The bytes a channel downloads for a published file (local storage)."""
    from django.conf import settings

    url = published["url"] if isinstance(published, dict) else published
    if url.startswith(STORED_MEDIA_PREFIX):
        url = media_reference_url(url)
    name = urllib.parse.urlsplit(url).path.removeprefix(settings.MEDIA_URL)
    with default_storage.open(name, "rb") as fp:
        return fp.read()


def test_the_published_video_has_no_location_or_title(screens, django_capture_on_commit_callbacks):
    product = make_complete_product(photos=1)
    data = builders.video("mp4", metadata=TAGS)
    with av.open(io.BytesIO(data)) as original:  # the builder did write them
        assert _tags(original)["location"] == LOCATION
    with django_capture_on_commit_callbacks(execute=True):  # made in the background
        video_set(product=product, video_file=SimpleUploadedFile("clip.mp4", data),
                  poster_file=_gps_jpeg("poster.jpg"))
    with transaction.atomic():
        snapshots_publish(product=product, channels=[screens])

    payload = ProductSnapshot.objects.get(locale="en").payload
    published = _stored(payload["video"]["url"])
    assert published != data
    assert LOCATION.encode() not in published and b"Rooftop" not in published
    with av.open(io.BytesIO(published)) as clean:
        tags = _tags(clean)
        assert not {"location", "location-eng", "title", "encoder", "creation_time"} & {
            k for k, v in tags.items() if v and v != "Lavf"}
        assert len(clean.chapters()) == 0
        assert [s.type for s in clean.streams] == ["video"]
        assert sum(1 for _ in clean.decode(video=0)) == 6  # every frame, not re-encoded
    assert payload["video"]["mime_type"] == "video/mp4"

    # The poster, like photos, reaches channels through renditions without GPS.
    [poster_url] = payload["video"]["poster"]["renditions"].values()
    photo_urls = [url for photo in payload["colours"][0]["photos"]
                  for url in photo["renditions"].values()]
    for url in [poster_url, *photo_urls]:
        assert GPS_IFD not in Image.open(io.BytesIO(_stored(url))).getexif()


def test_webm_video_is_copied_without_its_tags(screens, django_capture_on_commit_callbacks):
    product = make_complete_product(photos=1)
    with django_capture_on_commit_callbacks(execute=True):
        record = video_set(product=product, video_file=SimpleUploadedFile(
            "clip.webm", builders.video("webm", metadata=TAGS)), poster_file=_gps_jpeg("p.jpg"))
    clean = record.video.renditions.get(spec="video-clean")
    assert clean.file.name.endswith(".webm")
    with av.open(io.BytesIO(_stored(clean.url))) as copy:
        assert not {"location", "title"} & set(_tags(copy))


def test_approval_waits_for_the_video_copy(screens):
    product = make_complete_product(photos=1)
    # Not committed: the background work has not run, as when a worker is still busy.
    record = video_set(product=product, video_file=SimpleUploadedFile(
        "clip.mp4", builders.video(metadata=TAGS)), poster_file=_gps_jpeg("p.jpg"))
    with pytest.raises(RenditionsPending) as pending, transaction.atomic():
        snapshots_publish(product=product, channels=[screens])
    assert (record.video, "video-clean") in pending.value.missing
    assert not ProductSnapshot.objects.exists()


def test_photo_renditions_carry_no_gps(colour, django_capture_on_commit_callbacks):
    from media.services import renditions_generate

    photo = photo_add(colour=colour, file=_gps_jpeg("gps.jpg"))
    with photo.asset.file.open("rb") as fp:  # the original keeps it, for staff only
        assert GPS_IFD in Image.open(fp).getexif()
    for rendition in renditions_generate(asset=photo.asset,
                                         specs=["max-200", "max-200|format-jpeg"]).values():
        assert GPS_IFD not in Image.open(io.BytesIO(_stored(rendition.url))).getexif()
