import pytest

from tests import factories


@pytest.fixture
def dress(db):
    """A dress with one colour, a size chart S/M, a variant in M and a 100 % flax shell."""
    product = factories.ProductFactory(style_code="WD-24-0193", name="Long linen dress")
    colour = factories.ColourFactory(product=product, code="RED", name="Red")
    factories.SizeChartRowFactory(product=product, size_label="S", eu="36", position=0)
    factories.SizeChartRowFactory(product=product, size_label="M", eu="38", position=1)
    factories.VariantFactory(colour=colour, size_label="M", sku="WD-RED-M")
    factories.CompositionLineFactory(product=product, fibre="flax", percentage=100)
    return product


@pytest.fixture
def refs(db):
    """What an import's rows name: brand "maison", season "SS25", category Women > Dresses."""
    women = factories.CategoryFactory(name="Women", slug="women")
    leaf = factories.CategoryFactory(name="Dresses", slug="dresses", parent=women)
    return {"brand": factories.BrandFactory(code="maison"),
            "season": factories.SeasonFactory(code="SS25"), "category": leaf}
