"""manage.py load_demo: a realistic, valid, partly translated catalog, loaded once."""
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.test import Client

from catalog.models import (
    Category,
    Channel,
    CompositionLine,
    Product,
    ProductPhoto,
    SizeChartRow,
    Variant,
)
from catalog.models.fields import validate_gtin

pytestmark = pytest.mark.django_db


def _load(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def test_demo_catalog_is_realistic_valid_and_idempotent():
    output = _load()

    departments = Category.objects.filter(depth=1)
    leaves = Category.objects.filter(numchild=0)
    assert departments.count() >= 3 and leaves.count() >= 15
    assert Product.objects.count() >= 300
    assert Channel.objects.filter(code__in=["webshop", "marketplace", "store-screens"]).count() == 3
    assert "Admin login:" in output and "password:" in output
    password = output.split("password: ")[1].split()[0]
    for username in ("admin", "translator"):
        login = Client().post("/admin/login/?next=/admin/",
                              {"username": username, "password": password})
        assert login.status_code == 302 and login["Location"] == "/admin/", username
    assert "Same password for the role users: manager, merchandiser, translator." in output

    # Every product sits in a leaf, with colours, variants with valid GTINs and a full chart.
    assert not Product.objects.exclude(category__in=leaves).exists()
    assert not Product.objects.annotate(n=Count("colours")).filter(n=0).exists()
    for gtin in Variant.objects.values_list("gtin", flat=True)[:500]:
        validate_gtin(gtin)
    charted = set(SizeChartRow.objects.values_list("product_id", "size_label"))
    assert all(
        pair in charted
        for pair in Variant.objects.values_list("colour__product_id", "size_label")
    )
    # Composition sums to 100 % per part, fibres from the controlled list.
    sums = CompositionLine.objects.values("product", "part").annotate(total=Sum("percentage"))
    assert {row["total"] for row in sums} == {100}
    for product in Product.objects.order_by("?")[:25]:
        try:
            product.full_clean()
        except ValidationError as error:  # pragma: no cover - the message is the point
            pytest.fail(f"{product.style_code}: {error}")

    # English is complete; translations are partly done, so gaps show.
    assert not Product.objects.filter(name_en="").exists()
    assert not Product.objects.filter(description_en="").exists()
    for locale in ("fr", "pl", "zh_hans"):
        translated = Product.objects.exclude(**{f"name_{locale}__isnull": True}).exclude(
            **{f"name_{locale}": ""}).count()
        assert 0 < translated < Product.objects.count(), locale
    names = set(Product.objects.values_list("name_en", flat=True))
    assert "Leather jacket" in names and not any("dresse" in n for n in names)

    counts = (Product.objects.count(), Variant.objects.count(), Category.objects.count())
    rerun = _load("--no-admin")
    assert (Product.objects.count(), Variant.objects.count(), Category.objects.count()) == counts
    assert "(0 new)" in rerun


def test_products_option_scales_the_catalog():
    _load("--products", "40", "--no-admin")
    assert Product.objects.count() == 40
    assert ProductPhoto.objects.exists()
    _load("--products", "60", "--no-admin", "--catalog-only")
    assert Product.objects.count() == 60
    # The 20 new products got no photos: --catalog-only skips the media and workflow steps.
    assert ProductPhoto.objects.values("colour__product").distinct().count() == 40


def test_negative_product_count_is_refused():
    with pytest.raises(CommandError, match="zero or more"):
        _load("--products", "-1")
    assert not Product.objects.exists()
