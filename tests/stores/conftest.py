"""Stores, their channel, published products and the tokens of partner systems and screens."""
import pytest
from rest_framework.test import APIClient

from api.services import channel_token_create
from api.stores.services import partner_token_create, screen_token_create
from catalog.stores.models import Store
from tests import factories
from tests.api.conftest import api, make_product, publish, token, webshop  # noqa: F401


@pytest.fixture
def screens(db):
    return factories.ChannelFactory(code="store-screens", name="Store screens",
                                    locales=["en", "fr", "pl"], renditions=[])


@pytest.fixture
def paris(screens):
    return Store.objects.create(code="paris-opera", name="Paris Opéra", country="FR",
                                locales=["fr", "en"], channel=screens)


@pytest.fixture
def lyon(screens):
    return Store.objects.create(code="lyon", name="Lyon Bellecour", country="FR",
                                locales=["fr"], channel=screens)


@pytest.fixture
def warsaw(screens):
    return Store.objects.create(code="warsaw", name="Warszawa", country="PL", locales=["pl"],
                                channel=screens)


@pytest.fixture
def dress(screens):
    product = make_product(style_code="WD-25-0001")
    publish(product, screens)
    return product


def bearer(raw: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def reviews():
    return bearer(partner_token_create(kind="reviews").raw)


@pytest.fixture
def paris_system(paris):
    return bearer(partner_token_create(kind="store", store=paris).raw)


@pytest.fixture
def screens_channel(screens):
    return bearer(channel_token_create(channel=screens, name="screens").raw)


@pytest.fixture
def paris_screen(paris):
    return screen_token_create(store=paris)


@pytest.fixture
def anonymous():
    return APIClient()
