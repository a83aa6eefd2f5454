"""HTTP as clients use it: compression, conditional requests, languages, CORS, budgets."""
import gzip

import orjson
import pytest

from .conftest import make_product, publish

LIST = "/api/v1/channels/webshop/products/"


def test_answers_are_gzipped_for_clients_that_accept_it(api, webshop):
    for _ in range(3):
        publish(make_product(), webshop)
    plain = api.get(LIST)
    packed = api.get(LIST, HTTP_ACCEPT_ENCODING="gzip")
    assert packed["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed["Vary"]
    assert orjson.loads(gzip.decompress(packed.content)) == plain.json()
    assert len(packed.content) < len(plain.content) / 3
    # The ETag of the compressed answer is the weak form of the plain one, and still matches.
    assert packed["ETag"] == f"W/{plain['ETag']}"
    again = api.get(LIST, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=packed["ETag"])
    assert again.status_code == 304


@pytest.mark.parametrize("path", [LIST, "/api/v1/channels/webshop/categories/", "gtin"])
def test_lists_gtin_and_categories_answer_304_while_unchanged(api, webshop, path):
    product = make_product()
    publish(product, webshop)
    if path == "gtin":
        path = f"/api/v1/channels/webshop/gtin/{product.colours.first().variants.first().gtin}/"
    first = api.get(path)
    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert api.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    if path != "/api/v1/channels/webshop/categories/":
        assert first["Last-Modified"]
        assert api.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
        product.name_en = "Renamed"
        product.save()
        publish(product, webshop)
        changed = api.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
        assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_content_language_is_the_payloads_locale(api, webshop, published):
    response = api.get(f"{LIST}{published.style_code}/", {"locale": "fr"},
                       HTTP_ACCEPT_LANGUAGE="pl")
    assert response["Content-Language"] == "fr" and response.json()["name"] == "Robe en lin"
    assert api.get(LIST, HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "en"


def test_format_api_is_json_not_an_empty_404(api, webshop, published):
    response = api.get(LIST, {"format": "api"})
    assert response["Content-Type"].startswith("application/json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert "format" in response.json()["detail"]
    assert api.get(LIST, {"format": "json"}).status_code == 200


def test_cors_for_configured_origins_only(api, webshop, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://shop.example.com"]
    allowed = api.get(LIST, HTTP_ORIGIN="https://shop.example.com")
    assert allowed["Access-Control-Allow-Origin"] == "https://shop.example.com"
    assert "X-PIM-Watermark" in allowed["Access-Control-Expose-Headers"]
    other = api.get(LIST, HTTP_ORIGIN="https://evil.example.com")
    assert "Access-Control-Allow-Origin" not in other
    preflight = api.options(LIST, HTTP_ORIGIN="https://shop.example.com",
                            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
                            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization")
    assert preflight.status_code == 200
    assert "authorization" in preflight["Access-Control-Allow-Headers"]


def test_rate_limit_headers_count_down_and_429_says_when_to_retry(api, webshop, monkeypatch):
    from django.core.cache import caches

    from api.auth import ChannelTokenRateThrottle

    caches["default"].clear()
    monkeypatch.setattr(ChannelTokenRateThrottle, "THROTTLE_RATES",
                        {**ChannelTokenRateThrottle.THROTTLE_RATES, "channel_token": "3/minute"})
    answers = [api.get(LIST) for _ in range(4)]
    caches["default"].clear()
    assert [a["RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert answers[0]["RateLimit-Limit"] == "3" and answers[0]["RateLimit-Policy"] == "3;w=60"
    assert 0 < int(answers[0]["RateLimit-Reset"]) <= 60
    assert answers[3].status_code == 429 and int(answers[3]["Retry-After"]) > 0
    assert answers[3]["RateLimit-Remaining"] == "0"
