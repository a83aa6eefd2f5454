import io
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image

from catalog.models import ContentProfile, ProductPhoto, ShippingRate
from catalog.services.completeness import completeness_recompute
from catalog.services.translations import translation_stamps_bootstrap
from media.models import Asset
from tests import factories

LOCALES = ("fr", "pl", "zh_hans")
TEXTS = {
    "description": "<p>A long dress in washed linen.</p>",
    "material_text": "Washed linen, 180 g/m².",
    "fit_description": "Relaxed through the body.",
    "size_advice": "True to size.",
    "care_text": "Wash inside out.",
}


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 50), (180, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


JPEG = _jpeg()


def asset() -> Asset:
    """A small real image in storage (thumbnails are made from it), cheaper than an upload."""
    digest = uuid.uuid4().hex * 2
    name = storages["originals"].save(f"originals/{digest}.jpg", ContentFile(JPEG))
    return Asset.objects.create(kind="image", sha256=digest, file=name, format="JPEG",
                                mime_type="image/jpeg", width=40, height=50, byte_size=len(JPEG))


def add_photos(colour, count: int) -> None:
    start = colour.photos.count()
    for n in range(count):
        ProductPhoto.objects.create(colour=colour, asset=asset(), position=start + n + 1)


def apparel_category(**kwargs):
    profile = factories.ContentProfileFactory()
    department = factories.CategoryFactory(content_profile=profile, **kwargs)
    return factories.CategoryFactory(parent=department)


def build_complete_product(*, category=None, colours=("RED",), photos=4, sizes=("M",), **fields):
    """A product complete for the default webshop channel in every locale."""
    brand = factories.BrandFactory()
    for country in ("FR", "PL", "DE"):
        ShippingRate.objects.get_or_create(
            brand=brand, country=country, category=None, product=None,
            defaults={"cost": 4, "currency": "EUR", "min_days": 1, "max_days": 3},
        )
    values = {f"{name}_en": text for name, text in TEXTS.items()}
    for loc in LOCALES:
        values |= {f"{name}_{loc}": f"[{loc}] {text}" for name, text in TEXTS.items()}
        values[f"name_{loc}"] = f"[{loc}] Linen dress"
    values |= {"fit_type": "relaxed", "care_washing": "wash_30", "name_en": "Linen dress"}
    values |= fields
    product = factories.ProductFactory(
        brand=brand, category=category or apparel_category(), **values,
    )
    for size in sizes:
        factories.SizeChartRowFactory(product=product, size_label=size)
    factories.CompositionLineFactory(product=product)
    for code in colours:
        colour = factories.ColourFactory(
            product=product, code=code, name_en=code.title(),
            **{f"name_{loc}": f"[{loc}] {code.title()}" for loc in LOCALES},
        )
        for size in sizes:
            factories.VariantFactory(colour=colour, size_label=size)
        add_photos(colour, photos)
    translation_stamps_bootstrap(product_ids=[product.pk])
    return product


@pytest.fixture
def complete_product(channel):
    return build_complete_product()


def rows_of(product, channel=None):
    completeness_recompute(product_ids=[product.pk])
    rows = product.completeness.all()
    if channel is not None:
        rows = rows.filter(channel=channel)
    return {row.locale: row for row in rows}


def codes_of(product, channel=None, locale="en"):
    return rows_of(product, channel)[locale].failure_codes


@pytest.fixture
def profile_without(db):
    def make(*fields):
        return ContentProfile.objects.create(
            name=f"Without {'+'.join(fields)}",
            required_fields=[f for f in factories.ContentProfileFactory.required_fields
                             if f not in fields],
        )
    return make


@pytest.fixture
def catalog(channel):
    """Two channels (the factory's web shop, a marketplace in en/fr asking 2 photos), two
    complete products and three bare ones of one category, completeness computed:
    ``(category, complete, others)``."""
    factories.ChannelFactory(code="marketplace", name="Marketplace", locales=["en", "fr"],
                             min_photos=2)
    category = apparel_category()
    complete = [build_complete_product(category=category) for _ in range(2)]
    others = [factories.ProductFactory(category=category) for _ in range(3)]
    completeness_recompute()
    return category, complete, others
