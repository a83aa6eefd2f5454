"""The feed's watermark never skips a change, even one whose transaction was open during a
pull; the cursor alone carries the query; touched products come back."""
import threading

import pytest
from django.db import connection, transaction

from catalog.models import ProductSnapshot
from catalog.services.publishing import snapshots_publish, snapshots_touch

from .conftest import make_product, publish, unpublish

LIST = "/api/v1/channels/webshop/products/"


def pull(api, **params):
    """Every item of a pull and the watermark at its end, following cursors alone."""
    response = api.get(LIST, params)
    items = []
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        if not body["next"]:
            return items, body["watermark"]
        response = api.get(LIST, {"cursor": body["next"].split("cursor=", 1)[1]})


def test_each_page_gives_the_watermark_in_body_and_header(api, webshop):
    products = [make_product() for _ in range(3)]
    for product in products:
        publish(product, webshop)
    first = api.get(LIST, {"page_size": 2})
    body = first.json()
    assert first["X-PIM-Watermark"] == body["watermark"]
    # Mid-pull, the watermark is the last row's position: a delta from it lists the rest.
    rest, _ = pull(api, updated_since=body["watermark"])
    assert [i["style_code"] for i in rest] == [products[2].style_code]
    _, end = pull(api)
    assert pull(api, updated_since=end) == ([], end)


def test_cursor_alone_keeps_locale_and_tombstones(api, webshop):
    products = [make_product() for _ in range(3)]
    for product in products:
        publish(product, webshop)
    _, watermark = pull(api)
    for product in products:
        product.name_fr = f"Robe {product.pk}"
        product.save()
        publish(product, webshop)
    unpublish(products[1], webshop)
    first = api.get(LIST, {"locale": "fr", "updated_since": watermark, "page_size": 1}).json()
    items, _ = pull(api, cursor=first["next"].split("cursor=", 1)[1])
    items = first["results"] + items
    assert [(i["style_code"], i.get("deleted", False)) for i in items] == [
        (products[0].style_code, False), (products[2].style_code, False),
        (products[1].style_code, True),
    ]
    assert all(i["name"].startswith("Robe ") for i in items if not i.get("deleted"))


def test_parameters_beside_a_cursor_must_agree_with_it(api, webshop):
    for _ in range(2):
        publish(make_product(), webshop)
    cursor = api.get(LIST, {"page_size": 1, "locale": "fr"}).json()["next"].split("cursor=")[1]
    assert api.get(LIST, {"cursor": cursor, "locale": "fr", "page_size": 1}).status_code == 200
    refused = api.get(LIST, {"cursor": cursor, "locale": "en"})
    assert refused.status_code == 400 and refused.json()["code"] == "cursor_mismatch"
    assert "locale" in refused.json()["detail"]
    refused = api.get(LIST, {"cursor": cursor, "updated_since": "2025-01-01T00:00:00Z"})
    assert refused.status_code == 400 and refused.json()["code"] == "cursor_mismatch"


@pytest.mark.parametrize("value", ["1.2.3", "-1.0", "99999999999999999999.1", "1.", ".1"])
def test_malformed_watermark_is_400(api, webshop, value):
    response = api.get(LIST, {"updated_since": value})
    assert response.status_code == 400 and response.json()["code"] == "invalid_updated_since"


def test_a_touched_product_comes_back_in_the_delta_with_a_new_etag(api, webshop):
    touched, other = make_product(), make_product()
    publish(touched, webshop)
    publish(other, webshop)
    _, watermark = pull(api)
    url = f"{LIST}{touched.style_code}/"
    etag = api.get(url)["ETag"]
    with transaction.atomic():
        touched.rating_average, touched.rating_count = "4.20", 31
        touched.save(update_fields=["rating_average", "rating_count"])
        assert snapshots_touch(product_ids=[touched.pk]) == 2
    items, after = pull(api, updated_since=watermark)
    assert [i["style_code"] for i in items] == [touched.style_code]
    assert after != watermark and pull(api, updated_since=after)[0] == []
    fresh = api.get(url, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
    assert fresh.json()["version"] == 1  # no new version: nothing was approved
    # Nothing published here: nothing to touch.
    assert snapshots_touch(product_ids=[make_product().pk]) == 0


def test_unchanged_re_approval_keeps_version_and_position(api, webshop):
    product = make_product()
    publish(product, webshop)
    before = list(ProductSnapshot.objects.values_list("version", "sequence", "published_at"))
    assert publish(product, webshop) == []
    assert list(ProductSnapshot.objects.values_list("version", "sequence", "published_at")) == before


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises writers against readers; the race needs PostgreSQL")
def test_a_publish_open_during_a_pull_is_in_the_next_delta(api, webshop):
    """An approval whose transaction is open while a client pulls, and commits after, sorts
    after the watermark that pull gave: the client's next delta lists it."""
    early, slow, late = make_product(), make_product(), make_product()
    publish(early, webshop)
    started, release, done = threading.Event(), threading.Event(), threading.Event()
    errors = []

    def approve_slowly():
        try:
            with transaction.atomic():
                snapshots_publish(product=slow, channels=[webshop])
                started.set()
                assert release.wait(30)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()
            done.set()

    thread = threading.Thread(target=approve_slowly)
    thread.start()
    try:
        assert started.wait(30)
        items, watermark = pull(api)
        assert [i["style_code"] for i in items] == [early.style_code]
    finally:
        release.set()
        thread.join(30)
    assert done.is_set() and not errors, errors
    publish(late, webshop)  # after the slow one commits
    items, _ = pull(api, updated_since=watermark)
    assert [i["style_code"] for i in items] == [slow.style_code, late.style_code]
