import os

import pytest
from django.core.files.storage import default_storage

from tests import factories


def pytest_collection_modifyitems(config, items):
    if os.environ.get("AWS_S3_ENDPOINT_URL"):
        return
    skip = pytest.mark.skip(reason="needs the S3-compatible server named by AWS_S3_ENDPOINT_URL")
    for item in items:
        if "s3" in item.keywords:
            item.add_marker(skip)


def storage_files(path: str = "") -> set[str]:
    """Every file name under ``path`` in the default storage (local or S3)."""
    try:
        directories, files = default_storage.listdir(path)
    except FileNotFoundError:
        return set()
    names = {f"{path}/{name}" if path else name for name in files}
    for directory in directories:
        names |= storage_files(f"{path}/{directory}" if path else directory)
    return names


@pytest.fixture
def stored_files():
    """Call to list the files in storage now."""
    return storage_files


@pytest.fixture
def colour(db):
    return factories.ColourFactory(code="BLK", name="Black")


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run on-commit work (rendition tasks) as a committed transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
