"""The product detail answered from the stored snapshot: few queries, a 304 that reads no
payload, gzip on request."""
import gzip

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalog.services.publishing import snapshots_touch

from .conftest import make_product, publish

pytestmark = pytest.mark.django_db


def detail(product):
    return f"/api/v1/channels/webshop/products/{product.style_code}/"


def warm(api, url):
    api.get(url)  # the token's last use is stamped once in a while, not at every request


def test_a_200_costs_two_queries_and_a_304_reads_no_payload(api, published):
    url = detail(published)
    warm(api, url)
    with CaptureQueriesContext(connection) as ok:
        first = api.get(url, {"locale": "fr"})
    assert first.status_code == 200 and first.json()["name"] == "Robe en lin"
    assert len(ok.captured_queries) == 2  # the token with its channel, the snapshot

    with CaptureQueriesContext(connection) as same:
        again = api.get(url, {"locale": "fr"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again["ETag"] == first["ETag"] and not again.content
    assert len(same.captured_queries) == 2
    assert "payload" not in same.captured_queries[-1]["sql"]

    # A stale ETag reads the payload once more: at most three queries.
    with CaptureQueriesContext(connection) as stale:
        changed = api.get(url, {"locale": "fr"}, HTTP_IF_NONE_MATCH='"stale"')
    assert changed.status_code == 200 and len(stale.captured_queries) <= 3


def test_the_etag_follows_locale_position_and_media_base(api, published, settings):
    url = detail(published)
    en, fr = api.get(url, {"locale": "en"}), api.get(url, {"locale": "fr"})
    assert en["ETag"] != fr["ETag"]

    snapshots_touch(product_ids=[published.pk])  # live data changed: a new position
    touched = api.get(url, {"locale": "fr"}, HTTP_IF_NONE_MATCH=fr["ETag"])
    assert touched.status_code == 200 and touched["ETag"] != fr["ETag"]

    settings.PIM_PUBLIC_URL = "https://cdn.example.com"
    moved = api.get(url, {"locale": "fr"}, HTTP_IF_NONE_MATCH=touched["ETag"])
    assert moved.status_code == 200 and moved["ETag"] != touched["ETag"]


def test_the_detail_is_gzipped_and_its_weak_etag_still_matches(api, webshop):
    product = make_product(description_en="<p>" + "Washed linen. " * 200 + "</p>")
    publish(product, webshop)
    url = detail(product)
    packed = api.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip"
    assert orjson.loads(gzip.decompress(packed.content))["style_code"] == product.style_code
    assert packed["ETag"].startswith("W/")
    again = api.get(url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304


def test_lists_keep_their_etag_and_last_modified(api, published):
    listing = api.get("/api/v1/channels/webshop/products/")
    assert listing.status_code == 200 and listing["ETag"] and listing["Last-Modified"]
    assert api.get("/api/v1/channels/webshop/products/",
                   HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
