"""POST /api/v1/stores/{store}/stock/: batches from store systems (DOMAIN sections 7, 12)."""
from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.services import token_revoke
from api.stores.services import partner_token_create
from catalog.models import ProductSnapshot, Variant
from catalog.stores.models import StoreStock
from tests import factories

from .conftest import bearer

pytestmark = pytest.mark.django_db
URL = "/api/v1/stores/{}/stock/"
T0 = datetime(2026, 3, 1, 9, 30, tzinfo=timezone.utc)


def at(minutes=0):
    return (T0 + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")


def post(client, store, lines):
    return client.post(URL.format(store), {"lines": lines}, format="json")


def stock(store):
    return dict(StoreStock.objects.filter(store=store).values_list("variant__sku", "quantity"))


def test_a_batch_writes_stock_by_gtin_or_sku(paris_system, paris, dress):
    red_s, red_m, black_m = Variant.objects.filter(colour__product=dress).order_by("id")
    response = post(paris_system, "paris-opera", [
        {"gtin": red_s.gtin, "quantity": 3, "as_of": at()},
        {"sku": red_m.sku, "quantity": 0, "as_of": at()},
        {"gtin": black_m.gtin[1:], "quantity": 7, "as_of": "2026-03-01T10:30:00+01:00"},
    ])
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body == {"store": "paris-opera", "received": 3, "applied": 3, "unchanged": 0,
                    "ignored": [], "errors": []}
    assert stock(paris) == {red_s.sku: 3, red_m.sku: 0, black_m.sku: 7}


def test_sending_the_same_batch_again_changes_nothing(paris_system, paris, dress):
    variant = Variant.objects.filter(colour__product=dress).first()
    lines = [{"sku": variant.sku, "quantity": 4, "as_of": at()}]
    assert post(paris_system, "paris-opera", lines).json()["applied"] == 1
    written = StoreStock.objects.get(store=paris).updated_at
    again = post(paris_system, "paris-opera", lines)
    assert again.status_code == 200
    assert again.json()["applied"] == 0 and again.json()["unchanged"] == 1
    assert StoreStock.objects.get(store=paris).updated_at == written


def test_a_line_older_than_the_stored_count_is_ignored(paris_system, paris, dress):
    variant = Variant.objects.filter(colour__product=dress).first()
    post(paris_system, "paris-opera", [{"sku": variant.sku, "quantity": 5, "as_of": at(10)}])
    late = post(paris_system, "paris-opera", [{"sku": variant.sku, "quantity": 9, "as_of": at(5)}])
    assert late.status_code == 200 and late.json()["ignored"] == [0]
    assert late.json()["applied"] == 0
    assert stock(paris) == {variant.sku: 5}
    newer = post(paris_system, "paris-opera", [{"sku": variant.sku, "quantity": 2, "as_of": at(11)}])
    assert newer.json()["applied"] == 1 and stock(paris) == {variant.sku: 2}


def test_within_a_batch_the_latest_line_of_a_variant_wins(paris_system, paris, dress):
    variant = Variant.objects.filter(colour__product=dress).first()
    response = post(paris_system, "paris-opera", [
        {"sku": variant.sku, "quantity": 1, "as_of": at(3)},
        {"sku": variant.sku, "quantity": 8, "as_of": at(1)},
    ])
    assert response.json()["ignored"] == [1] and stock(paris) == {variant.sku: 1}


def test_bad_lines_are_listed_by_index_and_the_good_ones_apply(paris_system, paris, dress):
    variant = Variant.objects.filter(colour__product=dress).first()
    response = post(paris_system, "paris-opera", [
        {"sku": variant.sku, "quantity": 2, "as_of": at()},
        {"gtin": "5901234123457", "quantity": 1, "as_of": at()},
        {"sku": "NO-SUCH-SKU", "quantity": 1, "as_of": at()},
        {"sku": variant.sku, "quantity": -1, "as_of": at()},
        {"sku": variant.sku, "quantity": 1, "as_of": at(), "store": "lyon"},
        {"gtin": "5901234123458", "quantity": 1, "as_of": at()},
        {"sku": variant.sku, "quantity": 1, "as_of": "yesterday"},
        {"sku": variant.sku, "quantity": "many", "as_of": at()},
        {"quantity": 1, "as_of": at()},
        "not an object",
        {"sku": variant.sku, "quantity": 1, "as_of": "2026-03-01T12:99:00Z"},
        {"sku": variant.sku, "quantity": 1, "as_of": "1137-02-28T22:22:24+05:00"},
        {"sku": variant.sku, "quantity": 1, "as_of": "2099-01-01T00:00:00Z"},
        {"sku": variant.sku, "quantity": 10**12, "as_of": at()},
    ])
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_lines" and body["applied"] == 1
    assert "13 of 14 lines refused" in body["detail"]
    codes = {e["index"]: e["code"] for e in body["errors"]}
    assert codes == {1: "unknown_gtin", 2: "unknown_sku", 3: "negative_quantity",
                     4: "other_store", 5: "invalid_gtin", 6: "invalid_as_of", 7: "invalid",
                     8: "invalid", 9: "invalid", 10: "invalid_as_of", 11: "invalid_as_of",
                     12: "invalid_as_of", 13: "invalid"}
    assert all(e["message"] for e in body["errors"])
    assert "check digit" in next(e for e in body["errors"] if e["index"] == 5)["message"]
    assert stock(paris) == {variant.sku: 2}


@pytest.mark.parametrize("body", [{}, {"lines": []}, {"lines": "x"}, [1, 2], {"lines": None}])
def test_a_malformed_body_is_a_400_that_writes_nothing(paris_system, paris, body):
    response = paris_system.post(URL.format("paris-opera"), body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert not StoreStock.objects.exists()


def test_broken_json_is_a_400(paris_system, paris):
    response = paris_system.post(URL.format("paris-opera"), b'{"lines": [',
                                 content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"]


def test_more_than_ten_thousand_lines_are_refused(paris_system, paris):
    lines = [{"sku": "X", "quantity": 1, "as_of": at()}] * 10_001
    response = post(paris_system, "paris-opera", lines)
    assert response.status_code == 400 and response.json()["code"] == "invalid"


def test_another_stores_path_is_not_found(paris_system, paris, lyon, dress):
    variant = Variant.objects.filter(colour__product=dress).first()
    response = post(paris_system, "lyon", [{"sku": variant.sku, "quantity": 1, "as_of": at()}])
    assert response.status_code == 404 and response.json()["code"] == "store_not_found"
    assert post(paris_system, "nowhere", []).status_code == 404
    assert not StoreStock.objects.exists()


def test_tokens_other_than_the_stores_own_are_refused(
        anonymous, reviews, screens_channel, paris, dress):
    lines = [{"sku": "X", "quantity": 1, "as_of": at()}]
    assert post(anonymous, "paris-opera", lines).status_code == 401
    assert post(bearer("pim_nothing_here"), "paris-opera", lines).status_code == 401
    channel = post(screens_channel, "paris-opera", lines)
    assert channel.status_code == 401 and "partner token" in channel.json()["detail"]
    wrong_kind = post(reviews, "paris-opera", lines)
    assert wrong_kind.status_code == 403 and wrong_kind.json()["code"] == "wrong_token_kind"
    issued = partner_token_create(kind="store", store=paris)
    token_revoke(token=issued.token)
    revoked = post(bearer(issued.raw), "paris-opera", lines)
    assert revoked.status_code == 401 and "revoked" in revoked.json()["detail"]


def test_a_stock_write_touches_the_store_channels_snapshots_for_delta_feeds(
        paris_system, paris, dress):
    before = dict(ProductSnapshot.objects.values_list("locale", "updated_at"))
    variant = Variant.objects.filter(colour__product=dress).first()
    post(paris_system, "paris-opera", [{"sku": variant.sku, "quantity": 1, "as_of": at()}])
    after = dict(ProductSnapshot.objects.values_list("locale", "updated_at"))
    assert set(after) == {"en", "fr", "pl"}
    assert all(after[locale] > before[locale] for locale in after)
    assert set(ProductSnapshot.objects.values_list("version", flat=True)) == {1}


def test_a_thousand_line_batch_is_a_bounded_number_of_queries(paris_system, paris):
    product = factories.ProductFactory()
    colour = factories.ColourFactory(product=product)
    Variant.objects.bulk_create([
        Variant(colour=colour, size_label=str(n), sku=f"BULK-{n:05d}",
                gtin=factories.valid_gtin(700_000 + n)) for n in range(1_000)])
    lines = [{"sku": f"BULK-{n:05d}", "quantity": n % 7, "as_of": at()} for n in range(500)]
    lines += [{"gtin": factories.valid_gtin(700_000 + n), "quantity": 1, "as_of": at()}
              for n in range(500, 1_000)]
    with CaptureQueriesContext(connection) as queries:
        response = post(paris_system, "paris-opera", lines)
    assert response.status_code == 200 and response.json()["applied"] == 1_000
    assert len(queries) <= 10, [q["sql"][:80] for q in queries]
    with CaptureQueriesContext(connection) as again:
        assert post(paris_system, "paris-opera", lines).json()["unchanged"] == 1_000
    assert len(again) <= 10


def test_a_newer_count_written_meanwhile_by_another_batch_is_kept(paris, dress):
    """The upsert itself refuses to go back in time, whatever the batch read before."""
    from catalog.stores.services import _upsert

    variant = Variant.objects.filter(colour__product=dress).first()
    newer = T0 + timedelta(minutes=30)
    StoreStock.objects.create(store=paris, variant=variant, quantity=6, as_of=newer,
                              updated_at=newer)
    _upsert(store=paris, rows=[(variant.pk, 1, T0)], now=T0)
    assert StoreStock.objects.get().quantity == 6
    _upsert(store=paris, rows=[(variant.pk, 2, newer + timedelta(seconds=1))], now=T0)
    assert StoreStock.objects.get().quantity == 2
