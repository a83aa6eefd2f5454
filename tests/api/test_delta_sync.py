"""A client that applies the delta feed ends with exactly what the catalog has published."""
import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from api.services import channel_token_create
from catalog.models import ProductSnapshot
from catalog.services.roles import CONTENT_MANAGER, MERCHANDISER, roles_setup
from catalog.services.workflow import (
    product_approve,
    product_archive,
    product_submit,
    product_unpublish,
)
from rest_framework.test import APIClient
from tests import factories
from tests.workflow.conftest import make_complete_product, screens  # noqa: F401 (fixture)

LIST = "/api/v1/channels/store-screens/products/"


class Mirror:
    """What a channel's client keeps: style code → product, fed by delta pulls."""

    def __init__(self, client, locale):
        self.client, self.locale = client, locale
        self.products, self.since = {}, None

    def sync(self):
        started = timezone.now()
        params = {"locale": self.locale, "page_size": 2}
        if self.since:
            params["updated_since"] = self.since.isoformat()
        response = self.client.get(LIST, params)
        while True:
            assert response.status_code == 200, response.content
            body = response.json()
            for item in body["results"]:
                if item.get("deleted"):
                    self.products.pop(item["style_code"], None)
                else:
                    self.products[item["style_code"]] = item
            if not body["next"]:
                break
            response = self.client.get(body["next"])
        self.since = started


def staff(username, role):
    user = factories.UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_delta_round_trip_through_the_workflow(screens):
    roles_setup()
    merch, manager = staff("merch", MERCHANDISER), staff("manager", CONTENT_MANAGER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {channel_token_create(channel=screens, name='t').raw}")
    mirror = Mirror(client, "fr")

    def catalog_now():
        return {
            s.style_code: s.payload
            for s in ProductSnapshot.objects.filter(channel=screens, locale="fr", deleted=False)
        }

    products = [make_complete_product(photos=1) for _ in range(4)]
    for product in products:
        product_submit(product=product, user=merch)
        product_approve(product=product, user=manager, channels=[screens])
    draft = make_complete_product(photos=1)
    mirror.sync()
    assert mirror.products == catalog_now() and len(mirror.products) == 4
    assert draft.style_code not in mirror.products

    # Edit the working copy: nothing changes for the client until the next approval.
    edited = products[0]
    edited.refresh_from_db()
    edited.name_fr = "Robe en lin lavé"
    edited.save()
    mirror.sync()
    assert mirror.products[edited.style_code]["name"] == "Robe en lin"
    product_submit(product=edited, user=merch)
    product_approve(product=edited, user=manager, channels=[screens])
    product_archive(product=products[1], user=manager)
    product_unpublish(product=products[2], user=manager, channels=[screens])
    mirror.sync()
    assert mirror.products == catalog_now()
    assert mirror.products[edited.style_code]["name"] == "Robe en lin lavé"
    assert mirror.products[edited.style_code]["version"] == 2
    assert set(mirror.products) == {edited.style_code, products[3].style_code}

    # Published again after the unpublish: the client gets it back.
    products[2].refresh_from_db()
    product_submit(product=products[2], user=merch)
    product_approve(product=products[2], user=manager, channels=[screens])
    mirror.sync()
    assert mirror.products == catalog_now() and len(mirror.products) == 3
