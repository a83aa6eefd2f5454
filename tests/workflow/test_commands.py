"""manage.py setup_roles and the load_demo workflow step."""
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from catalog.models import Product, ProductSnapshot, ProductTransition
from catalog.selectors import translation_waiting
from catalog.services.roles import CONTENT_MANAGER, MERCHANDISER, TRANSLATOR
from tests import factories

pytestmark = pytest.mark.django_db


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")}


def test_the_migration_created_the_roles(db):
    assert {MERCHANDISER, CONTENT_MANAGER, TRANSLATOR} <= set(
        Group.objects.values_list("name", flat=True))
    assert "catalog.submit_product" in perms(MERCHANDISER)


def test_setup_roles_is_idempotent_and_repairs_groups(db):
    Group.objects.get(name=MERCHANDISER).permissions.clear()
    stray = Group.objects.get(name=TRANSLATOR)
    stray.permissions.add(*Group.objects.get(name=CONTENT_MANAGER).permissions.all())

    out = StringIO()
    call_command("setup_roles", stdout=out, stderr=StringIO())
    first = {name: perms(name) for name in (MERCHANDISER, CONTENT_MANAGER, TRANSLATOR)}
    call_command("setup_roles", stdout=StringIO(), stderr=StringIO())
    assert {name: perms(name) for name in first} == first
    assert "Roles are up to date" in out.getvalue()

    merch, manager, translator = (first[n] for n in (MERCHANDISER, CONTENT_MANAGER, TRANSLATOR))
    assert {"catalog.change_product", "catalog.submit_product", "catalog.add_productphoto",
            "media.add_asset"} <= merch
    assert not {"catalog.approve_product", "catalog.reject_product"} & merch
    assert {"catalog.approve_product", "catalog.reject_product", "catalog.archive_product",
            "catalog.unpublish_product", "catalog.change_channel"} <= manager
    assert not {"catalog.change_product", "catalog.submit_product"} & manager
    assert translator == {"catalog.view_producttranslation", "catalog.change_producttranslation"}


def test_roles_reach_the_admin_pages_they_should(client, merchandiser, content_manager,
                                                 translator, product):
    pages = {
        "product": reverse("admin:catalog_product_change", args=[product.pk]),
        "translation": reverse("admin:catalog_producttranslation_changelist"),
        "channels": reverse("admin:catalog_channel_changelist"),
    }
    expected = {
        merchandiser: {"product": 200, "translation": 403, "channels": 200},
        # The content manager sees the translator's list (read-only) to export and import
        # translators' files for an agency.
        content_manager: {"product": 200, "translation": 200, "channels": 200},
        translator: {"product": 403, "translation": 200, "channels": 403},
    }
    for user, statuses in expected.items():
        client.force_login(user)
        got = {page: client.get(url).status_code for page, url in pages.items()}
        assert got == statuses, user.username
    # The merchandiser edits the product; the content manager only views it.
    client.force_login(content_manager)
    page = client.get(pages["product"]).content.decode()
    assert 'name="style_code"' not in page
    client.force_login(merchandiser)
    assert 'name="style_code"' in client.get(pages["product"]).content.decode()


def test_load_demo_leaves_a_realistic_mix_and_is_idempotent(db, settings, tmp_path):
    call_command("load_demo", products=16, no_admin=True, stdout=StringIO(), stderr=StringIO())
    counts = {s: Product.objects.filter(status=s).count() for s in Product.Status.values}
    assert counts["approved"] >= 1 and counts["in_review"] >= 2 and counts["draft"] >= 5
    assert counts["archived"] >= 1
    assert ProductTransition.objects.filter(action="reject").exists()
    live = ProductSnapshot.objects.filter(deleted=False)
    assert live.exists()
    for product in Product.objects.filter(status="approved"):
        assert live.filter(product=product).exists()
    locales = ["fr", "pl", "zh-hans"]
    outdated = [pk for pk, state in translation_waiting(locales=locales).items()
                if any(s["outdated"] for s in state.values())]
    assert len(outdated) >= 1

    before = (dict(counts), ProductTransition.objects.count(), ProductSnapshot.objects.count(),
              len(outdated))
    call_command("load_demo", products=16, no_admin=True, stdout=StringIO(), stderr=StringIO())
    after_outdated = [pk for pk, state in translation_waiting(locales=locales).items()
                      if any(s["outdated"] for s in state.values())]
    assert ({s: Product.objects.filter(status=s).count() for s in Product.Status.values},
            ProductTransition.objects.count(), ProductSnapshot.objects.count(),
            len(after_outdated)) == before


@pytest.fixture
def product(db):
    return factories.ProductFactory()
