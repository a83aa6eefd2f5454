"""Product search: codes first (exact, then prefix), then words in every locale, ranked."""
import pytest
from django.db import connection
from django.db.models.functions import Upper
from django.urls import reverse

from catalog.models import Product, Variant
from catalog.search import products_search
from tests import factories

pytestmark = pytest.mark.django_db
LIST_URL = reverse("admin:catalog_product_changelist")


def found(term):
    return [p.style_code for p in products_search(Product.objects.all(), term)
            .order_by("search_rank", "style_code")]


@pytest.fixture
def catalog(db):
    coat = factories.ProductFactory(style_code="CT-24-0001", name="Wool coat",
                                    description="<p>Double-faced wool.</p>")
    factories.VariantFactory(colour=factories.ColourFactory(product=coat), sku="CT-NAVY-M",
                             gtin="4006381333931")
    dress = factories.ProductFactory(style_code="WD-24-0193", name="Long linen dress",
                                     name_fr="Robe longue en lin",
                                     description="<p>Lined with a wool blend at the hem.</p>")
    factories.VariantFactory(colour=factories.ColourFactory(product=dress), sku="wd-red-m",
                             gtin="0012345678905")
    factories.ProductFactory(style_code="WD-24-01930", name="Linen shirt")
    factories.ProductFactory(style_code="SK-24-0007", name="Pleated skirt 100% silk",
                             description="<p>Cut_on the bias.</p>")
    return coat, dress


def test_an_exact_style_code_comes_before_the_codes_it_starts(catalog):
    assert found("WD-24-0193") == ["WD-24-0193", "WD-24-01930"]
    assert found("wd-24-019") == ["WD-24-0193", "WD-24-01930"]


def test_a_sku_finds_its_product_exactly_or_by_its_start_in_any_case(catalog):
    assert found("CT-NAVY-M") == ["CT-24-0001"]
    assert found("ct-navy") == ["CT-24-0001"]
    assert found("WD-RED-M") == ["WD-24-0193"]


@pytest.mark.parametrize("typed", ["4006381333931", "04006381333931", "4006 3813 3393 1",
                                   "012345678905", "0012345678905"])
def test_a_gtin_finds_its_product_in_any_length_and_with_spaces(catalog, typed):
    expected = "CT-24-0001" if "400" in typed else "WD-24-0193"
    assert found(typed) == [expected]


def test_words_match_names_before_descriptions_in_every_locale(catalog):
    assert found("wool") == ["CT-24-0001", "WD-24-0193"]  # name, then description
    assert found("ROBE") == ["WD-24-0193"]
    assert found("robe linen") == ["WD-24-0193"]  # every word, in any order
    assert found("linen") == ["WD-24-0193", "WD-24-01930"]


def test_a_code_that_matches_nothing_is_searched_as_words(catalog):
    assert found("100%") == ["SK-24-0007"]
    assert found("2024") == []


def test_like_wildcards_typed_are_literal(catalog):
    assert found("%") == ["SK-24-0007"]
    assert found("cut_on") == ["SK-24-0007"]
    assert found("_") == ["SK-24-0007"]


def test_the_grid_lists_search_results_by_rank_in_a_fixed_number_of_queries(
        admin_client, catalog, django_assert_max_num_queries):
    response = admin_client.get(LIST_URL, {"q": "wool"})
    assert [p.style_code for p in response.context["cl"].result_list] == [
        "CT-24-0001", "WD-24-0193"]
    # A column sort still wins over the rank.
    response = admin_client.get(LIST_URL, {"q": "wool", "o": "-2"})
    assert [p.style_code for p in response.context["cl"].result_list] == [
        "WD-24-0193", "CT-24-0001"]
    queries = len(_queries(admin_client, "wool"))
    for i in range(20):
        factories.ProductFactory(name=f"Wool scarf {i}")
    with django_assert_max_num_queries(queries):
        response = admin_client.get(LIST_URL, {"q": "wool"})
    assert response.context["cl"].result_count == 22


def _queries(client, term):
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        client.get(LIST_URL, {"q": term})
    return context.captured_queries


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes exist on PostgreSQL only")
@pytest.mark.parametrize("term, indexes", [
    # A style code's prefix is served by its pattern index, Django's own pattern index of the
    # unique column (``catalog_product_style_code_…_like``, the planner picks either at equal
    # cost) or, where the collation allows, by the list order's covering index on the same
    # column: each is an index answer.
    ("WD-24", ["product_style_code_prefix|catalog_product_style_code_|product_list_order_idx"]),
    ("ct-navy", ["product_style_code_prefix|catalog_product_style_code_|product_list_order_idx"]),
    ("wool", [f"product_{field}_trgm" for field in ("name_en", "name_fr", "description_en")]),
    ("robe linen", ["product_name_fr_trgm", "product_description_zh_hans_trgm"]),
], ids=str)
def test_every_search_can_be_answered_from_indexes_on_postgresql(catalog, term, indexes):
    queryset = products_search(Product.objects.all(), term).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "Seq Scan" not in plan, plan
    for index in indexes:
        assert any(name in plan for name in index.split("|")), plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="indexes exist on PostgreSQL only")
@pytest.mark.parametrize("lookup, index", [
    ({"sku_upper__startswith": "CT-NAVY"}, "variant_sku_prefix"),
    ({"sku_upper": "CT-NAVY-M"}, "variant_sku_prefix"),
    ({"gtin": "04006381333931"}, "catalog_variant_gtin"),
], ids=str)
def test_variant_lookups_of_the_search_use_their_indexes_on_postgresql(catalog, lookup, index):
    # On a tiny catalog the planner may reach variants through their colours instead, so the
    # variant side of a code search is checked on its own.
    # Without the default ordering (colour, id), whose index would also avoid a sequential scan.
    queryset = Variant.objects.annotate(sku_upper=Upper("sku")).filter(**lookup).order_by()
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert index in plan, plan
