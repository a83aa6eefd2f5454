"""The batch loader of what a product's rules need: inheritance resolved once, in bulk."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from catalog.loaders import CategoryTree, ProductRulesLoader
from catalog.models import Product, ShippingRate, TranslationStamp
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    """Women (apparel profile, brand rates) > Swimwear (final sale, PL rate) > Bikinis."""
    apparel = factories.ContentProfileFactory()
    women = factories.CategoryFactory(name="Women", content_profile=apparel)
    final_sale = factories.ReturnsPolicyFactory(name="Final sale", returnable=False, free=False)
    swimwear = factories.CategoryFactory(name="Swimwear", parent=women, returns_policy=final_sale)
    bikinis = factories.CategoryFactory(name="Bikinis", parent=swimwear)
    factories.ShippingRateFactory(brand=None, category=swimwear, country="PL", cost="7.00",
                                  currency="PLN")
    return {"women": women, "swimwear": swimwear, "bikinis": bikinis, "apparel": apparel,
            "final_sale": final_sale}


def test_the_tree_gives_ancestors_root_first_and_the_nearest_profile_and_policy(tree):
    categories = CategoryTree()
    bikinis = tree["bikinis"].pk
    assert [c.name for c in categories.ancestors(bikinis)] == ["Women", "Swimwear", "Bikinis"]
    assert categories.parent(bikinis).name == "Swimwear"
    assert categories.parent(tree["women"].pk) is None
    assert categories.profile(bikinis) == tree["apparel"]
    assert categories.returns_policy(bikinis) == tree["final_sale"]
    assert categories.returns_policy(tree["women"].pk) is None


def test_product_over_nearest_category_over_brand(tree):
    brand = factories.BrandFactory()
    for country, cost in (("FR", "4.95"), ("PL", "9.00"), ("DE", "5.95")):
        factories.ShippingRateFactory(brand=brand, country=country, cost=cost)
    plain = factories.ProductFactory(brand=brand, category=tree["women"])
    bikini = factories.ProductFactory(brand=brand, category=tree["bikinis"])
    own = factories.ReturnsPolicyFactory(name="Exchange only", days=14, free=False)
    special = factories.ProductFactory(brand=brand, category=tree["bikinis"], returns_policy=own)
    factories.ShippingRateFactory(brand=None, product=special, country="FR", cost="0.00")

    rules = ProductRulesLoader().load(Product.objects.all())

    assert rules[plain.pk].returns_policy == brand.returns_policy
    assert rules[bikini.pk].returns_policy == tree["final_sale"]
    assert rules[special.pk].returns_policy == own
    costs = {pk: {c: r.cost for c, r in rules[pk].shipping.items()} for pk in rules}
    assert costs[plain.pk] == {"FR": Decimal("4.95"), "PL": Decimal("9.00"), "DE": Decimal("5.95")}
    assert costs[bikini.pk] == {"FR": Decimal("4.95"), "PL": Decimal("7.00"), "DE": Decimal("5.95")}
    assert costs[special.pk] == {"FR": Decimal("0.00"), "PL": Decimal("7.00"), "DE": Decimal("5.95")}
    assert [c.name for c in rules[bikini.pk].ancestors] == ["Women", "Swimwear", "Bikinis"]
    assert rules[bikini.pk].profile == tree["apparel"]


def test_a_brand_without_a_default_leaves_a_product_outside_overrides_without_policy(tree):
    brand = factories.BrandFactory(code="nopolicy", returns_policy=None)
    product = factories.ProductFactory(brand=brand, category=tree["women"])
    assert ProductRulesLoader().load([product])[product.pk].returns_policy is None


def test_translation_stamps_are_loaded_per_product(tree):
    product = factories.ProductFactory(category=tree["women"])
    colour = factories.ColourFactory(product=product)
    for colour_id in (None, colour.pk):
        TranslationStamp.objects.create(product=product, colour_id=colour_id, field="name",
                                        locale="fr", source_hash="abc", stamped_at=timezone.now())
    rules = ProductRulesLoader().load([product])[product.pk]
    assert rules.stamps == {(None, "name", "fr"): "abc", (colour.pk, "name", "fr"): "abc"}
    assert ProductRulesLoader().load([product], stamps=False)[product.pk].stamps == {}


def test_queries_do_not_grow_with_products_brands_or_depth(tree):
    def queries(products):
        with CaptureQueriesContext(connection) as ctx:
            ProductRulesLoader().load(products)
        return len(ctx.captured_queries)

    one = [factories.ProductFactory(category=tree["women"])]
    many = []
    for n in range(6):
        brand = factories.BrandFactory(code=f"brand-{n}")
        ShippingRate.objects.create(brand=brand, country="FR", cost=1, currency="EUR",
                                    min_days=1, max_days=2)
        own = factories.ReturnsPolicyFactory(name=f"Own {n}")
        many.append(factories.ProductFactory(brand=brand, category=tree["bikinis"],
                                             returns_policy=own))
    # Tree, brands, rates, stamps; products' own policies that no brand or category uses: one.
    assert queries(one) == 4
    assert queries(one + many) == 5
    loader = ProductRulesLoader()
    loader.load(one)
    with CaptureQueriesContext(connection) as ctx:
        loader.load(one)  # the tree and brands are read once per loader
    assert len(ctx.captured_queries) == 2
