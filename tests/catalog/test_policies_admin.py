"""Brand defaults in the admin: shipping per market, one rate each."""
import pytest
from django.urls import reverse

from catalog.models import ShippingRate
from tests import factories
from tests.forms import add_inline_row, errors_of, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def brand(db):
    brand = factories.BrandFactory()
    factories.ShippingRateFactory(brand=brand, country="FR", cost="4.95")
    return brand


def change_url(brand):
    return reverse("admin:catalog_brand_change", args=[brand.pk])


def test_brand_default_shipping_per_market(admin_client, brand):
    data = form_data(admin_client.get(change_url(brand)))
    add_inline_row(data, "shipping_rates", country="PL", cost="19.00", currency="PLN",
                   min_days="3", max_days="6")
    response = admin_client.post(change_url(brand), data)
    assert response.status_code == 302, errors_of(response)
    assert dict(brand.shipping_rates.values_list("country", "currency")) == {"FR": "EUR",
                                                                             "PL": "PLN"}


def test_a_stored_market_posted_again_as_a_new_row_is_refused(admin_client, brand):
    """A hand-made post can present the stored FR rate as a new row: refused, not a 500."""
    data = form_data(admin_client.get(change_url(brand)))
    data["shipping_rates-INITIAL_FORMS"] = "0"
    data["shipping_rates-0-cost"] = "0.00"
    response = admin_client.post(change_url(brand), data)
    assert "The brand already has a default rate for this market." in errors_of(response)
    assert [(r.country.code, str(r.cost)) for r in ShippingRate.objects.all()] == [("FR", "4.95")]
