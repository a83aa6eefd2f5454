"""Originals are private: stored apart from the served media, shown to staff only."""
import importlib
import os

import pytest
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import clear_url_caches

from media.models import Asset
from media.services import asset_ingest, renditions_generate
from tests import factories
from tests.media import builders

pytestmark = pytest.mark.django_db
local_only = pytest.mark.skipif(bool(os.environ.get("AWS_STORAGE_BUCKET_NAME")),
                                reason="local storage: S3 is tests/media/test_s3.py")


@pytest.fixture
def gps_asset():
    data = builders.jpeg(size=(300, 200), exif=builders.exif_with(gps=True))
    return asset_ingest(file=SimpleUploadedFile("gps.jpg", data)), data


@pytest.fixture
def debug_urls(settings):
    """The project's URLs as `runserver` builds them with DEBUG on (media served)."""
    import pim.urls

    settings.DEBUG = True
    importlib.reload(pim.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(pim.urls)
    clear_url_caches()


@local_only
def test_originals_are_stored_outside_the_served_media(gps_asset, settings):
    asset, data = gps_asset
    assert storages["originals"].exists(asset.file.name)
    assert not default_storage.exists(asset.file.name)
    path = storages["originals"].path(asset.file.name)
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with asset.file.open("rb") as fp:
        assert fp.read() == data


@local_only
def test_originals_are_not_served_while_renditions_are(gps_asset, client, debug_urls, settings):
    asset, _ = gps_asset
    [rendition] = renditions_generate(asset=asset, specs=["max-100"]).values()
    assert client.get(rendition.url).status_code == 200
    assert client.get(f"{settings.MEDIA_URL}{asset.file.name}").status_code == 404


def test_the_admin_serves_originals_to_staff_only(gps_asset, admin_client):
    asset, data = gps_asset
    url = f"/admin/media/asset/{asset.pk}/original/"
    page = admin_client.get(f"/admin/media/asset/{asset.pk}/change/")
    assert url in page.content.decode() and f"{url}?download=1" in page.content.decode()

    response = admin_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == data
    download = admin_client.get(f"{url}?download=1")
    assert download["Content-Disposition"] == 'attachment; filename="gps.jpg"'

    client = Client()  # admin_client is the test's one client, logged in
    assert client.get(url).status_code == 302  # to the login page
    assert "/admin/login/" in client.get(url)["Location"]
    staff = factories.UserFactory(is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_asset"))
    assert client.get(url).status_code == 200


def test_video_previews_in_the_admin_use_the_staff_only_original(admin_client):
    asset = asset_ingest(file=SimpleUploadedFile("v.mp4", builders.video()))
    page = admin_client.get(f"/admin/media/asset/{asset.pk}/change/").content.decode()
    assert f'<video src="/admin/media/asset/{asset.pk}/original/"' in page
    assert asset.file.name not in page


def test_originals_stored_in_the_public_storage_are_moved(capsys):
    """Databases from before: their originals were in the public storage, under the same names."""
    data = builders.jpeg(colour=(1, 2, 3))
    name = default_storage.save("originals/ab/cd/old.jpg", ContentFile(data))
    asset = Asset.objects.create(kind="image", sha256="ab" * 32, file=name, format="jpeg",
                                 mime_type="image/jpeg", width=120, height=150,
                                 byte_size=len(data))
    call_command("originals_make_private")
    assert "1 original(s) moved" in capsys.readouterr().out
    assert not default_storage.exists(name)
    asset.refresh_from_db()
    with asset.file.open("rb") as fp:
        assert fp.read() == data
    call_command("originals_make_private")  # again: nothing left to move
    assert "0 original(s) moved" in capsys.readouterr().out
