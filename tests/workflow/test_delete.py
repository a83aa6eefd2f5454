"""Deleting a product: published ones leave tombstones on every channel, whatever the path."""
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from api.models import WebhookEvent
from catalog.models import Product, ProductSnapshot, PublishedGtin
from catalog.services.errors import ContentError
from catalog.services.workflow import product_delete
from tests import factories
from tests.api.conftest import (  # noqa: F401 (fixtures)
    api,
    make_product,
    marketplace,
    publish,
    token,
    unpublish,
    webshop,
)

pytestmark = pytest.mark.django_db
FEED = "/api/v1/channels/webshop/products/"


@pytest.fixture
def live(webshop, marketplace):
    """A product published on two channels, the webshop with a webhook."""
    webshop.webhook_url = "https://hooks.example.com/pim"
    webshop.save()
    product = make_product()
    publish(product, webshop, marketplace)
    return product


def assert_tombstoned(style_code, channels):
    snapshots = ProductSnapshot.objects.filter(style_code=style_code)
    assert {s.channel.code for s in snapshots} == channels
    assert all(s.deleted and s.product_id is None for s in snapshots)
    assert not PublishedGtin.objects.filter(style_code=style_code).exists()


def test_delete_tombstones_a_published_product_on_every_channel(api, live, admin_user):
    since = timezone.now()
    style_code = live.style_code
    tombstones = product_delete(product=live, user=admin_user)

    assert not Product.objects.filter(pk=live.pk).exists()
    assert {s.channel.code for s in tombstones} == {"webshop", "marketplace"}
    assert_tombstoned(style_code, {"webshop", "marketplace"})
    # The delta feed tells clients to delete; the full feed no longer lists it.
    delta = api.get(FEED, {"updated_since": since.isoformat()}).json()["results"]
    assert delta == [{"kind": "tombstone", "style_code": style_code, "deleted": True,
                      "version": 2}]
    assert api.get(FEED).json()["results"] == []
    assert api.get(f"{FEED}{style_code}/").status_code == 404
    # The webshop's webhook is told, in the same transaction.
    event = WebhookEvent.objects.get(style_code=style_code, event="unpublish")
    assert event.channel.code == "webshop" and event.version == 2


def test_delete_of_a_product_never_published(admin_user):
    product = make_product()
    assert product_delete(product=product, user=admin_user) == []
    assert not Product.objects.filter(pk=product.pk).exists()


def test_delete_needs_the_permission(live):
    clerk = factories.UserFactory(is_staff=True)
    with pytest.raises(PermissionDenied):
        product_delete(product=live, user=clerk)
    assert Product.objects.filter(pk=live.pk).exists()


def test_a_plain_delete_of_a_published_product_is_refused(live):
    """The shell's `product.delete()` and queryset deletes cannot leave it live in the feeds."""
    with pytest.raises(ContentError) as refused:
        live.delete()
    assert f"{live.style_code} is published on marketplace, webshop" in str(refused.value)
    assert "product_delete" in str(refused.value)
    assert refused.value.codes() == {"__all__": ["product_published"]}
    with pytest.raises(ContentError):
        Product.objects.filter(pk=live.pk).delete()
    assert Product.objects.filter(pk=live.pk).exists()
    assert ProductSnapshot.objects.filter(product=live, deleted=False).count() == 4


def test_a_plain_delete_of_an_unpublished_product_keeps_its_tombstones(live, webshop):
    unpublish(live)
    style_code = live.style_code
    live.delete()
    assert_tombstoned(style_code, {"webshop", "marketplace"})


def test_admin_delete_tombstones_the_product(admin_client, api, live):
    url = reverse("admin:catalog_product_delete", args=[live.pk])
    confirm = admin_client.get(url)
    assert confirm.status_code == 200
    assert "Cannot delete" not in confirm.content.decode()

    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Product.objects.filter(pk=live.pk).exists()
    assert_tombstoned(live.style_code, {"webshop", "marketplace"})
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("unpublished from marketplace, webshop" in m for m in messages)
    assert WebhookEvent.objects.filter(style_code=live.style_code, event="unpublish").exists()


def test_admin_bulk_delete_tombstones_each_product(admin_client, webshop):
    products = [make_product() for _ in range(2)]
    publish(products[0], webshop)
    changelist = reverse("admin:catalog_product_changelist")
    ids = [p.pk for p in products]
    confirm = admin_client.post(changelist, {"action": "delete_selected", "_selected_action": ids})
    assert confirm.status_code == 200 and "Cannot delete" not in confirm.content.decode()
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
    )
    assert response.status_code == 302
    assert not Product.objects.filter(pk__in=ids).exists()
    assert_tombstoned(products[0].style_code, {"webshop"})
