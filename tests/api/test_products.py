"""The product feed, detail, GTIN lookup and categories, through HTTP."""
import base64
import importlib
from datetime import timedelta
from pathlib import Path

import orjson
import pytest
from django.utils import timezone

import catalog.migrations
from catalog.models import ProductSnapshot, PublishedGtin
from tests import factories

from .conftest import make_product, publish, unpublish

LIST = "/api/v1/channels/webshop/products/"
MIGRATIONS = Path(catalog.migrations.__file__).parent


def pull(api, url, **params):
    """Follow `next` to the end; every item of every page."""
    items, response = [], api.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        if not body["next"]:
            return items
        response = api.get(body["next"])


def test_feed_serves_the_published_snapshot_as_stored(api, webshop, published):
    body = api.get(LIST, {"locale": "fr"}).json()
    stored = ProductSnapshot.objects.get(channel=webshop, locale="fr").payload
    assert body == {"next": None, "watermark": body["watermark"], "results": [stored]}
    item = body["results"][0]
    assert item["style_code"] == published.style_code and item["name"] == "Robe en lin"
    assert item["version"] == 1 and item["published_at"]
    assert [c["name"] for c in item["colours"]] == ["Rouge", "Noir"]
    assert api.get(LIST).json()["results"][0]["name"] == "Linen dress"  # first locale


def test_drafts_and_working_copy_edits_are_never_visible(api, webshop, published):
    make_product(name_en="Draft dress")  # never approved
    published.name_en = "Edited after approval"
    published.save()
    factories.VariantFactory(colour=published.colours.first(), size_label="XL")
    items = pull(api, LIST)
    assert [i["name"] for i in items] == ["Linen dress"]
    assert sum(len(c["variants"]) for c in items[0]["colours"]) == 3
    detail = api.get(f"{LIST}{published.style_code}/").json()
    assert detail["name"] == "Linen dress"


def test_feed_pages_follow_a_stable_order_to_the_end(api, webshop):
    moment = timezone.now()
    # Several rows share a timestamp: the id breaks the tie.
    factories.ProductSnapshotFactory.create_batch(
        7, channel=webshop, published_at=moment, updated_at=moment
    )
    factories.ProductSnapshotFactory.create_batch(5, channel=webshop)
    expected = list(
        ProductSnapshot.objects.order_by("updated_at", "id").values_list("style_code", flat=True)
    )
    items = pull(api, LIST, page_size=3)
    assert [i["style_code"] for i in items] == expected
    first = api.get(LIST, {"page_size": 3}).json()
    # The cursor alone carries the query.
    assert first["next"].startswith("http://testserver/api/v1/channels/webshop/products/?cursor=")
    cursor = first["next"].split("cursor=")[1]
    alone = api.get(LIST, {"cursor": cursor}).json()
    assert [i["style_code"] for i in alone["results"]] == expected[3:6]
    assert api.get(LIST, {"page_size": 3})["Link"] == f'<{first["next"]}>; rel="next"'
    assert "Link" not in api.get(LIST, {"page_size": 12})


def test_a_page_costs_the_same_queries_whatever_its_size(
    api, webshop, django_assert_max_num_queries
):
    factories.ProductSnapshotFactory.create_batch(60, channel=webshop)
    api.get(LIST)  # the token's last use is written once a minute, not here
    for size in (1, 10, 60):
        with django_assert_max_num_queries(3):  # token, feed position, page
            body = api.get(LIST, {"page_size": size}).json()
        assert len(body["results"]) == size


@pytest.mark.parametrize(
    "value", ["0", "-1", "1000000", "abc", "1.5", "", " 3x", "--5", "²", "①", "٣", "３"]
)
def test_page_size_out_of_range_or_malformed_is_400(api, webshop, value):
    response = api.get(f"{LIST}?page_size={value}")
    if value == "":
        assert response.status_code == 200
        return
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_page_size"
    assert "page_size must be" in body["detail"] and "1000" in body["detail"]


def test_page_size_at_the_limit_is_served(api, webshop):
    assert api.get(LIST, {"page_size": 1000}).status_code == 200


@pytest.mark.parametrize(
    "value", ["yesterday", "2025-13-01T00:00:00Z", "2025-01-01T25:00:00", "1", "2025-02-30"]
)
def test_malformed_updated_since_is_400(api, webshop, value):
    response = api.get(LIST, {"updated_since": value})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_updated_since"
    assert "ISO-8601" in response.json()["detail"]


@pytest.mark.parametrize("value", ["9999-12-31T23:59:59-23:59", "0001-01-01T00:00:00+14:00"])
def test_updated_since_with_no_date_in_utc_is_400(api, webshop, value):
    factories.ProductSnapshotFactory(channel=webshop)
    response = api.get(LIST, {"updated_since": value})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_updated_since"
    assert "between the years 1 and 9999" in response.json()["detail"]
    # The same moment inside a cursor is refused as a bad cursor.
    cursor = base64.urlsafe_b64encode(orjson.dumps([value, 1])).rstrip(b"=").decode()
    refused = api.get(LIST, {"cursor": cursor})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid_cursor"


@pytest.mark.parametrize(
    "cursor", ["garbage", "eyJ4IjoxfQ", "WyIyMDI1LTAxLTAxIiwgLTFd", "W10", "%00", "\u00e9"]
)
def test_bad_cursor_is_400(api, webshop, cursor):
    factories.ProductSnapshotFactory(channel=webshop)
    response = api.get(LIST, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor"


def test_unknown_locale_is_400_listing_the_channels_locales(api, webshop):
    for path in (LIST, f"{LIST}X-1/", "/api/v1/channels/webshop/categories/"):
        response = api.get(path, {"locale": "pl"})  # a catalog locale, not this channel's
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid_locale" and body["valid_locales"] == ["en", "fr"]
        assert "Valid locales: en, fr." in body["detail"]


def test_delta_lists_changes_since_with_tombstones(api, webshop):
    old, kept, gone = make_product(), make_product(), make_product()
    for product in (old, kept, gone):
        publish(product, webshop)
    since = timezone.now()
    ProductSnapshot.objects.filter(style_code=old.style_code).update(
        updated_at=since - timedelta(hours=1)
    )
    kept.name_en = "Washed linen dress"  # re-approving unchanged content publishes nothing
    kept.save()
    publish(kept, webshop)
    unpublish(gone, webshop)
    delta = pull(api, LIST, updated_since=since.isoformat())
    assert [(i["style_code"], i.get("deleted", False), i["version"]) for i in delta] == [
        (kept.style_code, False, 2), (gone.style_code, True, 2),
    ]
    assert delta[1] == {"kind": "tombstone", "style_code": gone.style_code, "deleted": True,
                        "version": 2}
    # The full feed lists what is published, never tombstones.
    assert {i["style_code"] for i in pull(api, LIST)} == {old.style_code, kept.style_code}
    # "+" sent unescaped arrives as a space, and naive times are UTC.
    plus = since.astimezone(timezone.get_fixed_timezone(60)).isoformat().replace("+", " ")
    assert len(pull(api, f"{LIST}?updated_since={plus}")) == 2
    naive = since.replace(tzinfo=None).isoformat()
    assert len(pull(api, LIST, updated_since=naive)) == 2


def test_detail_has_a_strong_etag_and_304(api, webshop, published):
    url = f"{LIST}{published.style_code}/"
    first = api.get(url, {"locale": "fr"})
    assert first.status_code == 200 and first.json()["name"] == "Robe en lin"
    etag = first["ETag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert api.get(url, {"locale": "en"})["ETag"] != etag
    again = api.get(url, {"locale": "fr"}, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == etag
    listed = api.get(url, {"locale": "fr"}, HTTP_IF_NONE_MATCH=f'"other", {etag}')
    assert listed.status_code == 304
    published.name_fr = "Robe en lin lavé"
    published.save()
    publish(published, webshop)
    fresh = api.get(url, {"locale": "fr"}, HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag and fresh.json()["version"] == 2


def test_detail_of_unknown_or_unpublished_product_is_404(api, webshop, published):
    assert api.get(f"{LIST}NOPE-1/").json()["code"] == "product_not_found"
    unpublish(published, webshop)
    response = api.get(f"{LIST}{published.style_code}/")
    assert response.status_code == 404


def test_gtin_finds_the_product_and_marks_the_variant(api, webshop, published):
    variant = published.colours.get(code="BLK").variants.get()
    for scanned in (variant.gtin, variant.gtin_display):
        response = api.get(f"/api/v1/channels/webshop/gtin/{scanned}/", {"locale": "fr"})
        assert response.status_code == 200
        body = response.json()
        assert body["gtin"] == variant.gtin
        assert body["variant"] == {
            "sku": variant.sku, "gtin": variant.gtin, "size": "M",
            "colour_code": "BLK", "colour": "Noir",
        }
        assert body["product"]["style_code"] == published.style_code


def test_gtin_unknown_unpublished_or_malformed(api, webshop, published):
    unknown = api.get("/api/v1/channels/webshop/gtin/5901234123457/")
    assert unknown.status_code == 404 and unknown.json()["code"] == "gtin_not_found"
    late = factories.VariantFactory(colour=published.colours.first(), size_label="XL")
    assert api.get(f"/api/v1/channels/webshop/gtin/{late.gtin}/").status_code == 404
    draft = make_product()
    gtin = draft.colours.first().variants.first().gtin
    assert api.get(f"/api/v1/channels/webshop/gtin/{gtin}/").status_code == 404
    for bad in ("5901234123458", "abc", "12345", "590123412345⁷", "590123412345⑦",
                "５９０１２３４１２３４５７"):
        response = api.get(f"/api/v1/channels/webshop/gtin/{bad}/")
        assert response.status_code == 400 and response.json()["code"] == "invalid_gtin"
    assert "check digit" in api.get("/api/v1/channels/webshop/gtin/5901234123458/").json()["detail"]


def gtin_lookup(api, gtin):
    return api.get(f"/api/v1/channels/webshop/gtin/{gtin}/")


def test_gtin_edited_after_approval_is_found_by_its_published_value(api, webshop, published):
    variant = published.colours.get(code="BLK").variants.get()
    old = variant.gtin
    variant.gtin = "5901234123457"
    variant.save()
    assert gtin_lookup(api, old).status_code == 200
    assert gtin_lookup(api, "5901234123457").status_code == 404
    publish(published, webshop)  # re-approval
    assert gtin_lookup(api, old).status_code == 404
    found = gtin_lookup(api, "5901234123457")
    assert found.status_code == 200 and found.json()["variant"]["sku"] == variant.sku


def test_gtin_of_a_variant_deleted_after_approval_is_still_found(api, webshop, published):
    variant = published.colours.get(code="BLK").variants.get()
    variant.delete()
    response = gtin_lookup(api, variant.gtin)
    assert response.status_code == 200
    assert response.json()["variant"]["sku"] == variant.sku


def test_gtin_of_a_tombstoned_product_is_not_found(api, webshop, published):
    gtin = published.colours.get(code="BLK").variants.get().gtin
    unpublish(published, webshop)
    response = gtin_lookup(api, gtin)
    assert response.status_code == 404 and response.json()["code"] == "gtin_not_found"
    assert not PublishedGtin.objects.filter(style_code=published.style_code).exists()


def test_one_barcode_is_found_as_upc_a_ean_13_and_gtin_14(api, webshop):
    product = make_product()
    variant = product.colours.get(code="BLK").variants.get()
    variant.gtin = "036000291452"  # UPC-A
    variant.save()
    publish(product, webshop)
    for scanned in ("036000291452", "0036000291452", "00036000291452"):
        response = gtin_lookup(api, scanned)
        assert response.status_code == 200, scanned
        assert response.json()["variant"]["sku"] == variant.sku


def test_gtin_index_is_per_channel(api, webshop, marketplace, published):
    other = make_product()
    publish(other, marketplace)
    gtin = other.colours.first().variants.first().gtin
    assert gtin_lookup(api, gtin).status_code == 404
    assert PublishedGtin.objects.filter(channel=marketplace, gtin=gtin).exists()


def test_gtin_index_is_filled_from_existing_snapshots_by_the_migration(api, webshop, published):
    from django.apps import apps

    PublishedGtin.objects.all().delete()
    migration = importlib.import_module(
        f"catalog.migrations.{next(MIGRATIONS.glob('*_published_gtin_index.py')).stem}"
    )
    migration.index_published_gtins(apps, None)
    gtins = {v.gtin for c in published.colours.all() for v in c.variants.all()}
    assert set(PublishedGtin.objects.values_list("gtin", flat=True)) == gtins
    assert gtin_lookup(api, next(iter(gtins))).status_code == 200


def test_categories_with_translated_names(api, webshop, django_assert_max_num_queries):
    women = factories.CategoryFactory(name_en="Women", name_fr="Femme", slug="women")
    dresses = factories.CategoryFactory(
        parent=women, name_en="Dresses", name_fr="Robes", slug="dresses"
    )
    factories.CategoryFactory(parent=dresses, name_en="Long dresses", name_fr="", slug="long")
    api.get(LIST)
    with django_assert_max_num_queries(2):
        body = api.get("/api/v1/channels/webshop/categories/", {"locale": "fr"}).json()
    assert body["locale"] == "fr"
    assert [(c["name"], c["depth"], c["path"]) for c in body["results"]] == [
        ("Femme", 1, ["Femme"]),
        ("Robes", 2, ["Femme", "Robes"]),
        ("Long dresses", 3, ["Femme", "Robes", "Long dresses"]),
    ]
    assert body["results"][1]["parent"] == women.pk


def test_unknown_api_address_is_json_404(api):
    response = api.get("/api/v2/whatever/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_categories_in_the_source_locale(api, webshop):
    factories.CategoryFactory(name_en="Women", name_fr="Femme", slug="women")
    body = api.get("/api/v1/channels/webshop/categories/").json()
    assert body["locale"] == "en" and [c["name"] for c in body["results"]] == ["Women"]


def test_empty_parameters_mean_their_defaults(api, webshop):
    factories.ProductSnapshotFactory(channel=webshop)
    response = api.get(f"{LIST}?cursor=&locale=&updated_since=&page_size=")
    assert response.status_code == 200 and len(response.json()["results"]) == 1


def test_detail_and_gtin_cost_a_fixed_number_of_queries(
    api, webshop, published, django_assert_max_num_queries
):
    api.get(LIST)
    gtin = published.colours.first().variants.first().gtin
    with django_assert_max_num_queries(2):  # token, snapshot
        assert api.get(f"{LIST}{published.style_code}/").status_code == 200
    with django_assert_max_num_queries(2):  # token, snapshot found through the barcode index
        assert api.get(f"/api/v1/channels/webshop/gtin/{gtin}/").status_code == 200
