"""The S3 path against a real S3-compatible server (CI: moto's server on loopback).

Configured exactly as a deployment is: AWS_STORAGE_BUCKET_NAME, AWS_S3_ENDPOINT_URL and the
usual AWS credentials in the environment. Skipped when AWS_S3_ENDPOINT_URL is not set.
"""
import os
import urllib.request

import boto3
import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from media.models import Asset
from media.selectors import rendition_url
from catalog.services.photos import photo_add
from media.services import asset_ingest, renditions_generate
from tests.media import builders

pytestmark = [pytest.mark.s3, pytest.mark.django_db]


@pytest.fixture
def bucket():
    client = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"],
                          region_name=os.environ.get("AWS_S3_REGION_NAME") or "us-east-1")
    name = settings.AWS_STORAGE_BUCKET_NAME

    def keys() -> set[str]:
        paginator = client.get_paginator("list_objects_v2")
        return {obj["Key"] for page in paginator.paginate(Bucket=name)
                for obj in page.get("Contents", [])}

    return client, name, keys


def _key(name: str, storage: str = "default") -> str:
    """The object key of a storage name (the storage's ``location`` is a key prefix)."""
    from django.core.files.storage import storages

    location = storages[storage].location
    return f"{location}/{name}" if location else name


def test_the_default_storage_is_s3():
    from django.core.files.storage import storages
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["default"], S3Storage)


def test_original_and_renditions_are_stored_in_the_bucket(bucket, colour):
    client, name, keys = bucket
    data = builders.jpeg(size=(1200, 1500), colour=(12, 200, 99))
    photo = photo_add(colour=colour, file=SimpleUploadedFile("s3.jpg", data))
    asset = photo.asset
    head = client.head_object(Bucket=name, Key=_key(asset.file.name, "originals"))
    assert head["ContentLength"] == len(data)

    made = renditions_generate(asset=asset, specs=["fill-800x1000|format-webp", "max-600"])
    for rendition in made.values():
        assert _key(rendition.file.name) in keys()
        url = rendition_url(asset=asset, spec=rendition.spec)
        assert url.startswith(os.environ["AWS_S3_ENDPOINT_URL"])
        with urllib.request.urlopen(url, timeout=10) as response:  # loopback only
            body = response.read()
        assert len(body) == rendition.byte_size
    # Idempotent on S3 too.
    again = renditions_generate(asset=asset, specs=["max-600", "fill-800x1000|format-webp"])
    assert {r.pk for r in again.values()} == {r.pk for r in made.values()}


def test_dedup_against_the_bucket(bucket):
    _, _, keys = bucket
    data = builders.jpeg(colour=(77, 1, 200))
    first = asset_ingest(file=SimpleUploadedFile("a.jpg", data))
    second = asset_ingest(file=SimpleUploadedFile("b.jpg", data))
    assert first.pk == second.pk
    # Under this test's own prefix: the bucket outlives a test run, and an earlier run may
    # have stored these bytes too.
    mine = [k for k in keys() if k.startswith(_key("")) and first.sha256 in k]
    assert mine == [_key(first.file.name, "originals")]


def test_a_refused_upload_leaves_nothing_in_the_bucket(bucket):
    _, _, keys = bucket

    def mine():  # tests running in parallel write to the same bucket under their own prefix
        return {k for k in keys() if k.startswith(_key(""))}

    before = mine()
    with pytest.raises(ValidationError):
        asset_ingest(file=SimpleUploadedFile("cut.jpg", builders.jpeg(size=(300, 300))[:900]))
    assert mine() == before
    assert not Asset.objects.exists()


def test_originals_are_private_objects_under_their_own_prefix(bucket):
    from django.core.files.storage import storages

    client, name, _ = bucket
    originals = storages["originals"]
    assert originals.location.endswith("/private") and originals.default_acl == "private"
    data = builders.jpeg(colour=(3, 140, 9), exif=builders.exif_with(gps=True))
    asset = asset_ingest(file=SimpleUploadedFile("gps.jpg", data))
    head = client.head_object(Bucket=name, Key=_key(asset.file.name, "originals"))
    assert head["ContentLength"] == len(data)
    grants = client.get_object_acl(Bucket=name, Key=_key(asset.file.name, "originals"))["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]
    assert "X-Amz-Signature=" in asset.file.url or "Signature=" in asset.file.url
    [rendition] = renditions_generate(asset=asset, specs=["max-100"]).values()
    assert not rendition.file.name.startswith("private/")
    assert client.head_object(Bucket=name, Key=_key(rendition.file.name))
