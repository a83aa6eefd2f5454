"""The product grid (the product list): its columns, sorting by completeness, filters, queries."""
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product, ProductCompleteness
from catalog.services.completeness import completeness_lowest_rebuild, completeness_recompute
from catalog.services.products import product_save
from catalog.services.workflow import product_approve, product_submit
from tests import factories
from tests.completeness.conftest import build_complete_product

pytestmark = pytest.mark.django_db
URL = reverse("admin:catalog_product_changelist")


def row_of(html: str, style_code: str) -> str:
    row = html[html.rindex("<tr", 0, html.index(f">{style_code}<")):]
    return row[:row.index("</tr>")]


def column_index(response, name: str) -> int:
    names = [getattr(field, "__name__", field) for field in response.context["cl"].list_display]
    return names.index(name)


def listed(response) -> list[str]:
    return [p.style_code for p in response.context["cl"].result_list]


@pytest.fixture
def webshop(db):
    return factories.ChannelFactory(code="webshop", renditions=[])


@pytest.fixture
def catalog(webshop, admin_user):
    """A product approved then edited, one approved as it is, one missing photos and French."""
    edited = build_complete_product(style_code="WD-25-0001")
    live = build_complete_product(style_code="WD-25-0002")
    partial = build_complete_product(style_code="WD-25-0003", photos=2, fit_description_fr="")
    completeness_recompute()
    for product in (edited, live):
        product_submit(product=product, user=admin_user)
        product_approve(product=product, user=admin_user, channels=[webshop])
    edited.refresh_from_db()
    edited.material_text_en = "Washed linen, 200 g/m²."
    product_save(product=edited, expected_version=edited.version, user=admin_user)
    return edited, live, partial


def test_each_row_shows_thumbnail_style_status_and_per_channel_state(admin_client, catalog):
    edited, live, partial = catalog
    admin_client.get(URL)  # thumbnails are made on the first view
    html = admin_client.get(URL).content.decode()
    today = timezone.localdate().strftime("%-d %b %y")

    row = row_of(html, live.style_code)
    assert re.search(r'<img src="[^"]+\.webp" alt="" loading="lazy"', row)
    assert f'<span class="grid-name">{live.name}</span>' in row
    assert '<span class="grid-status grid-status-approved">Approved</span>' in row
    assert re.findall(r'grid-score-complete">(\w+ \d+)<', row) == [
        "EN 100", "FR 100", "PL 100", "ZH 100"]
    assert f'<span class="grid-live">v1 · {today}</span>' in row
    assert "edited since approval" not in row

    row = row_of(html, edited.style_code)
    assert f"v1 · {today}</span> <span class=\"grid-edited\">edited since approval</span>" in row

    row = row_of(html, partial.style_code)
    scores = dict(s.split() for s in re.findall(r'grid-score-\w+">(\w+ \d+)<', row))
    assert set(scores) == {"EN", "FR", "PL", "ZH"}
    assert int(scores["FR"]) < int(scores["EN"]) < 100  # photos missing everywhere, French fit
    assert "not published" in row
    assert '<span class="grid-status grid-status-draft">Draft</span>' in row


def test_sorted_by_a_channels_lowest_locale_score(admin_client, webshop):
    scores = {"WD-25-0001": (100, 100), "WD-25-0002": (90, 40), "WD-25-0003": (100, 60),
              "WD-25-0005": (40, 70)}
    for code, locale_scores in scores.items():
        product = factories.ProductFactory(style_code=code)
        for locale, score in zip(("en", "fr"), locale_scores):
            ProductCompleteness.objects.create(product=product, channel=webshop, locale=locale,
                                               score=score, passed=score, total=100,
                                               complete=score == 100, updated_at=timezone.now())
    completeness_lowest_rebuild()  # rows written by hand, not by the engine
    factories.ProductFactory(style_code="WD-25-0004")  # not computed yet: the least complete
    column = column_index(admin_client.get(URL), "channel_webshop")
    # Ties (0002 and 0005 at 40) in the list's default order, by style code, both ways.
    assert listed(admin_client.get(URL, {"o": str(column)})) == [
        "WD-25-0004", "WD-25-0002", "WD-25-0005", "WD-25-0003", "WD-25-0001"]
    assert listed(admin_client.get(URL, {"o": f"-{column}"})) == [
        "WD-25-0001", "WD-25-0003", "WD-25-0002", "WD-25-0005", "WD-25-0004"]


def test_filters_take_several_values(admin_client, db):
    women, men = factories.CategoryFactory(name="Women"), factories.CategoryFactory(name="Men")
    dresses = factories.CategoryFactory(parent=women, name="Dresses")
    shoes = factories.CategoryFactory(parent=women, name="Shoes")
    jackets = factories.CategoryFactory(parent=men, name="Jackets")
    one, two, three = (factories.BrandFactory(code=n.lower(), name=n)
                       for n in ("Atelier", "Bonne", "Cote"))
    seasons = [factories.SeasonFactory(code=code) for code in ("SS25", "AW25", "SS26")]
    for n, (category, brand, season) in enumerate(
            [(dresses, one, seasons[0]), (shoes, two, seasons[1]), (jackets, three, seasons[2])]):
        factories.ProductFactory(style_code=f"WD-25-000{n + 1}", category=category, brand=brand,
                                 season=season)
    Product.objects.filter(style_code="WD-25-0002").update(status=Product.Status.IN_REVIEW)
    Product.objects.filter(style_code="WD-25-0003").update(status=Product.Status.APPROVED)

    assert listed(admin_client.get(URL, {"brand": [one.pk, three.pk]})) == [
        "WD-25-0001", "WD-25-0003"]
    assert listed(admin_client.get(URL, {"brand": f"{two.pk},{three.pk}"})) == [
        "WD-25-0002", "WD-25-0003"]
    # A department brings its categories; two nodes, both branches.
    assert listed(admin_client.get(URL, {"category": women.pk})) == ["WD-25-0001", "WD-25-0002"]
    assert listed(admin_client.get(URL, {"category": [dresses.pk, jackets.pk]})) == [
        "WD-25-0001", "WD-25-0003"]
    assert listed(admin_client.get(URL, {"status": ["draft", "approved"]})) == [
        "WD-25-0001", "WD-25-0003"]
    assert listed(admin_client.get(URL, {"season": [seasons[0].pk, seasons[1].pk]})) == [
        "WD-25-0001", "WD-25-0002"]
    # Filters combine; sorting links keep every value.
    response = admin_client.get(URL, {"brand": [one.pk, two.pk], "status": "in_review"})
    assert listed(response) == ["WD-25-0002"]
    assert f"brand={one.pk}&amp;brand={two.pk}" in response.content.decode()


def test_filters_are_drop_downs_with_their_choices_checked(admin_client, db):
    brand = factories.BrandFactory(name="Atelier")
    factories.ProductFactory(brand=brand)
    factories.ChannelFactory(code="webshop", locales=["en", "fr"])
    html = admin_client.get(URL, {"brand": brand.pk, "completeness": "webshop:fr:incomplete"}
                            ).content.decode()
    assert '<details class="grid-filter grid-filter-active" data-filter="brand">' in html
    assert f'<input type="checkbox" name="brand" value="{brand.pk}" checked> Atelier' in html
    assert '<details class="grid-filter" data-filter="category">' in html
    assert '<select name="completeness" data-filter="completeness">' in html
    assert ('<option value="webshop:fr:incomplete" selected>Incomplete for Web shop in French'
            '</option>') in html
    assert 'id="changelist-filter"' not in html  # no sidebar of links


def test_an_unknown_filter_value_is_left_out_and_said(admin_client, db):
    brand = factories.BrandFactory(code="atelier", name="Atelier")
    factories.ProductFactory(brand=brand, style_code="WD-25-0001")
    factories.ProductFactory(style_code="WD-25-0002")
    response = admin_client.get(URL, {"brand": [brand.pk, "nope"], "status": "lost"}, follow=True)
    assert response.status_code == 200
    assert listed(response) == ["WD-25-0001"]
    shown = [str(m) for m in response.context["messages"]]
    assert "Unknown brand left out of the filter: nope." in shown
    assert "Unknown status left out of the filter: lost." in shown


def _rows(count: int, channels) -> None:
    """Products with completeness in every locale of each channel and live snapshots."""
    category = factories.CategoryFactory()
    for _ in range(count):
        product = factories.ProductFactory(category=category)
        colour = factories.ColourFactory(product=product)
        factories.VariantFactory(colour=colour)
        for channel in channels:
            for locale in channel.locales:
                ProductCompleteness.objects.create(product=product, channel=channel,
                                                   locale=locale, score=80, passed=8, total=10,
                                                   complete=False,
                                                   updated_at=timezone.now())
                factories.ProductSnapshotFactory(channel=channel, product=product,
                                                 style_code=product.style_code, locale=locale)


def test_queries_per_page_are_the_same_for_10_and_50_rows(admin_client, webshop,
                                                          django_assert_num_queries):
    channels = [webshop, factories.ChannelFactory(code="marketplace", locales=["en", "pl"])]
    _rows(10, channels)
    with django_assert_num_queries(11) as ten:
        response = admin_client.get(URL)
    assert len(response.context["cl"].result_list) == 10
    _rows(40, channels)
    with django_assert_num_queries(len(ten)):
        response = admin_client.get(URL, {"status": ["draft", "in_review"],
                                          "o": str(column_index(response, "channel_webshop"))})
    assert len(response.context["cl"].result_list) == 50
    assert response.content.decode().count("grid-live") == 100
