"""The completeness tally: the dashboard's counts, kept by the engine, equal a direct count."""
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import (
    Category,
    Channel,
    CompletenessTally,
    Product,
    ProductCompleteness,
)
from catalog.services.completeness import completeness_recompute
from catalog.services.products import product_save
from catalog.services.workflow import (
    TransitionRefused,
    product_approve,
    product_delete,
    product_submit,
)
from tests import factories
from tests.completeness.conftest import add_photos, apparel_category

pytestmark = pytest.mark.django_db
ALL = CompletenessTally.ALL_LOCALES


def tallied() -> dict:
    return {(t.category_id, t.channel_id, t.locale): (t.complete, t.incomplete, t.score_sum)
            for t in CompletenessTally.objects.all() if t.complete or t.incomplete}


def counted() -> dict:
    """The same counts straight from the completeness rows and the products' categories."""
    cells, per_channel = {}, {}
    for product_id, category_id, channel_id, locale, complete, score in (
        ProductCompleteness.objects.values_list("product_id", "product__category_id",
                                                "channel_id", "locale", "complete", "score")
    ):
        cell = cells.setdefault((category_id, channel_id, locale), [0, 0, 0])
        cell[0 if complete else 1] += 1
        cell[2] += score
        both = per_channel.setdefault((product_id, category_id, channel_id), [True, 100])
        both[0] = both[0] and complete
        both[1] = min(both[1], score)
    for (_, category_id, channel_id), (complete, worst) in per_channel.items():
        cell = cells.setdefault((category_id, channel_id, ALL), [0, 0, 0])
        cell[0 if complete else 1] += 1
        cell[2] += worst
    return {key: tuple(value) for key, value in cells.items()}


def test_the_engine_keeps_the_tally_equal_to_a_direct_count(catalog, admin_user, on_commit):
    category, (first, second), (draft, *_) = catalog
    assert tallied() == counted()
    assert tallied()[(category.pk, first.completeness.first().channel_id, ALL)][0] == 2

    # An edit that breaks a translation, one that completes a colour, a category move.
    with on_commit():
        first.name_fr = ""
        product_save(product=first, expected_version=first.version)
    with on_commit():
        add_photos(first.colours.get(), 1)
    other = apparel_category()
    with on_commit():
        draft.category = other
        product_save(product=draft, expected_version=draft.version)
    assert tallied() == counted()
    assert any(key[0] == other.pk for key in tallied())

    # Approval (its completeness check recomputes; renditions may not be ready) and deletion.
    second.refresh_from_db()
    with on_commit():
        product_submit(product=second, user=admin_user)
    try:
        with on_commit():
            product_approve(product=second, user=admin_user)
    except TransitionRefused:
        pass
    with on_commit():
        product_delete(product=draft, user=admin_user)
    assert tallied() == counted()
    assert not any(key[0] == other.pk for key in tallied())

    # A locale dropped from a channel, then the recompute: still equal, and rebuilt.
    marketplace = Channel.objects.get(code="marketplace")
    marketplace.locales = ["en"]
    with on_commit():
        marketplace.save()
    assert tallied() == counted()
    CompletenessTally.objects.all().delete()
    call_command("recompute_completeness", "--no-progress")
    assert tallied() == counted()


def test_the_dashboard_reads_the_tally_in_a_fixed_number_of_queries(
        catalog, admin_client, django_assert_num_queries):
    url = reverse("admin:catalog_productcompleteness_changelist")
    category, _, _ = catalog
    assert admin_client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as first:
        admin_client.get(url)
    for _ in range(5):
        factories.ProductFactory(category=category)
    completeness_recompute()
    with django_assert_num_queries(len(first)):
        response = admin_client.get(url)
    webshop = next(e for e in response.context["channels"] if e["channel"].code == "webshop")
    cells = dict((locale.code, cell) for locale, cell in webshop["locales"])
    assert (cells["en"].complete, cells["en"].incomplete) == (2, 8)
    assert Product.objects.count() == 10 and Category.objects.count() >= 2
