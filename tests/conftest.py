import pytest
from admin_interface.templatetags.admin_interface_tags import get_admin_interface_theme
from django.core.cache import cache
from django.core.files.storage import default_storage, storages

from tests import factories


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The admin's theme is read into its cache once a process, as a server does on its first
    page: no test's query count depends on whether it renders the admin first."""
    with django_db_blocker.unblock():
        get_admin_interface_theme()


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
    """Each test writes files under its own folders (local storage only)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    originals = settings.STORAGES["originals"]
    if "location" in originals.get("OPTIONS", {}) and not settings.AWS_STORAGE_BUCKET_NAME:
        settings.ORIGINALS_ROOT = tmp_path / "originals"
        settings.STORAGES = {**settings.STORAGES, "originals": {
            **originals, "OPTIONS": {**originals["OPTIONS"], "location": settings.ORIGINALS_ROOT}}}


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate limits and login failures counted by one test do not reach the next."""
    cache.clear()
    yield
    cache.clear()
def storage_files(path: str = "", storage=None) -> set[str]:
    """Every file name under ``path`` in the default and the originals storages (local or S3)."""
    if storage is None:
        return (storage_files(path, default_storage)
                | storage_files(path, storages["originals"]))
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return set()
    names = {f"{path}/{name}" if path else name for name in files}
    for directory in directories:
        directory = f"{path}/{directory}" if path else directory
        if storage is default_storage and directory == _originals_inside_default():
            continue  # on S3 the originals' prefix lies in the same bucket: listed on its own
        names |= storage_files(directory, storage)
    return names


def _originals_inside_default() -> str | None:
    outer = default_storage.location.rstrip("/")
    inner = storages["originals"].location.rstrip("/")
    if outer and not inner.startswith(f"{outer}/"):
        return None
    return inner[len(outer):].lstrip("/") or None


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
