"""Products complete or incomplete through real data, users in each role, a small channel."""
import io
import os

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from PIL import Image

from catalog.models import Channel, ShippingRate, TranslatorAssignment
from catalog.services.roles import CONTENT_MANAGER, MERCHANDISER, TRANSLATOR, roles_setup
from catalog.services.photos import photo_add
from tests import factories

LOCALES = ("en", "fr", "pl", "zh_hans")
TRANSLATED = {
    "name": {"en": "Linen dress", "fr": "Robe en lin", "pl": "Sukienka lniana",
             "zh_hans": "亚麻连衣裙"},
    "description": {"en": "<p>A long dress in washed linen.</p>",
                    "fr": "<p>Une robe longue en lin lavé.</p>",
                    "pl": "<p>Długa sukienka z pranego lnu.</p>",
                    "zh_hans": "<p>水洗亚麻长裙。</p>"},
    "material_text": {"en": "Washed linen, 180 g/m².", "fr": "Lin lavé, 180 g/m².",
                      "pl": "Prany len, 180 g/m².", "zh_hans": "水洗亚麻，180 克/平方米。"},
    "fit_description": {"en": "Relaxed through the body.", "fr": "Ample.",
                        "pl": "Luźny krój.", "zh_hans": "宽松版型。"},
    "size_advice": {"en": "True to size.", "fr": "Taille normalement.",
                    "pl": "Rozmiar zgodny.", "zh_hans": "尺码标准。"},
    "care_text": {"en": "Wash at 30 °C.", "fr": "Laver à 30 °C.", "pl": "Prać w 30 °C.",
                  "zh_hans": "30 °C 洗涤。"},
}
COLOUR_NAMES = {"en": "Red", "fr": "Rouge", "pl": "Czerwony", "zh_hans": "红色"}


def jpeg_file(name="photo.jpg", colour=(200, 40, 40), size=(160, 200)) -> SimpleUploadedFile:
    img = Image.new("RGB", size, colour)
    # A patch of noise makes every photo a distinct asset.
    img.paste(Image.frombytes("RGB", (32, 32), os.urandom(32 * 32 * 3)), (8, 8))
    buffer = io.BytesIO()
    img.save(buffer, "JPEG", quality=90)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


_colour_seed = iter(range(10_000))


def make_complete_product(*, photos: int = 2, **overrides):
    """A product with every content field filled, in every locale, with photos."""
    fields = {f"{f}_{loc}": text for f, by_loc in TRANSLATED.items() for loc, text in by_loc.items()}
    fields.update(fit_type="relaxed", model_height_cm=178, model_size="M",
                  care_washing="wash_30", care_bleaching="do_not_bleach",
                  care_drying="line_dry", care_ironing="iron_110",
                  care_professional="dry_clean_p", rating_average="4.50", rating_count=12)
    fields.update(overrides)
    product = factories.ProductFactory(**fields)
    factories.CompositionLineFactory(product=product, fibre="flax", percentage=100)
    factories.SizeChartRowFactory(product=product, size_label="M")
    ShippingRate.objects.get_or_create(
        brand=product.brand, category=None, product=None, country="FR",
        defaults={"cost": "4.95", "currency": "EUR", "min_days": 2, "max_days": 4},
    )
    colour = factories.ColourFactory(product=product, code="RED",
                                     **{f"name_{loc}": n for loc, n in COLOUR_NAMES.items()})
    factories.VariantFactory(colour=colour, size_label="M")
    # The renditions the channels need are made once the photos are committed (in the
    # background; eagerly here), as approval expects.
    with TestCase.captureOnCommitCallbacks(execute=True):
        for n in range(photos):
            seed = next(_colour_seed)
            photo_add(colour=colour,
                      file=jpeg_file(f"p{seed}.jpg", colour=(seed % 250, 90, 40 + n)),
                      alt_text={loc: f"{COLOUR_NAMES[loc]} {n}" for loc in LOCALES})
    return product


@pytest.fixture
def roles(db):
    roles_setup()
    return {name: Group.objects.get(name=name) for name in (MERCHANDISER, CONTENT_MANAGER, TRANSLATOR)}


def _staff(username, group):
    user = factories.UserFactory(username=username, is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def merchandiser(roles):
    return _staff("merch", roles[MERCHANDISER])


@pytest.fixture
def content_manager(roles):
    return _staff("manager", roles[CONTENT_MANAGER])


@pytest.fixture
def translator(roles):
    user = _staff("translator-fr", roles[TRANSLATOR])
    TranslatorAssignment.objects.create(user=user, locales=["fr"])
    return user


@pytest.fixture
def screens(db):
    """A channel asking for little: one photo per colour, description, translations."""
    return Channel.objects.create(
        code="store-screens", name="Store screens", locales=["en", "fr"], markets=["FR"],
        required_fields=["photos", "description", "translations"], min_photos=1,
        renditions=["fill-80x100|format-webp"],
    )


@pytest.fixture
def complete_product(db, screens):
    return make_complete_product(photos=1)


DESCRIPTION = "<p>A <strong>long</strong> dress in <em>washed</em> linen.</p><p>Two pockets.</p>"


@pytest.fixture
def dress(db):
    """A dress waiting for French: editorial HTML, care text, a colour and a photo."""
    from tests.completeness.conftest import add_photos

    product = factories.ProductFactory(
        style_code="WD-24-0193", name_en="Linen dress", name_fr="Robe en lin",
        description_en=DESCRIPTION, care_text_en="Wash at 30 °C.", fit_description_en="",
        material_text_en="", size_advice_en="")
    colour = factories.ColourFactory(product=product, code="RED", name_en="Red")
    add_photos(colour, 1)
    photo = colour.photos.get()
    photo.alt_text_en = "Red dress, front"
    photo.save()
    return product
