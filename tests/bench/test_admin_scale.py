"""bench/admin_scale.py's builder: COPY writes the same catalog as load_demo's bulk inserts."""
import io
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from catalog.models import CompletenessTally, Product, ProductCompleteness

pytestmark = pytest.mark.django_db(transaction=True)
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))


def catalog() -> dict:
    """Everything load_demo makes of each product, by style code (ids aside)."""
    shapes = {}
    for product in Product.objects.prefetch_related(
        "colours__variants", "size_chart_rows", "composition_lines"
    ).order_by("style_code"):
        shapes[product.style_code] = (
            product.name_en, product.name_fr, product.description_pl, product.category_id,
            product.fit_type, product.rating_count, product.history.count(),
            [(c.code, c.name_en, c.name_zh_hans,
              [(v.size_label, v.sku, v.gtin) for v in c.variants.all()])
             for c in product.colours.all()],
            sorted((r.size_label, r.eu, r.jp) for r in product.size_chart_rows.all()),
            sorted((c.part, c.fibre, c.percentage) for c in product.composition_lines.all()),
        )
    return shapes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_the_copy_builder_makes_load_demos_catalog(admin_client):
    import admin_scale

    admin_scale.catalog_build(40, out=io.StringIO())
    built = catalog()
    assert len(built) == 40
    assert ProductCompleteness.objects.count() == 40 * 11  # 3 channels, 11 locales in all
    assert CompletenessTally.objects.exists()
    product = Product.objects.order_by("pk").first()
    page = admin_client.get(reverse("admin:catalog_product_change", args=[product.pk]))
    assert page.status_code == 200 and product.style_code in page.content.decode()
    listed = admin_client.get(reverse("admin:catalog_product_changelist"), {"q": "wool"})
    assert listed.status_code == 200

    Product.objects.all().delete()
    call_command("load_demo", products=40, no_admin=True, catalog_only=True,
                 stdout=io.StringIO())
    assert catalog() == built
    # Ids continue after the copied rows: new products are inserted as usual.
    assert Product.objects.order_by("pk").first().pk > product.pk
