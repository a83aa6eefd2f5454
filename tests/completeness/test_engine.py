"""Completeness codes for each content field, profiles, photo minimums and size chart coverage."""
from decimal import Decimal

import pytest

from catalog.models import (
    Brand,
    Category,
    Channel,
    ProductCompleteness,
    ProductVideo,
    ShippingRate,
    SocialImage,
)
from catalog.services.completeness import completeness_for, completeness_recompute
from tests import factories

from .conftest import apparel_category, asset, build_complete_product, codes_of, rows_of

pytestmark = pytest.mark.django_db


def test_a_complete_product_scores_100_in_every_locale(channel, complete_product):
    rows = rows_of(complete_product, channel)
    assert sorted(rows) == ["en", "fr", "pl", "zh-hans"]
    for row in rows.values():
        assert (row.score, row.complete, row.failures) == (100, True, [])
        assert row.passed == row.total > 0


def test_photos_minimum_is_per_colour(channel):
    product = build_complete_product(colours=("RED", "BLACK"), photos=4)
    red = product.colours.get(code="RED")
    red.photos.last().delete()
    red.photos.last().delete()
    failures = rows_of(product, channel)["en"].failures
    assert [(f["code"], f["target"], f["message"]) for f in failures] == [
        ("photos.min_count", "RED", "Red: 2 of 4 photos")
    ]
    assert failures[0]["field"] == "photos" and failures[0]["anchor"] == "colours-group"
    row = rows_of(product, channel)["en"]
    assert row.score == 100 * (row.total - 1) // row.total


def test_photos_minimum_follows_the_channel(channel):
    screens = factories.ChannelFactory(code="store-screens", name="Screens", min_photos=1,
                                       markets=[], locales=["en"])
    product = build_complete_product(photos=1)
    assert codes_of(product, channel) == ["photos.min_count"]
    assert codes_of(product, screens) == []


def test_no_colour_is_reported(channel):
    product = build_complete_product(colours=())
    assert "photos.no_colours" in codes_of(product, channel)


def test_size_chart_must_cover_every_variant_size(channel):
    product = build_complete_product(sizes=("S", "M"))
    product.size_chart_rows.get(size_label="S").delete()
    failures = rows_of(product, channel)["en"].failures
    assert [(f["code"], f["target"]) for f in failures] == [("size_chart.size_missing", "S")]
    assert "Size S is sold but not in the size chart." == failures[0]["message"]
    product.size_chart_rows.all().delete()
    assert codes_of(product, channel) == ["size_chart.missing"]


@pytest.mark.parametrize(("change", "code"), [
    ({"fit_type": ""}, "fit.type_missing"),
    ({"fit_description_en": ""}, "fit.description_missing"),
    ({"description_en": ""}, "description.missing"),
    ({"care_washing": ""}, "care.washing_missing"),
])
def test_product_field_codes(channel, change, code):
    product = build_complete_product(**change)
    assert code in codes_of(product, channel)


def test_composition_codes(channel):
    product = build_complete_product()
    line = product.composition_lines.get()
    line.percentage = Decimal(95)
    line.save()
    failures = rows_of(product, channel)["en"].failures
    assert [(f["code"], f["target"]) for f in failures] == [("composition.sum", "shell")]
    product.composition_lines.all().delete()
    assert codes_of(product, channel) == ["composition.missing"]


def test_shipping_needs_a_rate_for_every_market(channel):
    product = build_complete_product()
    ShippingRate.objects.filter(brand=product.brand, country="DE").delete()
    failures = rows_of(product, channel)["en"].failures
    assert [(f["code"], f["target"]) for f in failures] == [("shipping.market_missing", "DE")]
    assert "Germany" in failures[0]["message"]
    # A product override fills the gap.
    ShippingRate.objects.create(product=product, country="DE", cost=5,
                                currency="EUR", min_days=1, max_days=3)
    assert codes_of(product, channel) == []


def test_a_category_rate_covers_the_products_below_it(channel):
    category = apparel_category()
    product = build_complete_product(category=category)
    ShippingRate.objects.filter(brand=product.brand, country="DE").delete()
    ShippingRate.objects.create(category=Category.objects.get_parent(category), country="DE", cost=5,
                                currency="EUR", min_days=1, max_days=3)
    assert codes_of(product, channel) == []


def test_description_length_limit_per_locale(channel):
    channel.description_max_length = 40
    channel.save()
    product = build_complete_product(
        description_en="<p>Short &amp; sweet.</p>",
        description_fr="<p>" + "Une très longue description. " * 3 + "</p>",
    )
    rows = rows_of(product, channel)
    assert rows["en"].failure_codes == []
    (failure,) = rows["fr"].failures
    assert failure["code"] == "description.too_long"
    assert failure["target"] == "fr" and failure["anchor"] == "id_description_fr"
    assert "French description: 86 characters; Web shop takes at most 40." == failure["message"]


def test_optional_fields_when_a_channel_requires_them(channel):
    channel.required_fields = [*channel.required_fields, "video", "social_images", "ratings"]
    channel.save()
    product = build_complete_product()
    profile = Category.objects.get_parent(product.category).content_profile
    profile.required_fields = channel.required_fields
    profile.save()
    codes = codes_of(product, channel)
    assert codes == ["video.missing", "social_images.ratio_missing",
                     "social_images.ratio_missing", "social_images.ratio_missing",
                     "ratings.missing"]
    ProductVideo.objects.create(product=product, video=asset(), poster=asset())
    for ratio in ("1x1", "4x5", "9x16"):
        SocialImage.objects.create(product=product, asset=asset(), ratio=ratio)
    product.rating_average, product.rating_count = Decimal("4.5"), 12
    product.save()
    assert codes_of(product, channel) == []


def test_returns_resolves_to_the_brand_default(channel, complete_product):
    assert complete_product.returns_policy is None
    assert not [c for c in codes_of(complete_product, channel) if c.startswith("returns")]


def test_no_returns_policy_at_product_category_or_brand_is_incomplete(channel, complete_product):
    Brand.objects.filter(pk=complete_product.brand_id).update(returns_policy=None)
    assert codes_of(complete_product, channel) == ["returns.missing"]

    department = Category.objects.get_parent(complete_product.category)
    department.returns_policy = factories.ReturnsPolicyFactory(name="Outlet: 14 days", days=14)
    department.save()
    assert codes_of(complete_product, channel) == []


def test_profile_inheritance_lets_a_category_waive_a_field(channel, profile_without):
    accessories = profile_without("fit", "size_chart")
    department = factories.CategoryFactory(content_profile=accessories)
    middle = factories.CategoryFactory(parent=department)
    leaf = factories.CategoryFactory(parent=middle)
    product = build_complete_product(category=leaf, fit_type="", fit_description_en="")
    product.size_chart_rows.all().delete()
    assert codes_of(product, channel) == []
    # The same product under an apparel branch needs fit and a size chart.
    product.category = apparel_category()
    product.save()
    assert set(codes_of(product, channel)) == {
        "fit.type_missing", "fit.description_missing", "size_chart.missing"}


def test_a_nearer_profile_overrides_the_department(channel, profile_without):
    product = build_complete_product(fit_type="")
    assert codes_of(product, channel) == ["fit.type_missing"]
    leaf = product.category
    leaf.content_profile = profile_without("fit")
    leaf.save()
    assert codes_of(product, channel) == []


def test_channel_requires_only_its_fields(channel):
    product = build_complete_product(care_washing="")
    channel.required_fields = [f for f in channel.required_fields if f != "care"]
    channel.save()
    assert codes_of(product, channel) == []


def test_rows_are_written_only_when_they_change(channel, complete_product):
    completeness_recompute(product_ids=[complete_product.pk])
    before = {r.pk: r.updated_at for r in ProductCompleteness.objects.all()}
    summary = completeness_recompute(product_ids=[complete_product.pk])
    assert (summary.rows_created, summary.rows_updated, summary.rows_unchanged) == (0, 0, 4)
    assert {r.pk: r.updated_at for r in ProductCompleteness.objects.all()} == before
    complete_product.colours.get().photos.first().delete()
    summary = completeness_recompute(product_ids=[complete_product.pk])
    assert (summary.rows_created, summary.rows_updated, summary.rows_unchanged) == (0, 4, 0)


def test_a_locale_dropped_from_a_channel_loses_its_row(channel, complete_product):
    completeness_recompute(product_ids=[complete_product.pk])
    Channel.objects.filter(pk=channel.pk).update(locales=["en", "fr"])
    summary = completeness_recompute(product_ids=[complete_product.pk])
    assert summary.rows_deleted == 2
    assert sorted(complete_product.completeness.values_list("locale", flat=True)) == ["en", "fr"]


def test_completeness_for_is_fresh_and_lists_failing_locales(channel, complete_product):
    assert completeness_for(complete_product, channel) == []
    complete_product.colours.get().photos.first().delete()  # no recompute queued in a test
    failing = completeness_for(complete_product, channel)
    assert [row.locale for row in failing] == ["en", "fr", "pl", "zh-hans"]
    assert failing[0].failure_codes == ["photos.min_count"]


def test_batch_queries_do_not_grow_with_products(channel, django_assert_max_num_queries):
    factories.ChannelFactory(code="marketplace", name="Marketplace", locales=["en", "fr"])
    one = [build_complete_product(colours=("RED", "BLUE"), sizes=("S", "M")).pk]
    many = [build_complete_product(colours=("RED", "BLUE"), sizes=("S", "M")).pk
            for _ in range(12)]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as single:
        completeness_recompute(product_ids=one)
    queries = len(single)
    ProductCompleteness.objects.all().delete()
    with django_assert_max_num_queries(queries):
        completeness_recompute(product_ids=one + many)
    assert ProductCompleteness.objects.count() == 13 * (4 + 2)
    assert queries <= 20
