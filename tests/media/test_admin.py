"""The media library in the admin: thumbnails in the list, uploads, refusals."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from media import conf as media_settings
from media.models import Asset
from media.services import asset_ingest, renditions_generate
from tests.media import builders

pytestmark = pytest.mark.django_db


def _assets(n: int, start: int = 0):
    assets = []
    for i in range(start, start + n):
        # Colours far apart: neighbouring ones can encode to the same JPEG bytes (one asset).
        jpeg = builders.jpeg(colour=(20 + 30 * i, 9, 9))
        asset = asset_ingest(file=SimpleUploadedFile(f"p{i}.jpg", jpeg))
        assert asset.is_new
        renditions_generate(asset=asset, specs=[media_settings.get("MEDIA_THUMBNAIL_SPEC")])
        assets.append(asset)
    return assets


def _changelist_queries(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:media_asset_changelist"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_asset_list_shows_thumbnails_with_a_fixed_number_of_queries(admin_client):
    _assets(2)
    few, _ = _changelist_queries(admin_client)
    _assets(5, start=2)
    many, page = _changelist_queries(admin_client)
    assert many == few
    assert Asset.objects.count() == 7
    assert page.count('.webp" alt=""') == 7
    assert "Import a photo shoot" in page


def test_upload_in_the_admin_accepts_good_files_and_explains_refusals(admin_client):
    response = admin_client.post(reverse("admin:media_asset_add"), {"files": [
        SimpleUploadedFile("look.jpg", builders.jpeg()),
        SimpleUploadedFile("logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        SimpleUploadedFile("clip.mp4", builders.video()),
    ]}, follow=True)
    page = response.content.decode()
    assert "“logo.svg” is an SVG drawing" in page
    assert "2 file(s) in the library." in page
    assert sorted(Asset.objects.values_list("format", flat=True)) == ["jpeg", "mp4"]


def test_asset_page_lists_its_renditions(admin_client):
    asset = _assets(1)[0]
    renditions_generate(asset=asset, specs=["fill-80x100|format-webp"])
    response = admin_client.get(reverse("admin:media_asset_change", args=[asset.pk]))
    page = response.content.decode()
    assert "fill-80x100|format-webp" in page
    assert asset.sha256 in page
