"""Rules the catalog models keep whatever writes to them."""
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.loaders import ProductRulesLoader
from catalog.models import CompositionLine, ReturnsPolicy, ShippingRate, Variant
from catalog.models.fields import (
    BIDI_CONTROLS,
    bidi_controls_removed,
    gtin_normalize,
    validate_gtin,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("raw", ["4006381333931", "04006381333931", " 4006381333931 ",
                                 "４００６３８１３３３９３１", "٤٠٠٦٣٨١٣٣٣٩٣١"])
def test_gtin_is_normalised_to_fourteen_digits(raw):
    assert gtin_normalize(raw) == "04006381333931"
    validate_gtin(gtin_normalize(raw))


@pytest.mark.parametrize(
    ("raw", "message"),
    [("4006381333932", "wrong check digit"), ("40063813339", "use 8, 12"), ("400638133393A", "not a GTIN"),
     ("400638133393¹", "not a GTIN"), ("400638133393①", "not a GTIN")],
)
def test_bad_gtin_is_refused_with_the_reason(raw, message):
    with pytest.raises(ValidationError, match=message):
        validate_gtin(raw)


def test_variant_gtin_is_unique_in_the_database():
    first = factories.VariantFactory()
    other = factories.ColourFactory(product=first.colour.product, code="NAV")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.VariantFactory(colour=other, gtin=first.gtin)


def test_a_gtin_typed_in_fullwidth_digits_is_the_same_barcode():
    first = factories.VariantFactory(gtin="4006381333931")
    copy = factories.VariantFactory.build(colour=factories.ColourFactory(), sku="SKU-COPY",
                                          gtin="４００６３８１３３３９３１")
    with pytest.raises(ValidationError, match="GTIN already exists"):
        copy.full_clean()
    first.refresh_from_db()
    assert first.gtin == "04006381333931"


@pytest.mark.parametrize("given", ["04006381333931", "4006381333931", " 4006381333931",
                                   "０４００６３８１３３３９３１", "٤٠٠٦٣٨١٣٣٣٩٣١"])
def test_a_gtin_is_found_by_any_of_its_forms(given):
    variant = factories.VariantFactory(gtin=given)
    assert Variant.objects.get(pk=variant.pk).gtin == "04006381333931"
    assert Variant.objects.filter(gtin=given).get() == variant
    assert Variant.objects.filter(gtin="4006381333931").get() == variant


@pytest.mark.parametrize("text", [
    "Linen dress", "Robe en lin lavé, l’été", "亚麻连衣裙", "Sukienka \u202eevil\u202c",
    "\u2066x\u2069 et \u202a\u202b\u202d", "\u2065\u206a\u2029 edges kept", ""])
def test_bidi_controls_are_removed_and_nothing_else(text):
    assert bidi_controls_removed(text) == text.translate(BIDI_CONTROLS)


def test_editorial_html_is_sanitised_on_save():
    product = factories.ProductFactory(
        description='<p onclick="x()">Linen <script>alert(1)</script><b>dress</b></p>'
    )
    product.refresh_from_db()
    assert product.description == "<p>Linen <b>dress</b></p>"


def test_composition_line_reads_like_a_label():
    line = CompositionLine(part="shell", fibre="cotton", percentage=Decimal("100.00"))
    assert str(line) == "Shell: 100 % Cotton"
    assert str(CompositionLine(part="shell", fibre="elastane", percentage=Decimal("2.50"))) == (
        "Shell: 2.5 % Elastane"
    )


def test_category_profile_is_inherited_from_the_nearest_ancestor():
    apparel = factories.ContentProfileFactory(name="Apparel")
    shoes = factories.ContentProfileFactory(name="Shoes", required_fields=["photos"])
    women = factories.CategoryFactory(name="Women", content_profile=apparel)
    dresses = factories.CategoryFactory(name="Dresses", parent=women)
    long_dresses = factories.CategoryFactory(name="Long dresses", parent=dresses)
    sandals = factories.CategoryFactory(name="Sandals", parent=women, content_profile=shoes)
    assert long_dresses.effective_content_profile() == apparel
    assert sandals.effective_content_profile() == shoes
    assert long_dresses.path_label == "Women > Dresses > Long dresses"


def test_shipping_rate_scope_and_days_are_checked():
    brand = factories.BrandFactory()
    with pytest.raises(ValidationError, match="cannot exceed"):
        ShippingRate(brand=brand, country="FR", cost=1, currency="EUR",
                     min_days=5, max_days=2).full_clean()
    category, product = factories.CategoryFactory(), factories.ProductFactory(brand=brand)
    for scopes in ({"category": category, "product": product}, {"brand": brand, "product": product},
                   {"brand": brand, "category": category}, {}):
        with pytest.raises(ValidationError, match="exactly one of a brand, a category or a product"):
            ShippingRate(**scopes, country="FR", cost=1, currency="EUR", min_days=1,
                         max_days=2).full_clean()


def test_non_returnable_policy_cannot_be_free():
    with pytest.raises(ValidationError, match="cannot offer free returns"):
        ReturnsPolicy(name="Final sale", returnable=False, free=True).full_clean()


def test_logistics_resolve_product_over_category_over_brand(django_assert_num_queries):
    brand = factories.BrandFactory()
    factories.ShippingRateFactory(brand=brand, country="FR", cost="4.95")
    factories.ShippingRateFactory(brand=brand, country="PL", cost="9.00")
    women = factories.CategoryFactory(name="Women")
    swim = factories.CategoryFactory(name="Swimwear", parent=women)
    factories.ShippingRateFactory(brand=None, category=women, country="PL", cost="7.00")
    final_sale = factories.ReturnsPolicyFactory(name="Final sale", returnable=False, free=False)
    swim.returns_policy = final_sale
    swim.save()
    plain = factories.ProductFactory(brand=brand, category=women)
    swimsuit = factories.ProductFactory(brand=brand, category=swim)
    factories.ShippingRateFactory(brand=None, product=swimsuit, country="FR", cost="0.00")

    with django_assert_num_queries(4):  # products, the category tree, brands, rates
        rules = ProductRulesLoader().load(
            type(plain).objects.filter(id__in=[plain.id, swimsuit.id]), stamps=False
        )

    assert rules[plain.id].returns_policy == brand.returns_policy
    assert rules[swimsuit.id].returns_policy == final_sale
    assert {c: r.cost for c, r in rules[plain.id].shipping.items()} == {
        "FR": Decimal("4.95"), "PL": Decimal("7.00")}
    assert {c: r.cost for c, r in rules[swimsuit.id].shipping.items()} == {
        "FR": Decimal("0.00"), "PL": Decimal("7.00")}
