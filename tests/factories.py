"""factory-boy factories for the whole project; exposed as fixtures in conftest.py."""
import factory
from django.utils import timezone
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from catalog.models import (
    Brand,
    Category,
    Channel,
    Colour,
    CompositionLine,
    ContentProfile,
    Product,
    ProductSnapshot,
    ReturnsPolicy,
    Season,
    ShippingRate,
    SizeChartRow,
    Variant,
)
from catalog.models.fields import gtin_check_digit


def valid_gtin(n: int) -> str:
    """A distinct EAN-13 with a correct check digit for each n."""
    body = f"590{n:09d}"
    return body + str(gtin_check_digit(body))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pass-word-123")


class SuperUserFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ContentProfileFactory(DjangoModelFactory):
    class Meta:
        model = ContentProfile
        django_get_or_create = ("name",)

    name = "Apparel"
    required_fields = [
        "photos", "composition", "fit", "size_chart", "description", "care",
        "returns", "shipping", "translations",
    ]


class CategoryFactory(DjangoModelFactory):
    """A leaf under a root department. Pass parent=... for a deeper tree."""

    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    parent = None

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            return model_class.objects.add_root(instance=model_class(**kwargs))
        return model_class.objects.add_child(parent, instance=model_class(**kwargs))


class ReturnsPolicyFactory(DjangoModelFactory):
    class Meta:
        model = ReturnsPolicy
        django_get_or_create = ("name",)

    name = "Standard 30 days"
    days = 30
    free = True
    conditions = "Unworn, with tags attached."


class BrandFactory(DjangoModelFactory):
    class Meta:
        model = Brand
        django_get_or_create = ("code",)

    code = "maison"
    name = "Maison Demo"
    returns_policy = factory.SubFactory(ReturnsPolicyFactory)


class SeasonFactory(DjangoModelFactory):
    class Meta:
        model = Season
        django_get_or_create = ("code",)

    code = "SS25"
    name = "Spring-Summer 2025"


class ShippingRateFactory(DjangoModelFactory):
    class Meta:
        model = ShippingRate

    brand = factory.SubFactory(BrandFactory)
    country = "FR"
    cost = "4.95"
    currency = "EUR"
    min_days = 2
    max_days = 4


class ProductFactory(DjangoModelFactory):
    class Meta:
        model = Product

    style_code = factory.Sequence(lambda n: f"WD-25-{n:04d}")
    brand = factory.SubFactory(BrandFactory)
    season = factory.SubFactory(SeasonFactory)
    category = factory.SubFactory(CategoryFactory)
    name = factory.Sequence(lambda n: f"Linen dress {n}")
    description = "<p>A long dress in washed linen.</p>"


class ColourFactory(DjangoModelFactory):
    class Meta:
        model = Colour

    product = factory.SubFactory(ProductFactory)
    code = factory.Sequence(lambda n: f"C{n:03d}")
    name = "Red"


class SizeChartRowFactory(DjangoModelFactory):
    class Meta:
        model = SizeChartRow

    product = factory.SubFactory(ProductFactory)
    size_label = "M"
    eu = "38"
    fr = "38"
    chest_cm = 88


class VariantFactory(DjangoModelFactory):
    class Meta:
        model = Variant

    colour = factory.SubFactory(ColourFactory)
    size_label = "M"
    sku = factory.Sequence(lambda n: f"SKU-{n:06d}")
    gtin = factory.Sequence(valid_gtin)


class CompositionLineFactory(DjangoModelFactory):
    class Meta:
        model = CompositionLine

    product = factory.SubFactory(ProductFactory)
    part = "shell"
    fibre = "cotton"
    percentage = 100


class ChannelFactory(DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ("code",)

    code = "webshop"
    name = "Web shop"
    locales = ["en", "fr", "pl", "zh-hans"]
    markets = ["FR", "PL", "DE"]
    required_fields = [
        "photos", "composition", "fit", "size_chart", "description", "care",
        "returns", "shipping", "translations",
    ]
    min_photos = 4
    renditions = ["fill-800x1000|format-webp", "max-2000"]


class ProductSnapshotFactory(DjangoModelFactory):
    """A published snapshot written directly, with a payload of the API's shape.

    For volume (feeds, pagination, benchmarks); tests of what publishing freezes go through
    catalog.services.publishing instead.
    """

    class Meta:
        model = ProductSnapshot

    channel = factory.SubFactory(ChannelFactory)
    product = None
    style_code = factory.Sequence(lambda n: f"SN-25-{n:05d}")
    locale = "en"
    version = 1
    deleted = False
    published_at = factory.LazyFunction(timezone.now)
    updated_at = factory.LazyAttribute(lambda s: s.published_at)
    payload = factory.LazyAttribute(
        lambda s: {
            "style_code": s.style_code,
            "name": f"Dress {s.style_code}",
            "colours": [
                {"code": "RED", "name": "Red", "photos": [],
                 "variants": [{"sku": f"{s.style_code}-M", "gtin": "", "size": "M"}]}
            ],
            "published_at": s.published_at.isoformat(),
            "version": s.version,
        }
    )
