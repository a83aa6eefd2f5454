"""A client that applies the delta feed from the server's watermark ends with exactly what a
full pull gives, whatever happened between its pulls."""
import io

from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction

from api.services import channel_token_create
from catalog.services.publishing import snapshots_touch
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
    """What a channel's client keeps: style code → product, fed by delta pulls from the
    watermark of its last pull. It passes only the cursor from page to page."""

    def __init__(self, client, locale):
        self.client, self.locale = client, locale
        self.products, self.watermark, self.pulls = {}, None, []

    def sync(self):
        params = {"locale": self.locale, "page_size": 2}
        if self.watermark:
            params["updated_since"] = self.watermark
        response = self.client.get(LIST, params)
        seen = []
        while True:
            assert response.status_code == 200, response.content
            body = response.json()
            assert response["X-PIM-Watermark"] == body["watermark"]
            for item in body["results"]:
                seen.append(item["style_code"])
                if item.get("deleted"):
                    self.products.pop(item["style_code"], None)
                else:
                    self.products[item["style_code"]] = item
            if not body["next"]:
                break
            cursor = body["next"].split("cursor=", 1)[1]
            response = self.client.get(LIST, {"cursor": cursor})
        self.watermark = body["watermark"]
        self.pulls.append(seen)
        return seen


def full_pull(client, locale):
    mirror = Mirror(client, locale)
    mirror.sync()
    return mirror.products


def staff(username, role):
    user = factories.UserFactory(username=username, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


def test_mirror_equals_a_full_pull_through_every_kind_of_change(screens, settings):
    roles_setup()
    merch, manager = staff("merch", MERCHANDISER), staff("manager", CONTENT_MANAGER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {channel_token_create(channel=screens, name='t').raw}")
    mirror = Mirror(client, "fr")

    def in_step():
        assert mirror.products == full_pull(client, "fr")

    products = [make_complete_product(photos=1) for _ in range(4)]
    for product in products:
        product_submit(product=product, user=merch)
        product_approve(product=product, user=manager, channels=[screens])
    draft = make_complete_product(photos=1)
    mirror.sync()
    in_step()
    assert len(mirror.products) == 4 and draft.style_code not in mirror.products

    # Edit the working copy: nothing changes for the client until the next approval.
    edited = products[0]
    edited.refresh_from_db()
    edited.name_fr = "Robe en lin lavé"
    edited.save()
    assert mirror.sync() == []
    in_step()
    assert mirror.products[edited.style_code]["name"] == "Robe en lin"

    # Re-approve, archive, unpublish.
    product_submit(product=edited, user=merch)
    product_approve(product=edited, user=manager, channels=[screens])
    product_archive(product=products[1], user=manager)
    product_unpublish(product=products[2], user=manager, channels=[screens])
    assert sorted(mirror.sync()) == sorted(p.style_code for p in products[:3])
    in_step()
    assert mirror.products[edited.style_code]["name"] == "Robe en lin lavé"
    assert mirror.products[edited.style_code]["version"] == 2
    assert set(mirror.products) == {edited.style_code, products[3].style_code}

    # Re-approving unchanged content: nothing new to pull.
    product_submit(product=edited, user=merch)
    product_approve(product=edited, user=manager, channels=[screens])
    assert mirror.sync() == []

    # Published again after the unpublish: the client gets it back.
    products[2].refresh_from_db()
    product_submit(product=products[2], user=merch)
    product_approve(product=products[2], user=manager, channels=[screens])
    assert mirror.sync() == [products[2].style_code]
    in_step()
    assert len(mirror.products) == 3

    # Live data written beside the snapshot (ratings, stock): the product comes back.
    with transaction.atomic():
        products[3].rating_count = 13
        products[3].save(update_fields=["rating_count"])
        assert snapshots_touch(product_ids=[products[3].pk]) == 2  # en and fr
    assert mirror.sync() == [products[3].style_code]
    in_step()

    # Media served from a new domain: full pulls show it at once; delta clients once the
    # feeds are touched, without any re-approval.
    before = mirror.products[edited.style_code]["colours"][0]["photos"][0]["renditions"]
    settings.MEDIA_URL = "https://cdn.example.com/media/"
    fresh = full_pull(client, "fr")
    [rendition] = fresh[edited.style_code]["colours"][0]["photos"][0]["renditions"].values()
    assert rendition["url"].startswith("https://cdn.example.com/media/renditions/")
    assert rendition["width"] == 80 and rendition["height"] == 100
    assert [r["url"] for r in before.values()] != [rendition["url"]]
    call_command("touch_snapshots", stdout=io.StringIO())
    assert sorted(mirror.sync()) == sorted(mirror.products)
    in_step()
    assert edited.style_code in mirror.products and mirror.products[edited.style_code]["version"] == 2
