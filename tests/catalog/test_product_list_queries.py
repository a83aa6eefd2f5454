"""The product list at any size: the same number of queries for its first page, a deep page, a
search by code or word and the completeness filter, and a bounded count past a cap."""
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.admin.pagination import KeysFirstPaginator
from catalog.models import Product, Variant

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:catalog_product_changelist")


def load(products: int) -> None:
    call_command("load_demo", products=products, no_admin=True, catalog_only=True, stdout=None)
    call_command("recompute_completeness", "--no-progress", stdout=None)


def requests() -> dict[str, dict]:
    product = Product.objects.order_by("pk").first()
    variant = Variant.objects.filter(colour__product=product).first()
    return {
        "first page": {},
        "deep page": {"p": "2"},
        "style code": {"q": product.style_code},
        "sku": {"q": variant.sku},
        "gtin": {"q": variant.gtin},
        "word": {"q": "wool"},
        "filter": {"completeness": "webshop:fr:incomplete"},
        "filter and word": {"completeness": "webshop:*:incomplete", "q": "dress"},
    }


def queries(client) -> dict[str, int]:
    counts = {}
    for name, params in requests().items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(LIST_URL, params)
        assert response.status_code == 200, name
        assert response.context["cl"].result_list, name
        counts[name] = len(captured)
    return counts


def test_list_queries_do_not_grow_with_the_catalog(admin_client):
    load(120)
    small = queries(admin_client)
    load(400)
    assert queries(admin_client) == small


def test_the_count_stops_at_a_cap_and_says_so(admin_client, monkeypatch):
    monkeypatch.setattr(KeysFirstPaginator, "count_cap", 100)
    load(180)
    response = admin_client.get(LIST_URL)
    cl = response.context["cl"]
    assert cl.paginator.count_bounded and cl.result_count == 100
    assert "100+ products" in response.content.decode()
    # A page past the cap is still served, counted a page beyond it.
    response = admin_client.get(LIST_URL, {"p": "3"})
    cl = response.context["cl"]
    assert [p.style_code for p in cl.result_list] == list(
        Product.objects.order_by("style_code").values_list("style_code", flat=True)[100:150])
    assert cl.paginator.count_bounded is False and cl.result_count == 180
    # A search is counted exactly, from its page query.
    response = admin_client.get(LIST_URL, {"q": "dress"})
    cl = response.context["cl"]
    expected = Product.objects.filter(name_en__icontains="dress").count()
    assert cl.result_count == expected and not cl.paginator.count_bounded
