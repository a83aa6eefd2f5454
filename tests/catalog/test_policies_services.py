"""Returns policies, brands and shipping rates through their services."""
import pytest
from django.urls import reverse

from catalog.models import ReturnsPolicy, ShippingRate
from catalog.services.errors import ContentError
from catalog.services.policies import (
    brand_save,
    returns_policy_save,
    shipping_rates_check,
    shipping_rates_save,
)
from tests import factories
from tests.forms import add_inline_row, errors_of, form_data

pytestmark = pytest.mark.django_db


def rate(**fields):
    return ShippingRate(**{"country": "PL", "cost": "9.00", "currency": "PLN", "min_days": 2,
                           "max_days": 5, **fields})


def test_one_rate_per_market_among_the_rows_and_against_the_stored(db):
    brand = factories.BrandFactory()
    factories.ShippingRateFactory(brand=brand, country="FR")
    with pytest.raises(ContentError) as refused:
        shipping_rates_check(rates=[rate(brand=brand), rate(brand=brand, cost="12.00"),
                                    rate(brand=brand, country="FR", currency="EUR")])
    assert refused.value.paths == {
        "shipping_rates.1.country": ["Poland is listed twice: give each market one rate."],
        "shipping_rates.2":
            ["The brand already has a default rate for this market."],
    }


def test_days_and_cost_are_checked_on_their_field(db):
    category = factories.CategoryFactory()
    with pytest.raises(ContentError) as refused:
        shipping_rates_save(rates=[rate(category=category, min_days=6, max_days=3, cost="-1")])
    assert refused.value.paths == {
        "shipping_rates.0.max_days": ["Minimum delivery days cannot exceed the maximum."],
        "shipping_rates.0.cost": ["Ensure this value is greater than or equal to 0."],
    }
    assert not ShippingRate.objects.exists()


def test_a_rate_with_no_scope_or_two_is_refused(db):
    with pytest.raises(ContentError, match="exactly one of a brand, a category or a product"):
        shipping_rates_save(rates=[rate()])


def test_a_market_is_replaced_in_one_save(db):
    stored = factories.ShippingRateFactory(brand=factories.BrandFactory(), country="FR")
    shipping_rates_save(rates=[rate(brand=stored.brand, country="FR", cost="1.00",
                                    currency="EUR")], removed=[stored])
    assert [str(r.cost) for r in ShippingRate.objects.all()] == ["1.00"]


def test_returns_policy_and_brand_are_cleaned(db):
    with pytest.raises(ContentError) as refused:
        returns_policy_save(policy=ReturnsPolicy(name="Final sale", returnable=False, free=True))
    assert list(refused.value.paths) == ["free"]
    policy = returns_policy_save(policy=ReturnsPolicy(name="Final sale", returnable=False,
                                                      free=False))
    brand = factories.BrandFactory()
    brand.returns_policy, brand.code = policy, "not a code"
    with pytest.raises(ContentError, match="slug"):
        brand_save(brand=brand)


def test_a_new_default_returns_policy_recomputes_the_brand(db, monkeypatch,
                                                           django_capture_on_commit_callbacks):
    brand = factories.BrandFactory()
    scopes = []
    monkeypatch.setattr("catalog.tasks.completeness_recompute_scope_task.delay",
                        lambda **kw: scopes.append(kw))
    brand.returns_policy = factories.ReturnsPolicyFactory(name="Swimwear", days=0)
    with django_capture_on_commit_callbacks(execute=True):
        brand_save(brand=brand)
    assert [s["brand_id"] for s in scopes] == [brand.pk]


# Through the admin ---------------------------------------------------------------------------
def test_admin_refuses_min_days_above_max_on_the_row(admin_client):
    brand = factories.BrandFactory()
    url = reverse("admin:catalog_brand_change", args=[brand.pk])
    data = form_data(admin_client.get(url))
    add_inline_row(data, "shipping_rates", country="PL", cost="9.00", currency="PLN",
                   min_days="6", max_days="3")
    assert "Minimum delivery days cannot exceed the maximum." in errors_of(
        admin_client.post(url, data))
    assert not ShippingRate.objects.exists()


def test_admin_new_brand_with_rates(admin_client):
    policy = factories.ReturnsPolicyFactory()
    url = reverse("admin:catalog_brand_add")
    data = form_data(admin_client.get(url)) | {"code": "nord", "name": "Nord",
                                                "returns_policy": str(policy.pk)}
    for country in ("PL", "PL"):
        add_inline_row(data, "shipping_rates", country=country, cost="9.00", currency="PLN",
                       min_days="2", max_days="3")
    assert "Poland is listed twice" in errors_of(admin_client.post(url, data))
    data["shipping_rates-1-country"] = "DE"
    assert admin_client.post(url, data).status_code == 302
    assert sorted(ShippingRate.objects.filter(brand__code="nord")
                  .values_list("country", flat=True)) == ["DE", "PL"]


def test_admin_returns_policy_refused_by_the_model(admin_client):
    url = reverse("admin:catalog_returnspolicy_add")
    data = form_data(admin_client.get(url)) | {"name": "Final sale", "days": "0"}
    data.pop("returnable", None)
    data["free"] = "on"
    assert "A non-returnable policy cannot offer free returns." in errors_of(
        admin_client.post(url, data))
