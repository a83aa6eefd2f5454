import pytest
from django.core.cache import cache
from django.core.files.storage import default_storage

from tests import factories


@pytest.fixture
def admin_user(db):
    return factories.SuperUserFactory(username="admin")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def product(db):
    return factories.ProductFactory()


@pytest.fixture
def channel(db):
    return factories.ChannelFactory()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes files under its own folder (local storage only)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and login failures counted by one test do not reach the next."""
    cache.clear()
    yield
    cache.clear()
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
