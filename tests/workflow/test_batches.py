"""Publishing and the workflow in batches: constant queries, one feed position, an outcome per
product, the same rules as one product at a time."""
import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from api.models import WebhookEvent
from catalog.models import (
    Channel,
    Product,
    ProductSnapshot,
    ProductTransition,
    PublishedGtin,
    SnapshotSequence,
)
from catalog.services.products import product_save
from catalog.services.publishing import (
    products_for_publishing,
    snapshot_payload,
    snapshots_publish_batch,
    snapshots_tombstone_batch,
)
from catalog.services.workflow import (
    product_approve,
    products_approve,
    products_submit,
    products_unpublish,
)
from tests import factories
from tests.workflow.conftest import make_complete_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def lookbook(db):
    """A channel needing no photo and no rendition: products are quick to make complete."""
    return Channel.objects.create(
        code="lookbook", name="Lookbook", locales=["en", "fr"], markets=["FR"],
        required_fields=["description", "translations"], min_photos=0, renditions=[],
        webhook_url="https://hooks.example.com/pim",
    )


def complete(n, **overrides):
    return [make_complete_product(photos=0, **overrides) for _ in range(n)]


def queries(function, **kwargs):
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        result = function(**kwargs)
    return len(ctx.captured_queries), result


def test_loading_and_publishing_cost_the_same_for_5_and_40_products(lookbook):
    few, many = complete(5), complete(40)
    for product in many[:10]:  # more colours and sizes change nothing
        colour = factories.ColourFactory(product=product, code="X1")
        factories.VariantFactory(colour=colour, size_label="M")

    def load(products):
        with CaptureQueriesContext(connection) as ctx:
            loaded = products_for_publishing([p.pk for p in products], [lookbook])
            for full in loaded:
                snapshot_payload(full, lookbook, "fr", version=1, published_at=full.updated_at)
        return len(ctx.captured_queries)

    assert load(few) == load(many) <= 16
    published_few, _ = queries(snapshots_publish_batch, products=few, channels=[lookbook])
    published_many, _ = queries(snapshots_publish_batch, products=many, channels=[lookbook])
    assert published_few == published_many
    assert ProductSnapshot.objects.count() == 45 * 2
    # One event a product on the channel with a webhook, written in one statement.
    assert WebhookEvent.objects.count() == 45
    assert PublishedGtin.objects.filter(channel=lookbook).count() == 45 + 10


def test_a_batch_takes_one_feed_position(lookbook):
    products = complete(3)
    with transaction.atomic():
        written = snapshots_publish_batch(products=products, channels=[lookbook])
    assert len(written) == 6
    position = SnapshotSequence.objects.get().value
    assert set(ProductSnapshot.objects.values_list("sequence", flat=True)) == {position}

    with transaction.atomic():
        snapshots_tombstone_batch(products=products[:2], channels=[lookbook])
    tombstoned = ProductSnapshot.objects.filter(deleted=True)
    assert tombstoned.count() == 4
    assert set(tombstoned.values_list("sequence", flat=True)) == {position + 1}
    assert not PublishedGtin.objects.filter(style_code__in=[p.style_code for p in products[:2]])
    assert PublishedGtin.objects.filter(style_code=products[2].style_code).exists()


def test_republishing_unchanged_products_makes_no_version_and_no_event(lookbook):
    products = complete(3)
    with transaction.atomic():
        snapshots_publish_batch(products=products, channels=[lookbook])
    events, position = WebhookEvent.objects.count(), SnapshotSequence.objects.get().value

    edited = Product.objects.get(pk=products[1].pk)
    edited.name_fr = "Robe en lin, nouvelle coupe"
    product_save(product=edited, expected_version=edited.version)
    with transaction.atomic():
        written = snapshots_publish_batch(products=products, channels=[lookbook])
    assert {s.style_code for s in written} == {edited.style_code}
    versions = dict(ProductSnapshot.objects.filter(locale="fr")
                    .values_list("style_code", "version"))
    assert versions == {products[0].style_code: 1, edited.style_code: 2,
                        products[2].style_code: 1}
    assert WebhookEvent.objects.count() == events + 1
    untouched = ProductSnapshot.objects.exclude(style_code=edited.style_code)
    assert set(untouched.values_list("sequence", flat=True)) == {position}

    with transaction.atomic():
        assert snapshots_publish_batch(products=products, channels=[lookbook]) == []
    assert WebhookEvent.objects.count() == events + 1


def test_approve_in_a_batch_refuses_per_product_and_publishes_the_rest(
        lookbook, merchandiser, content_manager):
    ready = complete(2)
    incomplete = make_complete_product(photos=0, description_fr="")
    draft = make_complete_product(photos=0)
    for product in (*ready, incomplete):
        product_save(product=product, expected_version=product.version)
    products_submit(product_ids=[p.pk for p in (*ready, incomplete)], user=merchandiser)

    ids = [ready[0].pk, incomplete.pk, draft.pk, ready[1].pk, 999_999]
    outcomes = products_approve(product_ids=ids, user=content_manager, channels=[lookbook],
                                comment="Season launch")
    assert [o.product_id for o in outcomes] == ids
    assert [o.ok for o in outcomes] == [True, False, False, True, False]
    by_code = {o.product_id: o for o in outcomes}
    assert by_code[incomplete.pk].code == "incomplete"
    assert "incomplete for Lookbook" in by_code[incomplete.pk].messages[0]
    assert "[fr]" in by_code[incomplete.pk].messages[0]
    assert by_code[draft.pk].code == "state" and "is draft" in by_code[draft.pk].messages[0]
    assert by_code[999_999].code == "not_found"

    assert dict(Product.objects.filter(pk__in=ids).values_list("pk", "status")) == {
        ready[0].pk: "approved", ready[1].pk: "approved", incomplete.pk: "in_review",
        draft.pk: "draft"}
    assert set(ProductSnapshot.objects.values_list("style_code", flat=True)) == {
        p.style_code for p in ready}
    step = ProductTransition.objects.get(product=ready[0], action="approve")
    assert (step.from_status, step.to_status, step.channels, step.comment, step.user) == (
        "in_review", "approved", ["lookbook"], "Season launch", content_manager)
    last = ready[0].history.first()
    assert last.status == "approved" and last.history_user == content_manager
    assert last.history_change_reason == "Approved and published (lookbook)"
    assert not ProductTransition.objects.filter(product__in=[incomplete, draft],
                                                action="approve").exists()


def test_approve_in_a_batch_costs_the_same_for_3_and_15_products(
        lookbook, merchandiser, content_manager):
    few, many = complete(3), complete(15)
    products_submit(product_ids=[p.pk for p in few + many], user=merchandiser)
    content_manager.has_perm("catalog.approve_product")  # the permission cache, read once
    count = []
    for products in (few, many):
        with CaptureQueriesContext(connection) as ctx:
            outcomes = products_approve(product_ids=[p.pk for p in products],
                                        user=content_manager, channels=[lookbook])
        assert all(o.ok for o in outcomes)
        count.append(len(ctx.captured_queries))
    assert count[0] == count[1]


def test_a_batch_of_one_and_one_product_agree(lookbook, merchandiser, content_manager):
    alone, batched = complete(2)
    products_submit(product_ids=[alone.pk, batched.pk], user=merchandiser)
    product_approve(product=alone, user=content_manager, channels=[lookbook])
    products_approve(product_ids=[batched.pk], user=content_manager, channels=[lookbook])
    rows = {s.style_code: s for s in ProductSnapshot.objects.filter(locale="fr")}
    first, second = rows[alone.style_code].payload, rows[batched.style_code].payload
    for payload in (first, second):  # what the factories number apart
        for name in ("style_code", "published_at", "category", "colours", "brand", "season"):
            payload.pop(name)
    assert first == second and first["version"] == 1


def test_unpublish_in_a_batch(lookbook, screens, merchandiser, content_manager):
    products = complete(3)
    products_submit(product_ids=[p.pk for p in products], user=merchandiser)
    products_approve(product_ids=[p.pk for p in products[:2]], user=content_manager,
                     channels=[lookbook])
    outcomes = products_unpublish(product_ids=[p.pk for p in products], user=content_manager,
                                  channels=[lookbook])
    assert [o.ok for o in outcomes] == [True, True, False]
    assert outcomes[2].code == "not_published"
    assert "is not published on these channels" in outcomes[2].messages[0]
    assert set(Product.objects.filter(pk__in=[p.pk for p in products[:2]])
               .values_list("status", flat=True)) == {"draft"}
    assert not ProductSnapshot.objects.filter(deleted=False).exists()
    step = ProductTransition.objects.get(product=products[0], action="unpublish")
    assert (step.from_status, step.to_status, step.channels) == ("approved", "draft",
                                                                 ["lookbook"])


def test_a_batch_without_permission_is_refused_whole(lookbook, merchandiser):
    products = complete(2)
    with pytest.raises(PermissionDenied):
        products_approve(product_ids=[p.pk for p in products], user=merchandiser)
    assert not ProductSnapshot.objects.exists()
    assert not ProductTransition.objects.exists()
