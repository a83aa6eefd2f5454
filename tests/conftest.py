import pytest
from django.core.cache import cache

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
