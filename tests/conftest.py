import pytest

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
