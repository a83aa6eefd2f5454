"""The lowest locale score per product and channel, kept by the engine for the grid's sort,
equals the lowest of the product's completeness rows after every write path."""
import io

import pytest
from django.core.management import call_command
from django.db.models import Min

from catalog.models import Channel, CompletenessLowest, Product, ProductCompleteness
from catalog.services.products import product_save
from catalog.services.workflow import product_delete
from tests import factories
from tests.catalog.import_helpers import HEADER, csv_bytes, run
from tests.completeness.conftest import add_photos

pytestmark = pytest.mark.django_db


def stored() -> dict:
    return dict(((row.product_id, row.channel_id), row.lowest)
                for row in CompletenessLowest.objects.all())


def counted() -> dict:
    return {(row["product_id"], row["channel_id"]): row["lowest"]
            for row in ProductCompleteness.objects.order_by().values("product_id", "channel_id")
            .annotate(lowest=Min("score"))}


def test_the_engine_keeps_each_products_lowest_score_per_channel(catalog, admin_user,
                                                                  on_commit):
    _, (first, second), (draft, *_) = catalog
    assert stored() == counted()
    assert len(stored()) == 5 * Channel.objects.count()
    before = stored()

    # A save that empties a translation lowers the French score, hence the lowest.
    with on_commit():
        first.name_fr = ""
        product_save(product=first, expected_version=first.version)
    assert stored() == counted()
    assert any(stored()[key] < before[key] for key in before if key[0] == first.pk)
    with on_commit():
        add_photos(first.colours.get(), 1)
    assert stored() == counted()

    # A locale dropped from a channel: its rows go, the lowest is of the locales left.
    marketplace = Channel.objects.get(code="marketplace")
    marketplace.locales = ["en"]
    with on_commit():
        marketplace.save()
    assert stored() == counted()
    assert not ProductCompleteness.objects.filter(channel=marketplace, locale="fr").exists()
    # No locale left: nothing computed for the channel, so no lowest score.
    marketplace.locales = []
    with on_commit():
        marketplace.save()
    assert stored() == counted()
    assert not any(channel_id == marketplace.pk for _, channel_id in stored())

    # Deleting a product or a channel takes its scores with it.
    with on_commit():
        product_delete(product=draft, user=admin_user)
    assert stored() == counted()
    assert not any(product_id == draft.pk for product_id, _ in stored())
    marketplace.delete()
    assert stored() == counted()


def test_an_import_batch_stores_the_new_products_lowest_scores(channel, on_commit):
    women = factories.CategoryFactory(name="Women", slug="women")
    factories.CategoryFactory(name="Dresses", slug="dresses", parent=women)
    factories.BrandFactory(code="maison")
    factories.SeasonFactory(code="SS25")
    rows = [[f"WD-25-{n:04d}", "maison", "SS25", "Women > Dresses", f"Dress {n}", "BLK",
             "Black", f"WD-25-{n:04d}-BLK-S", "S", factories.valid_gtin(20_000 + n), "S: eu=36"]
            for n in range(3)]
    with on_commit():
        report = run(csv_bytes(rows, header=[*HEADER, "size_chart"]))
    assert report.created == 3
    assert stored() == counted()
    new = Product.objects.filter(style_code__in=[row[0] for row in rows])
    assert {key[0] for key in stored()} == {p.pk for p in new}


def test_the_recompute_command_rebuilds_the_scores(catalog):
    CompletenessLowest.objects.all().delete()
    ProductCompleteness.objects.filter(locale="fr").update(score=7)
    call_command("recompute_completeness", "--no-progress", stdout=io.StringIO())
    assert stored() == counted()
    assert 7 not in stored().values()
