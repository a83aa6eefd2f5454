"""The category tree in the admin: build, translate, move, inherit, and the history of changes."""
import pytest
from django.urls import reverse

from catalog.loaders import ProductRulesLoader
from catalog.models import Category, Product, ShippingRate
from tests import factories
from tests.forms import add_inline_row, errors_of, form_data

pytestmark = pytest.mark.django_db

ADD = reverse("admin:catalog_category_add")


def _add(client, *, name, slug, parent=None, position="first-child", **extra):
    data = form_data(client.get(ADD))
    data.update({"name_en": name, "slug": slug, "treebeard_position": position,
                 "treebeard_ref_node": str(parent.pk) if parent else "", **extra})
    return client.post(ADD, data)


def test_merchandiser_builds_a_translated_tree(admin_client):
    profile = factories.ContentProfileFactory(name="Apparel")
    response = _add(admin_client, name="Women", slug="women", position="first-child",
                    name_fr="Femme", name_pl="Kobiety", name_zh_hans="女装",
                    content_profile=str(profile.pk))
    assert response.status_code == 302, errors_of(response)
    women = Category.objects.get(slug="women")
    assert _add(admin_client, name="Dresses", slug="dresses", parent=women,
                position="first-child").status_code == 302
    dresses = Category.objects.get(slug="dresses")
    assert _add(admin_client, name="Long dresses", slug="long-dresses", parent=dresses,
                position="first-child", name_fr="Robes longues").status_code == 302

    leaf = Category.objects.get(slug="long-dresses")
    assert leaf.path_label == "Women > Dresses > Long dresses"
    assert (women.name_fr, women.name_zh_hans, leaf.name_fr) == ("Femme", "女装", "Robes longues")
    assert leaf.effective_content_profile() == profile

    url = reverse("admin:catalog_category_changelist")
    listing = admin_client.get(url, {"q": "Long"}).content.decode()
    assert "Long dresses" in listing and "Apparel (inherited)" in listing


def test_a_category_holding_products_takes_no_sub_category(admin_client):
    dresses = factories.CategoryFactory(name="Dresses", slug="dresses")
    factories.ProductFactory(category=dresses)
    response = _add(admin_client, name="Long", slug="long", parent=dresses, position="first-child")
    assert response.status_code == 200
    assert "holds 1 product(s)" in errors_of(response)
    assert not Category.objects.filter(slug="long").exists()


def test_move_a_branch_under_another_department(admin_client):
    women, men = factories.CategoryFactory(name="Women"), factories.CategoryFactory(name="Men")
    shoes = factories.CategoryFactory(name="Shoes", parent=women)
    sandals = factories.CategoryFactory(name="Sandals", parent=shoes)
    url = reverse("admin:catalog_category_change", args=[shoes.pk])
    data = form_data(admin_client.get(url))
    data.update({"treebeard_position": "first-child", "treebeard_ref_node": str(men.pk)})
    assert admin_client.post(url, data).status_code == 302
    sandals.refresh_from_db()
    assert sandals.path_label == "Men > Shoes > Sandals"


def test_shipping_override_on_a_branch_applies_to_every_brand_below_it(admin_client):
    outerwear = factories.CategoryFactory(name="Outerwear")
    coats = factories.CategoryFactory(name="Coats", parent=outerwear)
    for code in ("lumiere", "nord"):
        brand = factories.BrandFactory(code=code)
        factories.ProductFactory(category=coats, brand=brand)
        factories.ShippingRateFactory(brand=brand, country="FR", cost="4.95")
    url = reverse("admin:catalog_category_change", args=[outerwear.pk])
    data = form_data(admin_client.get(url))
    add_inline_row(data, "shipping_rates", country="FR", cost="12.00", currency="EUR",
                   min_days="3", max_days="5")
    response = admin_client.post(url, data)
    assert response.status_code == 302, errors_of(response)

    rate = ShippingRate.objects.get(category=outerwear)
    assert rate.brand is None
    rules = ProductRulesLoader().load(Product.objects.filter(category=coats))
    assert [str(x.shipping["FR"].cost) for x in rules.values()] == ["12.00", "12.00"]


def test_a_market_listed_twice_on_a_branch_is_refused(admin_client):
    outerwear = factories.CategoryFactory(name="Outerwear")
    url = reverse("admin:catalog_category_change", args=[outerwear.pk])
    data = form_data(admin_client.get(url))
    data["name_en"] = "Coats and jackets"
    for cost in ("12.00", "15.00"):
        add_inline_row(data, "shipping_rates", country="PL", cost=cost, currency="PLN",
                       min_days="3", max_days="5")
    response = admin_client.post(url, data)
    assert "Poland is listed twice: give each market one rate." in errors_of(response)
    assert not ShippingRate.objects.exists()
    outerwear.refresh_from_db()
    assert outerwear.name_en == "Outerwear"


def test_category_list_queries_do_not_grow_with_rows(admin_client, django_assert_max_num_queries):
    root = factories.CategoryFactory(name="Women")
    for i in range(3):
        factories.CategoryFactory(name=f"Leaf {i}", parent=root)
    url = reverse("admin:catalog_category_changelist")
    with django_assert_max_num_queries(12) as few:
        admin_client.get(url, {"q": "Leaf"})
    for i in range(3, 40):
        factories.CategoryFactory(name=f"Leaf {i}", parent=root)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(url, {"q": "Leaf"})
    assert response.content.decode().count("field-products_count") == 40


def test_product_history_shows_who_changed_what(admin_client):
    product = factories.ProductFactory(name="Linen dress")
    product.name = "Washed linen dress"
    product._history_user = factories.UserFactory(username="marta")
    product.save()
    response = admin_client.get(reverse("admin:catalog_product_history", args=[product.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "marta" in page and "Name" in page and "Washed linen dress" in page


def test_tree_counts_the_products_of_each_branch_and_every_category(admin_client):
    women = factories.CategoryFactory(name="Women")
    dresses = factories.CategoryFactory(name="Dresses", parent=women)
    long_dresses = factories.CategoryFactory(name="Long dresses", parent=dresses)
    short_dresses = factories.CategoryFactory(name="Short dresses", parent=dresses)
    factories.CategoryFactory(name="Men")
    for category, count in ((long_dresses, 2), (short_dresses, 1)):
        for _ in range(count):
            factories.ProductFactory(category=category)
    url = reverse("admin:catalog_category_changelist")
    response = admin_client.get(url)
    counts = {row.name_en: row.product_total for row in response.context["cl"].result_list}
    assert counts == {"Women": 3, "Men": 0}
    assert "2 shown at this level, 5 categories in the tree" in response.content.decode()
    searched = admin_client.get(url, {"q": "dresses"})
    counts = {row.name_en: row.product_total for row in searched.context["cl"].result_list}
    assert counts == {"Dresses": 3, "Long dresses": 2, "Short dresses": 1}
    assert "3 categories" in searched.content.decode()
    children = admin_client.get(f"{url}children/{dresses.pk}/").json()
    html = children["result_html"]
    assert 'class="field-products_count">2<' in html and 'class="field-products_count">1<' in html
