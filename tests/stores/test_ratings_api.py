"""PUT /api/v1/products/{style_code}/ratings/: the reviews platform's live data."""
import pytest

from catalog.models import Product, ProductSnapshot
from tests.api.conftest import publish

from .conftest import bearer

pytestmark = pytest.mark.django_db
URL = "/api/v1/products/{}/ratings/"


def test_ratings_are_served_live_in_every_published_snapshot(reviews, screens, webshop, api,
                                                              dress):
    publish(dress, screens, webshop)
    detail = f"/api/v1/channels/webshop/products/{dress.style_code}/"
    first = api.get(detail, {"locale": "fr"})
    assert first.json()["ratings"] is None
    listed = api.get("/api/v1/channels/webshop/products/", {"updated_since": "2000-01-01T00:00:00Z"})
    watermark = max(s.updated_at for s in ProductSnapshot.objects.all())

    response = reviews.put(URL.format(dress.style_code), {"average": 4.35, "count": 120},
                           format="json")
    assert response.status_code == 200, response.json()
    assert response.json() == {"style_code": dress.style_code, "average": 4.35, "count": 120}

    again = api.get(detail, {"locale": "fr"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200 and again["ETag"] != first["ETag"]
    assert again.json()["ratings"] == {"average": 4.35, "count": 120}
    assert again.json()["version"] == first.json()["version"]  # no new approval
    delta = api.get("/api/v1/channels/webshop/products/",
                    {"updated_since": watermark.isoformat()}).json()["results"]
    assert [p["style_code"] for p in delta] == [dress.style_code]
    assert delta[0]["ratings"] == {"average": 4.35, "count": 120}
    assert listed.status_code == 200
    dress.refresh_from_db()
    assert dress.rating_count == 120 and str(dress.rating_average) == "4.35"
    assert dress.history.first().history_change_reason.startswith("Ratings from")


def test_the_same_ratings_again_write_nothing(reviews, dress):
    reviews.put(URL.format(dress.style_code), {"average": 4, "count": 3}, format="json")
    stamp = Product.objects.get(pk=dress.pk).updated_at
    assert reviews.put(URL.format(dress.style_code), {"average": "4.00", "count": 3},
                       format="json").status_code == 200
    assert Product.objects.get(pk=dress.pk).updated_at == stamp


def test_a_count_of_zero_clears_the_ratings(reviews, dress):
    reviews.put(URL.format(dress.style_code), {"average": 4, "count": 3}, format="json")
    response = reviews.put(URL.format(dress.style_code), {"average": None, "count": 0},
                           format="json")
    assert response.json() == {"style_code": dress.style_code, "average": None, "count": 0}
    payloads = ProductSnapshot.objects.values_list("payload", flat=True)
    assert len(payloads) == 3 and all(p["ratings"] is None for p in payloads)


@pytest.mark.parametrize("body, field", [
    ({"average": 5.5, "count": 3}, "average"),
    ({"average": -1, "count": 3}, "average"),
    ({"average": 4.123, "count": 3}, "average"),
    ({"average": "NaN", "count": 3}, "average"),
    ({"average": 4, "count": -2}, "count"),
    ({"average": 4}, "count"),
    ({"average": None, "count": 5}, "average"),
])
def test_bad_ratings_are_refused_and_nothing_changes(reviews, dress, body, field):
    response = reviews.put(URL.format(dress.style_code), body, format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    dress.refresh_from_db()
    assert dress.rating_count == 0 and dress.rating_average is None


def test_an_unknown_product_is_not_found(reviews, db):
    response = reviews.put(URL.format("NOPE-1"), {"average": 4, "count": 1}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "product_not_found"


def test_only_a_reviews_token_writes_ratings(anonymous, paris_system, screens_channel, dress):
    body = {"average": 4, "count": 1}
    assert anonymous.put(URL.format(dress.style_code), body, format="json").status_code == 401
    channel = screens_channel.put(URL.format(dress.style_code), body, format="json")
    assert channel.status_code == 401 and "partner token" in channel.json()["detail"]
    store = paris_system.put(URL.format(dress.style_code), body, format="json")
    assert store.status_code == 403 and store.json()["code"] == "wrong_token_kind"
    assert bearer("garbage").put(URL.format(dress.style_code), body,
                                 format="json").status_code == 401
