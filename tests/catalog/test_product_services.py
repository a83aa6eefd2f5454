"""The product page's writes, called directly: every rule is the service's, whatever the caller."""
from decimal import Decimal

import pytest

from catalog.models import (
    Colour,
    CompositionLine,
    Product,
    ShippingRate,
    SizeChartRow,
    TranslationStamp,
    Variant,
    source_hash,
)
from catalog.services import completeness
from catalog.services.content import colour_save, new_row
from catalog.services.errors import ContentError
from catalog.services.products import StaleProductError, product_content_save, product_save
from tests import factories

pytestmark = pytest.mark.django_db

GTIN = "4006381333931"  # EAN-13 with a valid check digit


def new_product(**fields):
    return Product(brand=factories.BrandFactory(), season=factories.SeasonFactory(),
                   category=factories.CategoryFactory(), **fields)


def refused(**kwargs) -> dict[str, list[str]]:
    with pytest.raises(ContentError) as caught:
        product_content_save(**kwargs)
    return caught.value.paths


def save(product, **kwargs):
    return product_content_save(product=product, expected_version=product.version, **kwargs)


def test_a_whole_product_in_one_call(admin_user, django_capture_on_commit_callbacks, monkeypatch):
    recomputed = []
    monkeypatch.setattr(completeness, "completeness_recompute",
                        lambda *, product_ids: recomputed.append(list(product_ids)))
    with django_capture_on_commit_callbacks(execute=True):
        saved = product_content_save(
            product=new_product(style_code="MJ-25-0001"),
            fields={"name_en": "Biker jacket", "name_fr": "Blouson", "fit_type": "slim"},
            colours=[{"code": "BLK", "name_en": "Black", "name_fr": "Noir", "variants": [
                {"size_label": "50", "sku": "MJ-BLK-50", "gtin": GTIN}]}],
            composition=[{"part": "shell", "fibre": "leather", "percentage": "100"}],
            size_chart=[{"size_label": "50", "eu": "50"}],
            shipping=[{"country": "DE", "cost": "0", "currency": "EUR", "min_days": 1,
                       "max_days": 2}],
            user=admin_user,
        )
    product = Product.objects.get(style_code="MJ-25-0001")
    assert saved.changed and saved.product == product and saved.colours[0].code == "BLK"
    variant = Variant.objects.get(colour__product=product)
    assert variant.gtin == "0" + GTIN  # stored as GTIN-14
    assert ShippingRate.objects.get(product=product).country.code == "DE"
    assert product.history.get().history_user == admin_user
    assert variant.history.get().history_user == admin_user
    assert TranslationStamp.objects.filter(product=product, colour__isnull=False,
                                           locale="fr").count() == 1
    assert recomputed == [[product.pk]]  # once, after the commit


def test_every_problem_is_refused_at_once_with_its_path(dress):
    other = factories.VariantFactory(size_label="M")
    child = factories.CategoryFactory(parent=dress.category)  # the dress's category is no leaf
    paths = refused(
        product=dress, expected_version=1, fields={"style_code": "wd 24"},
        colours=[{"id": dress.colours.get().pk, "code": "RED", "variants": [
            {"sku": "WD-RED-M", "size_label": "M", "gtin": "4006381333932"},
            {"sku": "WD-RED-XL", "size_label": "XL", "gtin": other.gtin_display},
        ]}],
        composition=[{"part": "shell", "fibre": "flax", "percentage": "95"}],
        size_chart=[{"size_label": "L"}, {"size_label": "M", "eu": "38"}],
        shipping=[{"country": "DE", "cost": "1", "currency": "EUR", "min_days": 1,
                   "max_days": 2},
                  {"country": "DE", "cost": "2", "currency": "EUR", "min_days": 3,
                   "max_days": 1}],
    )
    assert child.pk
    assert paths["category"][0].endswith("has sub-categories: choose a leaf category.")
    assert "capital letters" in paths["style_code"][0]
    assert "wrong check digit" in paths["colours.0.variants.0.gtin"][0]
    assert paths["colours.0.variants.1.gtin"] == ["A variant with this GTIN already exists."]
    assert paths["colours.0.variants.1.size_label"] == [
        "Size “XL” is not in the size chart (L, M). Add it to the chart first."]
    assert paths["composition"] == [
        "Shell sums to 95 %; each part must sum to exactly 100 %."]
    assert paths["size_chart.0"] == [
        "Give the size in at least one size system (EU, IT, FR, UK, US, JP)."]
    assert paths["shipping.1.country"] == ["Germany is listed twice: give each market one rate."]
    assert paths["shipping.1.max_days"] == ["Minimum delivery days cannot exceed the maximum."]
    # Nothing was written.
    dress.refresh_from_db()
    assert (dress.version, dress.style_code) == (1, "WD-24-0193")
    assert CompositionLine.objects.get(product=dress).percentage == 100
    assert not ShippingRate.objects.filter(product=dress).exists()


def test_product_save_refuses_a_category_with_sub_categories(dress):
    factories.CategoryFactory(parent=dress.category)
    dress.name_en = "Renamed"
    with pytest.raises(ContentError) as caught:
        product_save(product=dress, expected_version=1)
    assert list(caught.value.paths) == ["category"]
    assert Product.objects.get(pk=dress.pk).name_en == "Long linen dress"


def test_a_save_from_an_old_version_is_refused(dress):
    product_save(product=Product.objects.get(pk=dress.pk), expected_version=1)
    with pytest.raises(StaleProductError, match="after you opened it"):
        product_content_save(product=dress, fields={"name_en": "Late"}, expected_version=1)
    assert Product.objects.get(pk=dress.pk).version == 2


def test_a_fibre_twice_in_a_part_is_refused_on_its_row(dress):
    paths = refused(product=dress, expected_version=1, composition=[
        {"fibre": "flax", "percentage": "50"}, {"fibre": "flax", "percentage": "50"}])
    assert paths == {"composition.1.fibre": ["Shell lists Flax (linen) twice."]}


def test_sizes_are_unique_per_colour_and_skus_in_the_call(dress):
    paths = refused(product=dress, expected_version=1, colours=[{"code": "RED", "variants": [
        {"sku": "A-1", "size_label": "S", "gtin": factories.valid_gtin(1)},
        {"sku": "A-1", "size_label": "S", "gtin": factories.valid_gtin(2)},
    ]}])
    assert paths == {
        "colours.0.variants.1.size_label": ["This colour already has a variant in this size."],
        "colours.0.variants.1.sku": ["A variant with this SKU already exists."],
    }


def test_a_colour_code_is_unique_per_product(dress):
    paths = refused(product=dress, expected_version=1, colours=[
        {"code": "RED", "name_en": "Red"}, {"code": "RED", "name_en": "Crimson"}])
    assert paths == {"colours.1.code": ["This product already has a colour with this code."]}


def test_removing_a_chart_size_a_variant_uses_is_refused(dress):
    paths = refused(product=dress, expected_version=1, size_chart=[{"size_label": "S", "eu": "36"}])
    assert paths == {"size_chart": [
        "Variant WD-RED-M is in size “M”, which the size chart would no longer list: keep the "
        "size in the chart."]}
    assert SizeChartRow.objects.filter(product=dress).count() == 2


def test_accessories_take_any_size(dress):
    profile = factories.ContentProfileFactory(name="Accessories", required_fields=["photos"])
    dress.category.content_profile = profile
    dress.category.save()
    save(dress, colours=[{"code": "RED", "variants": [
        {"sku": "WD-RED-M", "size_label": "ONE SIZE", "gtin": factories.valid_gtin(5)}]}])
    assert Variant.objects.get(sku="WD-RED-M").size_label == "ONE SIZE"


def test_lists_have_set_semantics_by_natural_key(dress, admin_user):
    colour = dress.colours.get()
    variant = Variant.objects.get()
    save(dress, user=admin_user,
         colours=[{"code": "RED", "variants": [
             {"sku": "WD-RED-M", "size_label": "S", "gtin": variant.gtin}]},
             {"code": "BLK", "name_en": "Black", "variants": []}],
         composition=[{"part": "shell", "fibre": "cotton", "percentage": "60"},
                      {"part": "shell", "fibre": "flax", "percentage": "40"}],
         size_chart=[{"size_label": "S", "eu": "36"}])
    assert dress.colours.get(code="RED").pk == colour.pk  # matched, not replaced
    assert Variant.objects.get().pk == variant.pk and variant.history.first().history_type == "~"
    assert list(SizeChartRow.objects.filter(product=dress).values_list("size_label", flat=True)) \
        == ["S"]
    assert dict(dress.composition_lines.values_list("fibre", "percentage")) == {
        "cotton": Decimal(60), "flax": Decimal(40)}
    assert Product.objects.get(pk=dress.pk).version == 2


def test_a_variant_given_under_another_colour_moves_to_it(dress):
    save(dress, colours=[{"code": "RED", "variants": []}, {"code": "BLK", "name_en": "Black",
                                                            "variants": [{"sku": "WD-RED-M"}]}])
    assert Variant.objects.get(sku="WD-RED-M").colour.code == "BLK"


def test_a_save_that_changes_nothing_writes_nothing(dress):
    variant = Variant.objects.get()
    saved = save(dress, fields={"name_en": "Long linen dress"},
                 colours=[{"code": "RED", "name_en": "Red", "variants": [
                     {"sku": variant.sku, "gtin": variant.gtin_display}]}],
                 composition=[{"fibre": "flax", "percentage": "100.00"}])
    assert saved.changed is False
    assert Product.objects.get(pk=dress.pk).version == 1
    assert dress.history.count() == 1 and variant.history.count() == 1


def test_a_row_named_by_an_unknown_id_or_field_is_refused(dress):
    paths = refused(product=dress, expected_version=1,
                    size_chart=[{"id": 999999, "size_label": "S", "eu": "36"},
                                {"size_label": "M", "eu": "38", "shoe": "9"}])
    assert paths == {"size_chart.0.id": ["There is no such size chart row on this product."],
                     "size_chart.1.shoe": ["“shoe” is not a field of a size chart row."]}


def test_colour_names_are_stamped_however_they_are_written(dress):
    colour = dress.colours.get()
    save(dress, colours=[{"code": "RED", "name_fr": "Rouge"}])
    stamp = TranslationStamp.objects.get(colour=colour, locale="fr")
    assert (stamp.how, stamp.source_hash) == ("written", source_hash("Red"))
    # The English name changes: the French one keeps its stamp, so it is outdated.
    colour = Colour.objects.get(pk=colour.pk)
    colour.name_en = "Crimson"
    colour_save(colour=colour)
    assert TranslationStamp.objects.get(colour=colour, locale="fr").source_hash \
        == source_hash("Red")
    colour.name_pl = "Karmazynowy"
    colour_save(colour=colour)
    assert TranslationStamp.objects.get(colour=colour, locale="pl").source_hash \
        == source_hash("Crimson")


# ------------------------------------------------------------- bad text and numbers (issue 11)
INVISIBLE_NAMES = ["\u200b\u200b", "\u3000\u3000", "\u200b \u3000\ufeff", "\u202e\u200b"]
VISIBLE_NEEDED = ["A name needs at least one visible character, not only spaces or invisible ones."]


@pytest.mark.parametrize("name", INVISIBLE_NAMES)
def test_names_need_a_visible_character_in_every_locale_given(dress, name):
    paths = refused(product=dress, expected_version=1, fields={"name_pl": name},
                    colours=[{"code": "RED", "name_zh_hans": name}])
    assert paths == {"name_pl": VISIBLE_NEEDED, "colours.0.name_zh_hans": VISIBLE_NEEDED}
    assert Product.objects.get(pk=dress.pk).version == 1
    assert not TranslationStamp.objects.exists()
    assert refused(product=dress, expected_version=1,
                   colours=[{"code": "RED", "name_en": name}])["colours.0.name_en"] \
        == VISIBLE_NEEDED


def test_a_category_name_needs_a_visible_character():
    from catalog.models import Category
    from catalog.services.taxonomy import category_create
    with pytest.raises(ContentError) as caught:
        category_create(category=Category(name_en="\u3000", name_fr="\u200b", slug="blank"))
    assert caught.value.paths["name_en"] == VISIBLE_NEEDED
    assert caught.value.paths["name_fr"] == VISIBLE_NEEDED
    assert not Category.objects.filter(slug="blank").exists()


def test_bidi_controls_are_removed_from_every_text(dress):
    rlo = "\u202eevil\u202c \u2066x\u2069"
    saved = save(dress, fields={"name_fr": f"Robe {rlo}", "care_text_en": rlo,
                                "description_en": f"<p>{rlo}</p>"},
                 colours=[{"code": "RED", "name_pl": f"Czerwony {rlo}"}])
    product = Product.objects.get(pk=saved.product.pk)
    assert product.name_fr == "Robe evil x"
    assert product.care_text_en == "evil x"
    assert product.description_en == "<p>evil x</p>"
    assert Colour.objects.get(product=product).name_pl == "Czerwony evil x"
    # A write that skips the checks is cleaned too.
    product.fit_description_en = "\u202dSlim"
    product.save()
    assert Product.objects.get(pk=product.pk).fit_description_en == "Slim"


def test_texts_longer_than_their_field_are_refused(dress):
    paths = refused(product=dress, expected_version=1,
                    fields={"description_en": "<p>" + "x" * 20_001 + "</p>",
                            "care_text_fr": "x" * 5_001})
    assert paths["description_en"] == [
        "Ensure this value has at most 20000 characters (it has 20008)."]
    assert paths["care_text_fr"] == [
        "Ensure this value has at most 5000 characters (it has 5001)."]


def test_measurements_model_height_and_shipping_have_bounds(dress):
    paths = refused(product=dress, expected_version=1, fields={"model_height_cm": 999},
                    size_chart=[{"size_label": "S", "eu": "36", "chest_cm": "-5"},
                                {"size_label": "M", "eu": "38", "foot_length_cm": "99"}],
                    shipping=[{"country": "DE", "cost": "250000", "currency": "EUR",
                               "min_days": 1, "max_days": 99_999}])
    assert paths == {
        "model_height_cm": ["Ensure this value is less than or equal to 230."],
        "size_chart.0.chest_cm": ["Ensure this value is greater than or equal to 10."],
        "size_chart.1.foot_length_cm": ["Ensure this value is less than or equal to 40."],
        "shipping.0.cost": ["Ensure this value is less than or equal to 100000."],
        "shipping.0.max_days": ["Ensure this value is less than or equal to 90."],
    }
    assert not ShippingRate.objects.filter(product=dress).exists()


def test_the_database_refuses_out_of_range_numbers_too(dress):
    from django.db import IntegrityError, transaction
    row = dress.size_chart_rows.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        SizeChartRow.objects.filter(pk=row.pk).update(chest_cm=-5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.filter(pk=dress.pk).update(model_height_cm=20)


@pytest.mark.parametrize("percentages, total", [
    (["25", "25"], "50"), (["33.50", "33.50"], "67"), (["0.50", "50"], "50.5"),
    (["60", "60"], "120"),
])
def test_a_composition_sum_prints_as_written(dress, percentages, total):
    paths = refused(product=dress, expected_version=1, composition=[
        {"fibre": fibre, "percentage": p} for fibre, p in zip(("flax", "cotton"), percentages)])
    assert paths == {"composition": [
        f"Shell sums to {total} %; each part must sum to exactly 100 %."]}


def test_translations_written_with_their_new_source_are_current(dress):
    colour = dress.colours.get()
    save(dress, fields={"name_fr": "Robe", "name_pl": "Suknia"},
         colours=[{"code": "RED", "name_fr": "Rouge", "name_pl": "Czerwony",
                   "name_zh_hans": "红"}])
    dress = Product.objects.get(pk=dress.pk)
    # Source and translations change together: each is stamped against the new source.
    save(dress, fields={"name_en": "Linen maxi dress", "name_fr": "Robe maxi", "name_pl": "Maxi"},
         colours=[{"code": "RED", "name_en": "Crimson", "name_fr": "Cramoisi",
                   "name_pl": "Karmazynowy", "name_zh_hans": "深红"}])
    stamps = TranslationStamp.objects.filter(product=dress)
    assert {(s.field, s.locale, s.source_hash) for s in stamps.filter(colour=colour)} == {
        ("name", loc, source_hash("Crimson")) for loc in ("fr", "pl", "zh-hans")}
    assert {(s.locale, s.source_hash) for s in stamps.filter(colour=None)} == {
        (loc, source_hash("Linen maxi dress")) for loc in ("fr", "pl")}


@pytest.mark.parametrize("model", [Product, Colour, Variant])
def test_new_rows_are_what_the_model_makes(model):
    """new_row copies one blank instance: the values of the model's own, nothing shared."""
    def values(obj):
        return {k: v for k, v in obj.__dict__.items() if k != "_state"}

    made, copied = model(), new_row(model, position=3)
    assert values(copied) == {**values(made), "position": 3}
    assert (copied._state.adding, copied._state.db, copied.pk) == (True, None, None)
    copied.name = "changed"
    copied._state.adding = False
    again = new_row(model)
    assert values(again) == values(made) and again._state.adding
