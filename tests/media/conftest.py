import json
import os
import uuid

import pytest


def pytest_collection_modifyitems(config, items):
    if os.environ.get("AWS_S3_ENDPOINT_URL"):
        return
    skip = pytest.mark.skip(reason="needs the S3-compatible server named by AWS_S3_ENDPOINT_URL")
    for item in items:
        if item.get_closest_marker("s3"):
            item.add_marker(skip)


def _public_read_policy(bucket: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "PublicReadRenditions", "Effect": "Allow", "Principal": "*",
        "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]})


@pytest.fixture(autouse=True, scope="session")
def _s3_bucket():
    """On the S3 run, make sure the bucket exists and, like a deployment serving unsigned
    URLs (AWS_QUERYSTRING_AUTH=False), lets anyone read objects. The test database has its
    own setup step; this is the bucket's."""
    from django.conf import settings

    if not (getattr(settings, "AWS_STORAGE_BUCKET_NAME", "")
            and os.environ.get("AWS_S3_ENDPOINT_URL")):
        return
    import boto3

    client = boto3.client("s3", endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"],
                          region_name=settings.AWS_S3_REGION_NAME or "us-east-1")
    bucket = settings.AWS_STORAGE_BUCKET_NAME
    if bucket not in {b["Name"] for b in client.list_buckets().get("Buckets", [])}:
        client.create_bucket(Bucket=bucket)
    client.put_bucket_policy(Bucket=bucket, Policy=_public_read_policy(bucket))


@pytest.fixture(autouse=True)
def _isolated_bucket_prefix(settings):
    """On S3, each test writes under its own key prefix, as each writes to its own folder
    locally: the same settings a deployment uses, plus a ``location``."""
    if settings.STORAGES["default"]["BACKEND"] != "storages.backends.s3.S3Storage":
        return
    prefix = f"test-{uuid.uuid4().hex[:12]}"
    originals = settings.STORAGES["originals"]
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": prefix}},
        "originals": {**originals, "OPTIONS": {
            **originals["OPTIONS"], "location": f"{prefix}/{originals['OPTIONS']['location']}"}},
    }
