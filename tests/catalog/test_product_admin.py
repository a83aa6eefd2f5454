"""The merchandiser's product page: every rule through the admin, as a browser posts it."""
import pytest
from django.urls import reverse

from catalog.models import Category, CompositionLine, Product, ShippingRate, SizeChartRow, Variant
from tests import factories
from tests.forms import add_inline_row, errors_of, form_data

pytestmark = pytest.mark.django_db


def change_url(product):
    return reverse("admin:catalog_product_change", args=[product.pk])


def add_colour(data: dict, position: str, variant: dict, **values) -> None:
    """Append a new colour with one new variant (and its empty photo list) to the post."""
    colour = add_inline_row(data, "colours", position=position, **values)
    for key, value in variant.items():
        data[f"colours-{colour}-variants-0-{key}"] = value
    for inline, total in (("variants", "1"), ("photos", "0")):
        data[f"colours-{colour}-{inline}-TOTAL_FORMS"] = total
        data[f"colours-{colour}-{inline}-INITIAL_FORMS"] = "0"


def load(client, product):
    response = client.get(change_url(product))
    assert response.status_code == 200
    return form_data(response)


def test_merchandiser_edits_every_group_and_translation(admin_client, dress):
    data = load(admin_client, dress)
    data.update(
        {
            "name_fr": "Robe longue en lin",
            "name_pl": "Długa lniana sukienka",
            "name_zh_hans": "亚麻长裙",
            "fit_type": "relaxed",
            "fit_description_en": "Relaxed through the body.",
            "model_height_cm": "178",
            "model_size": "S",
            "size_advice_en": "Runs small: take one size up.",
            "care_washing": "wash_30",
            "care_ironing": "iron_110",
            "care_text_en": "Wash inside out.",
            "material_text_en": "Washed linen, 180 g/m².",
            "rating_average": "4.50",
            "rating_count": "12",
        }
    )
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    dress.refresh_from_db()
    assert dress.name_fr == "Robe longue en lin"
    assert dress.name_zh_hans == "亚麻长裙"
    assert dress.model_measurements == "Model is 178 cm and wears S"
    assert (dress.care_washing, dress.care_ironing) == ("wash_30", "iron_110")
    assert dress.version == 2
    # History keeps who changed what, in every locale.
    latest = dress.history.first()
    assert latest.history_user.username == "admin"
    assert set(latest.diff_against(latest.prev_record).changed_fields) >= {"name_fr", "fit_type"}


def test_add_colour_with_variants_and_a_composition(admin_client, dress):
    data = load(admin_client, dress)
    add_colour(data, "1", {"size_label": "S", "sku": "WD-24-0193-BLK-S", "gtin": "4006381333931"},
               code="BLK", name_en="Black")
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    variant = Variant.objects.get(sku="WD-24-0193-BLK-S")
    assert variant.colour.name == "Black"
    assert variant.gtin == "04006381333931"
    assert variant.gtin_display == "4006381333931"


def test_composition_must_sum_to_100_per_part(admin_client, dress):
    data = load(admin_client, dress)
    data["composition_lines-0-percentage"] = "95"
    add_inline_row(
        data, "composition_lines", part="lining", fibre="cotton", percentage="100", position="1"
    )
    response = admin_client.post(change_url(dress), data)
    assert "Shell sums to 95 %" in errors_of(response)
    assert CompositionLine.objects.get(product=dress).percentage == 100
    assert Product.objects.get(pk=dress.pk).version == 1


def test_unknown_fibre_is_refused(admin_client, dress):
    data = load(admin_client, dress)
    data["composition_lines-0-fibre"] = "unobtainium"
    response = admin_client.post(change_url(dress), data)
    assert "Select a valid choice" in errors_of(response)
    assert CompositionLine.objects.get(product=dress).fibre == "flax"


def test_fibre_listed_twice_in_one_part_is_refused(admin_client, dress):
    data = load(admin_client, dress)
    data["composition_lines-0-percentage"] = "50"
    add_inline_row(
        data, "composition_lines", part="shell", fibre="flax", percentage="50", position="1"
    )
    response = admin_client.post(change_url(dress), data)
    assert "lists Flax (linen) twice" in errors_of(response)


@pytest.mark.parametrize(
    "gtin, message",
    [
        ("4006381333932", "wrong check digit"),
        ("12345", "is not a GTIN"),
        ("ABCDEFGHIJKLM", "is not a GTIN"),
    ],
)
def test_bad_gtin_is_refused(admin_client, dress, gtin, message):
    data = load(admin_client, dress)
    before = Variant.objects.get().gtin
    data["colours-0-variants-0-gtin"] = gtin
    response = admin_client.post(change_url(dress), data)
    assert message in errors_of(response)
    assert Variant.objects.get().gtin == before


@pytest.mark.parametrize("positions", [("1", "1", "1"), ("2", "x", "0")])
def test_rows_posted_with_repeated_or_bad_positions_keep_their_posted_order(
        admin_client, dress, positions):
    """The page's script numbers rows; a hand-made post may not. Nothing breaks, nothing is lost."""
    data = load(admin_client, dress)
    add_inline_row(data, "size_chart_rows", size_label="L", eu="40")
    for index, position in enumerate(positions):
        data[f"size_chart_rows-{index}-position"] = position
    data["composition_lines-0-percentage"] = "95"
    response = admin_client.post(change_url(dress), data)  # the page comes back with its error
    assert "Shell sums to 95 %" in errors_of(response)
    data["composition_lines-0-percentage"] = "100"
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    expected = sorted(zip(positions, "SML"), key=lambda p: (not p[0].isdigit(), p[0]))
    assert list(SizeChartRow.objects.filter(product=dress).values_list("size_label", flat=True)) \
        == [label for _, label in expected]


@pytest.mark.parametrize("key", ["colours-0-id", "colours-0-variants-0-id", "size_chart_rows-0-id",
                                 "composition_lines-0-id"])
@pytest.mark.parametrize("value", ["x", "99999999999999999999", "-1"])
def test_a_forged_row_id_is_refused_and_nothing_changes(admin_client, dress, key, value):
    data = load(admin_client, dress)
    data[key] = value
    data["name_en"] = "Renamed"
    response = admin_client.post(change_url(dress), data)
    assert "Select a valid choice" in errors_of(response)
    assert Product.objects.get(pk=dress.pk).name_en == "Long linen dress"


def test_shipping_override_per_market_on_the_product_page(admin_client, dress):
    data = load(admin_client, dress)
    add_inline_row(data, "shipping_rates", country="DE", cost="0.00", currency="EUR",
                   min_days="1", max_days="2")
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    rate = ShippingRate.objects.get(product=dress)
    assert (rate.country.code, rate.cost, rate.brand, rate.category) == ("DE", 0, None, None)


@pytest.mark.parametrize("rows, message", [
    ([{"country": "DE"}, {"country": "DE"}], "Germany is listed twice: give each market one rate."),
    ([{"country": "DE", "min_days": "5", "max_days": "2"}],
     "Minimum delivery days cannot exceed the maximum."),
    ([{"country": "DE", "cost": "-1"}], "greater than or equal to 0"),
])
def test_bad_shipping_override_is_refused(admin_client, dress, rows, message):
    data = load(admin_client, dress)
    data["name_en"] = "Renamed"
    for row in rows:
        add_inline_row(data, "shipping_rates", **{"cost": "4.95", "currency": "EUR",
                                                  "min_days": "1", "max_days": "2", **row})
    response = admin_client.post(change_url(dress), data)
    assert message in errors_of(response)
    assert not ShippingRate.objects.filter(product=dress).exists()
    assert Product.objects.get(pk=dress.pk).name_en == "Long linen dress"


def test_second_rate_for_a_market_already_overridden_is_refused(admin_client, dress):
    factories.ShippingRateFactory(brand=None, product=dress, country="DE", cost="3.00")
    data = load(admin_client, dress)
    add_inline_row(data, "shipping_rates", country="DE", cost="9.00", currency="EUR",
                   min_days="1", max_days="2")
    response = admin_client.post(change_url(dress), data)
    assert "Germany is listed twice" in errors_of(response)
    assert list(ShippingRate.objects.filter(product=dress).values_list("cost", flat=True)) == [3]


def test_duplicate_gtin_is_refused_even_in_another_form(admin_client, dress):
    other = factories.VariantFactory(size_label="M")
    data = load(admin_client, dress)
    # The same item written as UPC-A/EAN-13/GTIN-14 is one GTIN.
    data["colours-0-variants-0-gtin"] = other.gtin_display
    response = admin_client.post(change_url(dress), data)
    assert "A variant with this GTIN already exists" in errors_of(response)


def test_duplicate_style_code_is_refused(admin_client, dress):
    other = factories.ProductFactory(style_code="WD-24-0999")
    data = load(admin_client, other)
    data["style_code"] = "WD-24-0193"
    response = admin_client.post(change_url(other), data)
    assert "A product with this style code already exists" in errors_of(response)
    assert Product.objects.filter(style_code="WD-24-0193").count() == 1


def test_variant_size_missing_from_size_chart_is_refused(admin_client, dress):
    data = load(admin_client, dress)
    data["colours-0-variants-0-size_label"] = "XL"
    response = admin_client.post(change_url(dress), data)
    assert "Size “XL” is not in the size chart (M, S)" in errors_of(response)
    assert Variant.objects.get().size_label == "M"


def test_accessories_without_a_size_chart_take_any_size(admin_client, dress):
    profile = factories.ContentProfileFactory(name="Accessories", required_fields=["photos"])
    dress.category.content_profile = profile
    dress.category.save()
    data = load(admin_client, dress)
    data["colours-0-variants-0-size_label"] = "ONE SIZE"
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)


def test_removing_a_chart_size_that_variants_use_is_refused(admin_client, dress):
    data = load(admin_client, dress)
    data["size_chart_rows-1-DELETE"] = "on"  # M
    response = admin_client.post(change_url(dress), data)
    assert "Size “M” is not in the size chart (S)" in errors_of(response)
    assert SizeChartRow.objects.filter(product=dress).count() == 2


def test_size_added_to_chart_and_variant_in_one_save(admin_client, dress):
    data = load(admin_client, dress)
    add_inline_row(data, "size_chart_rows", size_label="L", eu="40", position="2")
    add_inline_row(
        data, "colours-0-variants", size_label="L", sku="WD-L", gtin=factories.valid_gtin(777)
    )
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    assert Variant.objects.filter(size_label="L").exists()


def test_script_in_editorial_text_is_stripped(admin_client, dress):
    data = load(admin_client, dress)
    data["description_en"] = (
        '<p onclick="steal()">Flowing <strong>linen</strong><script>alert(1)</script></p>'
        '<p style="color:red">Styled</p><a href="javascript:alert(1)">x</a>'
    )
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    dress.refresh_from_db()
    assert dress.description_en == (
        "<p>Flowing <strong>linen</strong></p><p>Styled</p>"
        '<a rel="noopener noreferrer">x</a>'
    )


def test_stale_save_is_refused_and_nothing_is_overwritten(admin_client, dress):
    first = load(admin_client, dress)
    second = load(admin_client, dress)
    first["name_en"] = "Saved first"
    assert admin_client.post(change_url(dress), first).status_code == 302
    second["name_en"] = "Saved second, from an old copy"
    second["colours-0-name_en"] = "Crimson"
    response = admin_client.post(change_url(dress), second)
    assert "was changed by admin" in errors_of(response)
    dress.refresh_from_db()
    assert dress.name_en == "Saved first"
    assert dress.colours.get().name_en == "Red"


def test_a_product_sits_in_a_leaf_category(admin_client, dress):
    department = Category.objects.get_root(dress.category)
    child = factories.CategoryFactory(parent=dress.category, name="Maxi")
    data = load(admin_client, dress)
    # A category with children is not even offered.
    response = admin_client.post(change_url(dress), {**data, "category": str(department.pk)})
    assert "Select a valid choice" in errors_of(response)
    data["category"] = str(child.pk)
    assert admin_client.post(change_url(dress), data).status_code == 302


def test_new_product_from_the_add_page(admin_client, dress):
    response = admin_client.get(reverse("admin:catalog_product_add"))
    data = form_data(response)
    data.update(
        {
            "style_code": "MJ-25-0001",
            "name_en": "Leather biker jacket",
            "brand": str(dress.brand_id),
            "season": str(dress.season_id),
            "category": str(dress.category_id),
        }
    )
    add_inline_row(
        data, "composition_lines", part="shell", fibre="leather", percentage="100", position="0"
    )
    add_inline_row(data, "size_chart_rows", size_label="50", eu="50", position="0")
    add_colour(data, "0", {"size_label": "50", "sku": "MJ-BLK-50",
                           "gtin": factories.valid_gtin(4242)}, code="BLK", name_en="Black")
    response = admin_client.post(reverse("admin:catalog_product_add"), data)
    assert response.status_code == 302, errors_of(response)
    product = Product.objects.get(style_code="MJ-25-0001")
    assert product.colours.get().variants.get().size_label == "50"


def test_bad_style_code_on_add_stores_nothing(admin_client, dress):
    data = form_data(admin_client.get(reverse("admin:catalog_product_add")))
    data.update(
        {
            "style_code": "wd 24/0193",
            "name_en": "x",
            "brand": str(dress.brand_id),
            "season": str(dress.season_id),
            "category": str(dress.category_id),
        }
    )
    add_inline_row(data, "colours", code="RED", name_en="Red", position="0")
    response = admin_client.post(reverse("admin:catalog_product_add"), data)
    assert "capital letters, digits and single dashes" in errors_of(response)
    assert Product.objects.count() == 1


@pytest.mark.parametrize(
    "term", ["WD-24-0193", "linen", "Robe", "SKU", "GTIN-13", "UPC"], ids=str
)
def test_search_by_style_code_name_sku_gtin(admin_client, dress, term):
    factories.ProductFactory(style_code="XX-00-0001", name="Wool coat", description="<p>Warm.</p>")
    dress.name_fr = "Robe longue"
    dress.save()
    variant = Variant.objects.get(colour__product=dress)
    query = {
        "linen": "linen",
        "Robe": "Robe",
        "SKU": variant.sku,
        "GTIN-13": variant.gtin_display,
        "UPC": variant.gtin,  # GTIN-14 form finds it too
    }.get(term, term)
    response = admin_client.get(reverse("admin:catalog_product_changelist"), {"q": query})
    found = [p.style_code for p in response.context["cl"].result_list]
    assert found == ["WD-24-0193"]


def test_filters_by_department_season_and_brand(admin_client, dress):
    other_department = factories.CategoryFactory(name="Men")
    factories.ProductFactory(
        category=factories.CategoryFactory(parent=other_department, name="Jackets")
    )
    department = Category.objects.get_root(dress.category)
    url = reverse("admin:catalog_product_changelist")
    response = admin_client.get(url, {"category": department.pk})
    assert [p.pk for p in response.context["cl"].result_list] == [dress.pk]
    response = admin_client.get(url, {"season__id__exact": dress.season_id})
    assert response.context["cl"].result_count == 2


def _catalog(n):
    category = factories.CategoryFactory()
    for _ in range(n):
        product = factories.ProductFactory(category=category)
        colour = factories.ColourFactory(product=product)
        factories.VariantFactory(colour=colour)


def test_product_list_queries_do_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    url = reverse("admin:catalog_product_changelist")
    _catalog(3)
    with django_assert_max_num_queries(12) as small:
        admin_client.get(url)
    _catalog(40)
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get(url)


def test_a_deep_page_lists_its_rows_in_order_with_their_annotations(admin_client):
    url = reverse("admin:catalog_product_changelist")
    _catalog(120)
    codes = list(Product.objects.order_by("-style_code").values_list("style_code", flat=True))
    response = admin_client.get(url, {"p": 2, "o": "-2"})  # newest style codes first
    listed = response.context["cl"].result_list
    assert [p.style_code for p in listed] == codes[50:100]
    assert all(hasattr(p, "cover_thumbnail") for p in listed)
    last = admin_client.get(url, {"p": 3, "o": "-2"}).context["cl"].result_list
    assert [p.style_code for p in last] == codes[100:]


def test_change_page_queries_do_not_grow_with_rows(
    admin_client, dress, django_assert_max_num_queries
):
    colour = dress.colours.get()
    with django_assert_max_num_queries(40) as small:
        admin_client.get(change_url(dress))
    for i in range(12):
        factories.SizeChartRowFactory(product=dress, size_label=f"X{i}", position=i + 2)
        factories.VariantFactory(colour=colour, size_label=f"X{i}")
    factories.CompositionLineFactory(product=dress, part="lining", fibre="viscose")
    _catalog(20)
    with django_assert_max_num_queries(len(small.captured_queries)):
        admin_client.get(change_url(dress))


def test_a_sku_given_under_two_colours_is_refused_and_nothing_is_saved(admin_client, dress):
    data = load(admin_client, dress)
    add_inline_row(data, "colours-0-variants", size_label="S", sku="DUP-1",
                   gtin=factories.valid_gtin(901))
    add_colour(data, "1", {"size_label": "S", "sku": "DUP-1", "gtin": factories.valid_gtin(902)},
               code="BLK", name_en="Black")
    response = admin_client.post(change_url(dress), data, follow=True)
    assert "Nothing was saved: A variant with this SKU already exists." in \
        response.content.decode()
    assert not Variant.objects.filter(sku="DUP-1").exists()
    assert list(dress.colours.values_list("code", flat=True)) == ["RED"]


def test_a_size_chart_row_needs_a_size_system(admin_client, dress):
    data = load(admin_client, dress)
    add_inline_row(data, "size_chart_rows", size_label="L", position="2")
    response = admin_client.post(change_url(dress), data)
    assert "Give the size in at least one size system" in errors_of(response)
    assert SizeChartRow.objects.filter(product=dress).count() == 2


def test_saving_an_unchanged_page_writes_nothing(admin_client, dress):
    response = admin_client.post(change_url(dress), load(admin_client, dress))
    assert response.status_code == 302, errors_of(response)
    assert Product.objects.get(pk=dress.pk).version == 1
    assert dress.history.count() == 1


def test_deleting_a_colour_deletes_its_variants(admin_client, dress):
    data = load(admin_client, dress)
    add_colour(data, "1", {"size_label": "M", "sku": "WD-BLK-M", "gtin": factories.valid_gtin(903)},
               code="BLK", name_en="Black")
    assert admin_client.post(change_url(dress), data).status_code == 302
    data = load(admin_client, dress)
    data["colours-0-DELETE"] = "on"  # RED
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    assert list(Variant.objects.values_list("sku", flat=True)) == ["WD-BLK-M"]
    assert list(dress.colours.values_list("code", flat=True)) == ["BLK"]


# -------------------------------------------------------------- oversized posts (issue 11)
def largest_real_page(product):
    """10 colours of 10 photos each, 10 sizes, every locale written."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from catalog.services.photos import photo_add
    from tests.media import builders

    sizes = [f"S{i}" for i in range(10)]
    for i, size in enumerate(sizes):
        factories.SizeChartRowFactory(product=product, size_label=size, eu=size, position=i + 2)
    colours = [product.colours.get()] + [
        factories.ColourFactory(product=product, code=f"C{i}", name=f"Colour {i}", position=i)
        for i in range(1, 10)]
    assets = []
    for i, colour in enumerate(colours):
        colour.name_fr = colour.name_pl = colour.name_zh_hans = f"{colour.name} (t)"
        colour.save()
        for size in sizes:
            factories.VariantFactory(colour=colour, size_label=size)
        for n in range(10):
            alt = {loc: f"Photo {n}" for loc in ("en", "fr", "pl", "zh_hans")}
            if i == 0:
                photo = photo_add(colour=colour, alt_text=alt, file=SimpleUploadedFile(
                    f"p{n}.jpg", builders.jpeg(size=(40, 50), colour=(n * 20, 60, 90))))
                assets.append(photo.asset)
            else:
                photo_add(colour=colour, asset=assets[n], alt_text=alt)
    for name in ("name", "description", "material_text", "fit_description", "size_advice",
                 "care_text"):
        for loc in ("en", "fr", "pl", "zh_hans"):
            setattr(product, f"{name}_{loc}", f"{name} {loc}")
    product.save()


def test_the_largest_real_page_posts_well_within_the_field_limit(admin_client, dress, settings):
    largest_real_page(dress)
    data = load(admin_client, dress)
    fields = sum(len(v) if isinstance(v, list) else 1 for v in data.values())
    print("fields posted by the largest real product page:", fields)
    assert fields * 2 <= settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)


def test_a_forged_row_count_is_refused_at_once_with_a_message(admin_client, dress):
    data = load(admin_client, dress)
    data["colours-TOTAL_FORMS"] = "5000"
    response = admin_client.post(change_url(dress), data)
    # The page builds at most one row past the limit, never the 5,000 it was told of.
    colours = next(inline.formset for inline in response.context["inline_admin_formsets"]
                   if inline.formset.prefix == "colours")
    assert len(colours.forms) <= 31
    assert "A page may send at most 30 colours here; this one sent more. Nothing was saved." \
        in errors_of(response)
    assert Product.objects.get(pk=dress.pk).version == 1


def test_a_description_over_its_length_gets_a_form_error(admin_client, dress):
    data = load(admin_client, dress)
    data["description_en"] = "<p>" + "x" * 5_000_000 + "</p>"
    response = admin_client.post(change_url(dress), data)
    assert "Ensure this value has at most 20000 characters" in errors_of(response)
    assert Product.objects.get(pk=dress.pk).version == 1


def test_bad_text_and_numbers_through_the_page(admin_client, dress):
    data = load(admin_client, dress)
    data.update({"name_fr": "\u200b\u200b", "colours-0-name_pl": "\u3000\u200b",
                 "size_chart_rows-0-chest_cm": "-5", "model_height_cm": "20"})
    errors = errors_of(admin_client.post(change_url(dress), data))
    assert errors.count("A name needs at least one visible character") == 2, errors
    assert "Ensure this value is greater than or equal to 10." in errors
    assert "Ensure this value is greater than or equal to 100." in errors
    data = load(admin_client, dress)
    data.update({"name_fr": "Robe \u202elongue\u202c",
                 "composition_lines-0-percentage": "50"})
    errors = errors_of(admin_client.post(change_url(dress), data))
    assert "Shell sums to 50 %; each part must sum to exactly 100 %." in errors
    data["composition_lines-0-percentage"] = "100"
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    assert Product.objects.get(pk=dress.pk).name_fr == "Robe longue"


def test_source_and_translations_changed_together_stay_current(admin_client, dress):
    from catalog.models import TranslationStamp, source_hash
    data = load(admin_client, dress)
    data.update({"colours-0-name_fr": "Rouge", "colours-0-name_pl": "Czerwony",
                 "colours-0-name_zh_hans": "红", "name_fr": "Robe"})
    assert admin_client.post(change_url(dress), data).status_code == 302
    data = load(admin_client, dress)
    data.update({"colours-0-name_en": "Crimson", "colours-0-name_fr": "Cramoisi",
                 "colours-0-name_pl": "Karmazynowy", "colours-0-name_zh_hans": "深红",
                 "name_en": "Linen maxi dress", "name_fr": "Robe maxi"})
    response = admin_client.post(change_url(dress), data)
    assert response.status_code == 302, errors_of(response)
    stamps = TranslationStamp.objects.filter(product=dress)
    assert {(s.locale, s.source_hash) for s in stamps.exclude(colour=None)} == {
        (loc, source_hash("Crimson")) for loc in ("fr", "pl", "zh-hans")}
    assert {(s.locale, s.source_hash) for s in stamps.filter(colour=None)} == {
        ("fr", source_hash("Linen maxi dress"))}
