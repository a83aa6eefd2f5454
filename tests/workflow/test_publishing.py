"""Snapshots: what approval freezes, that later edits leave it alone, tombstones, the signal."""
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.models import Brand, Category, Channel, Product, ProductSnapshot, ShippingRate
from catalog.services.completeness import completeness_for
from catalog.services.publishing import (
    product_for_publishing,
    products_for_publishing,
    snapshot_payload,
    snapshots_publish,
    snapshots_tombstone,
)
from catalog.signals import snapshots_changed
from media.models import Rendition
from media.selectors import media_references_resolve
from catalog.services.photos import social_image_add, video_set
from tests import factories
from tests.media.builders import video
from tests.workflow.conftest import jpeg_file, make_complete_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    events = []

    def receiver(sender, channel, snapshots, event, **kwargs):
        events.append((channel.code, event, sorted((s.locale, s.version) for s in snapshots)))

    snapshots_changed.connect(receiver)
    yield events
    snapshots_changed.disconnect(receiver)


def test_publish_freezes_one_snapshot_per_locale_with_the_api_shape(screens, received):
    product = make_complete_product(photos=2)
    with transaction.atomic():
        snapshots_publish(product=product, channels=[screens])

    rows = {s.locale: s for s in ProductSnapshot.objects.filter(style_code=product.style_code)}
    assert set(rows) == {"en", "fr"}
    fr = rows["fr"].payload
    assert fr["style_code"] == product.style_code
    assert fr["name"] == "Robe en lin"
    assert fr["description_html"] == "<p>Une robe longue en lin lavé.</p>"
    assert fr["brand"] == {"code": product.brand.code, "name": product.brand.name}
    assert fr["category"] == {"id": product.category_id, "path": [product.category.name]}
    colour = fr["colours"][0]
    assert colour["code"] == "RED" and colour["name"] == "Rouge"
    assert [p["role"] for p in colour["photos"]] == ["front", "back"]
    assert colour["photos"][0]["alt"] == "Rouge 0"
    # Every rendition the channel needs exists and is in the payload.
    spec = "fill-80x100|format-webp"
    assert all(set(p["renditions"]) == {spec} for p in colour["photos"])
    assert Rendition.objects.filter(spec=spec).count() == 2
    variant = product.colours.get().variants.get()
    assert colour["variants"] == [{"sku": variant.sku, "gtin": variant.gtin, "size": "M"}]
    assert fr["composition"] == [{"part": "shell", "fibre": "flax", "percentage": 100}]
    assert fr["fit"]["type"] == "relaxed" and fr["fit"]["description"] == "Ample."
    assert fr["size_chart"]["rows"][0]["size"] == "M"
    assert fr["size_chart"]["rows"][0]["measurements_cm"] == {"chest": 88}
    assert fr["care"]["symbols"]["washing"] == "wash_30" and fr["care"]["text"] == "Laver à 30 °C."
    assert fr["returns"]["days"] == 30 and fr["returns"]["returnable"] is True
    assert fr["shipping"] == [{"country": "FR", "cost": "4.95", "currency": "EUR",
                               "min_days": 2, "max_days": 4}]
    assert fr["video"] is None and fr["social_images"] == []
    assert fr["ratings"] == {"average": 4.5, "count": 12}
    assert fr["version"] == 1 and fr["published_at"]
    assert rows["en"].payload["name"] == "Linen dress"
    assert received == [("store-screens", "publish", [("en", 1), ("fr", 1)])]


def test_payload_is_built_in_a_constant_number_of_queries(screens, django_assert_max_num_queries):
    small = make_complete_product(photos=1)
    big = make_complete_product(photos=3)
    for size in ("S", "L", "XL"):
        factories.SizeChartRowFactory(product=big, size_label=size)
    for extra in range(3):
        colour = factories.ColourFactory(product=big, code=f"X{extra}")
        for size in ("S", "L", "XL"):
            factories.VariantFactory(colour=colour, size_label=size)

    now = timezone.now()

    def count(product):
        with CaptureQueriesContext(connection) as ctx:
            full = product_for_publishing(product.pk, [screens])
            for locale in screens.locales:
                snapshot_payload(full, screens, locale, version=1, published_at=now)
        return len(ctx.captured_queries)

    assert count(small) == count(big)
    with django_assert_max_num_queries(14):
        full = product_for_publishing(big.pk, [screens])
        snapshot_payload(full, screens, "fr", version=1, published_at=now)


def test_publishing_is_a_constant_number_of_queries(screens, django_assert_max_num_queries):
    """Renditions checked (4 queries), the product loaded (12), its snapshots read and
    written (2), a feed position taken (1), the barcode index kept (2), in a savepoint (2):
    the same whatever the product's colours, sizes and photos."""
    small, big = make_complete_product(photos=1), make_complete_product(photos=3)
    for extra in range(3):
        colour = factories.ColourFactory(product=big, code=f"X{extra}")
        for size in ("S", "L", "XL"):
            factories.VariantFactory(colour=colour, size_label=size)
    counts = []
    for product in (small, big):
        with django_assert_max_num_queries(23) as ctx, transaction.atomic():
            snapshots_publish(product=product, channels=[screens])
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_later_edits_never_change_a_published_snapshot(screens):
    product = make_complete_product(photos=1)
    with transaction.atomic():
        snapshots_publish(product=product, channels=[screens])
    frozen = {s.locale: s.payload for s in ProductSnapshot.objects.all()}

    product.name_en = "Renamed dress"
    product.description_fr = "<p>Autre texte.</p>"
    product.save()
    colour = product.colours.get()
    colour.name_en = "Crimson"
    colour.save()
    product.composition_lines.update(fibre="cotton")

    assert {s.locale: s.payload for s in ProductSnapshot.objects.all()} == frozen

    # The next publication takes the new working copy and bumps the version.
    with transaction.atomic():
        snapshots_publish(product=product, channels=[screens])
    en = ProductSnapshot.objects.get(locale="en")
    assert en.payload["name"] == "Renamed dress" and en.version == 2
    assert en.payload["colours"][0]["name"] == "Crimson"
    assert en.payload["composition"][0]["fibre"] == "cotton"


def test_tombstones_keep_the_identity_only_and_bump_the_version(screens, received):
    product = make_complete_product(photos=1)
    with transaction.atomic():
        snapshots_publish(product=product, channels=[screens])
    before = {s.locale: s.updated_at for s in ProductSnapshot.objects.all()}
    with transaction.atomic():
        snapshots_tombstone(product=product, channels=[screens])

    for snapshot in ProductSnapshot.objects.all():
        assert snapshot.deleted is True
        assert snapshot.payload == {"style_code": product.style_code, "deleted": True}
        assert snapshot.version == 2
        assert snapshot.updated_at > before[snapshot.locale]
    assert received[-1] == ("store-screens", "unpublish", [("en", 2), ("fr", 2)])


def test_publishing_again_after_a_tombstone_revives_the_rows(screens):
    product = make_complete_product(photos=1)
    with transaction.atomic():
        snapshots_publish(product=product, channels=[screens])
        snapshots_tombstone(product=product)
        snapshots_publish(product=product, channels=[screens])
    rows = ProductSnapshot.objects.filter(style_code=product.style_code)
    assert rows.count() == 2
    assert all(not s.deleted and s.version == 3 and s.payload["version"] == 3 for s in rows)


def test_video_and_social_images_are_published_with_the_channel_renditions(screens, django_capture_on_commit_callbacks):
    product = make_complete_product(photos=1)
    with django_capture_on_commit_callbacks(execute=True):  # renditions, in the background
        video_set(product=product, video_file=SimpleUploadedFile("clip.mp4", video("mp4")),
                  poster_file=jpeg_file("poster.jpg"))
        social_image_add(product=product, ratio="4x5", file=jpeg_file("social.jpg"), focal=(40, 30),
                         alt_text={"en": "Dress on the beach", "fr": "Robe à la plage"})
    with transaction.atomic():
        snapshots_publish(product=product, channels=[screens])

    fr = ProductSnapshot.objects.get(locale="fr").payload
    assert fr["video"]["url"].endswith(".mp4") and fr["video"]["mime_type"] == "video/mp4"
    assert set(fr["video"]["poster"]["renditions"]) == {"fill-80x100|format-webp"}
    [social] = fr["social_images"]
    assert social["ratio"] == "4x5" and social["alt"] == "Robe à la plage"
    assert list(social["renditions"]) == ["fill-1080x1350|focus-40x30|format-webp"]


def test_payloads_of_a_batch_share_their_locale_free_parts_and_show_the_same(screens, django_capture_on_commit_callbacks):
    """A batch renders what does not depend on the locale once per product (and channel) and
    reuses it: every payload is the same as rendered alone."""
    wide = Channel.objects.create(
        code="wide", name="Wide", locales=["en", "fr", "de"], markets=["FR", "DE"],
        required_fields=[], min_photos=0, renditions=["fill-160x200|format-webp"],
    )
    products = [make_complete_product(photos=2), make_complete_product(photos=1)]
    with django_capture_on_commit_callbacks(execute=True):
        video_set(product=products[0], video_file=SimpleUploadedFile("clip.mp4", video("mp4")),
                  poster_file=jpeg_file("poster.jpg"))
        social_image_add(product=products[0], ratio="4x5", file=jpeg_file("social.jpg"),
                         alt_text={"en": "Dress on the beach", "fr": "Robe à la plage"})
    factories.SizeChartRowFactory(product=products[1], size_label="L")
    channels, now, memo = [screens, wide], timezone.now(), {}
    loaded = products_for_publishing([p.pk for p in products], channels)
    shared = [snapshot_payload(full, channel, locale, version=1, published_at=now, memo=memo)
              for full in loaded for channel in channels for locale in channel.locales]
    alone = [snapshot_payload(full, channel, locale, version=1, published_at=now)
             for full in products_for_publishing([p.pk for p in products], channels)
             for channel in channels for locale in channel.locales]
    assert shared == alone
    assert memo  # the batch did share parts
    assert {tuple(p["colours"][0]["photos"][0]["renditions"]) for p in shared} == {
        ("fill-80x100|format-webp",), ("fill-160x200|format-webp",)}
    assert [p["name"] for p in shared[:2]] == ["Linen dress", "Robe en lin"]


def test_media_urls_in_snapshots_are_absolute_against_the_public_url(screens, settings, django_capture_on_commit_callbacks):
    """Snapshots store where each file is, with its size; served, local storage's relative
    URLs are made absolute against the server's address, as a channel fetching images needs."""
    settings.PIM_PUBLIC_URL = "https://pim.example.com"
    product = make_complete_product(photos=2)
    with django_capture_on_commit_callbacks(execute=True):  # renditions, in the background
        video_set(product=product, video_file=SimpleUploadedFile("clip.mp4", video("mp4")),
                  poster_file=jpeg_file("poster.jpg"))
        social_image_add(product=product, ratio="1x1", file=jpeg_file("social.jpg"))
    with transaction.atomic():
        snapshots_publish(product=product, channels=[screens])

    stored = ProductSnapshot.objects.get(locale="en").payload
    assert "https://" not in json.dumps(stored)
    payload = json.loads(media_references_resolve(json.dumps(stored)))
    files = [payload["video"], *payload["video"]["poster"]["renditions"].values(),
             *payload["social_images"][0]["renditions"].values(),
             *(r for photo in payload["colours"][0]["photos"] for r in photo["renditions"].values())]
    assert len(files) == 5
    assert all(isinstance(f["width"], int) and isinstance(f["height"], int) for f in files)
    urls = [f["url"] for f in files]
    rendition = Rendition.objects.filter(spec="fill-80x100|format-webp").first()
    assert f"https://pim.example.com{rendition.url}" in urls
    assert all(url.startswith(f"https://pim.example.com{settings.MEDIA_URL}") for url in urls)


def test_completeness_and_the_snapshot_agree_on_returns_and_shipping(screens):
    """Both read catalog.loaders: product > nearest category > brand, for returns and shipping."""
    screens.markets = ["FR", "DE"]
    screens.required_fields = [*screens.required_fields, "returns", "shipping"]
    screens.save()
    product = make_complete_product(photos=1)  # the brand: 30 days, FR at 4.95

    def both():
        failing = {code for row in completeness_for(product, screens)
                   for code in row.failure_codes}
        payload = snapshot_payload(product_for_publishing(product.pk, [screens]), screens, "en",
                                   version=1, published_at=timezone.now())
        returns = payload["returns"] and payload["returns"]["days"]
        shipping = {rate["country"]: rate["cost"] for rate in payload["shipping"]}
        return failing, returns, shipping

    assert both() == ({"shipping.market_missing"}, 30, {"FR": "4.95"})

    department = factories.CategoryFactory(name="Outlet")
    leaf = factories.CategoryFactory(name="Dresses", parent=department)
    department.returns_policy = factories.ReturnsPolicyFactory(name="Outlet", days=14)
    department.save()
    ShippingRate.objects.create(category=department, country="DE", cost="6.00", currency="EUR",
                                min_days=3, max_days=5)
    Product.objects.filter(pk=product.pk).update(category=leaf)
    assert both() == (set(), 14, {"FR": "4.95", "DE": "6.00"})

    own = factories.ReturnsPolicyFactory(name="Exchange only", days=7, free=False)
    Product.objects.filter(pk=product.pk).update(returns_policy=own)
    ShippingRate.objects.create(product=product, country="FR", cost="0.00", currency="EUR",
                                min_days=1, max_days=2)
    assert both() == (set(), 7, {"FR": "0.00", "DE": "6.00"})

    Product.objects.filter(pk=product.pk).update(returns_policy=None)
    Category.objects.filter(pk=department.pk).update(returns_policy=None)
    Brand.objects.filter(pk=product.brand_id).update(returns_policy=None)
    assert both() == ({"returns.missing"}, None, {"FR": "0.00", "DE": "6.00"})
