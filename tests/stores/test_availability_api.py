"""GET /api/v1/channels/{channel}/products/{style_code}/availability/: live store stock."""
from datetime import datetime, timezone

import pytest

from catalog.models import Variant
from catalog.stores.services import stock_write

pytestmark = pytest.mark.django_db
URL = "/api/v1/channels/{}/products/{}/availability/"
AS_OF = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc).isoformat()


@pytest.fixture
def stocked(dress, paris, lyon, warsaw):
    red_s, red_m, black_m = Variant.objects.filter(colour__product=dress).order_by("id")
    stock_write(store=paris, lines=[{"sku": red_s.sku, "quantity": 2, "as_of": AS_OF},
                                    {"sku": red_m.sku, "quantity": 0, "as_of": AS_OF}])
    stock_write(store=lyon, lines=[{"sku": red_m.sku, "quantity": 5, "as_of": AS_OF}])
    stock_write(store=warsaw, lines=[{"sku": black_m.sku, "quantity": 9, "as_of": AS_OF}])
    return red_s, red_m, black_m


def test_every_variant_with_its_stock_in_each_store(screens_channel, stocked, dress):
    response = screens_channel.get(URL.format("store-screens", dress.style_code))
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["style_code"] == dress.style_code and body["store"] is None
    by_sku = {v["sku"]: v for v in body["variants"]}
    red_s, red_m, black_m = stocked
    assert [s["store"] for s in by_sku[red_m.sku]["stores"]] == ["lyon", "paris-opera"]
    assert by_sku[black_m.sku]["stores"][0]["quantity"] == 9
    assert by_sku[red_s.sku]["colour_code"] == "RED" and by_sku[red_s.sku]["size"] == "S"


def test_with_a_store_its_market_only_and_a_status(screens_channel, stocked, dress):
    body = screens_channel.get(URL.format("store-screens", dress.style_code),
                               {"store": "paris-opera"}).json()
    status = {v["sku"]: (v["status"], v["quantity_here"]) for v in body["variants"]}
    red_s, red_m, black_m = stocked
    # Warsaw's black M is another market: not available for a Paris customer.
    assert status == {red_s.sku: ("here", 2), red_m.sku: ("market", 0),
                      black_m.sku: ("none", 0)}


def test_bad_store_other_channel_and_unpublished_product(screens_channel, api, stocked, dress):
    assert screens_channel.get(URL.format("store-screens", dress.style_code),
                               {"store": "nowhere"}).json()["code"] == "invalid_store"
    other = api.get(URL.format("store-screens", dress.style_code))
    assert other.status_code == 404
    missing = screens_channel.get(URL.format("store-screens", "NOPE-1"))
    assert missing.status_code == 404 and missing.json()["code"] == "product_not_found"


def test_a_partner_token_does_not_read(paris_system, stocked, dress):
    assert paris_system.get(URL.format("store-screens", dress.style_code)).status_code == 401
