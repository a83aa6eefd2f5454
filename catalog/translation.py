"""Translatable fields, registered in one place. English is the source locale."""
from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import (
    Category,
    Colour,
    Product,
    ProductPhoto,
    ProductVideo,
    ReturnsPolicy,
    SocialImage,
)

# Product fields whose translations completeness tracks; order is the admin's.
PRODUCT_TRANSLATED_FIELDS = (
    "name",
    "description",
    "material_text",
    "fit_description",
    "size_advice",
    "care_text",
)


@register(Category)
class CategoryTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(Product)
class ProductTranslationOptions(TranslationOptions):
    fields = PRODUCT_TRANSLATED_FIELDS
    required_languages = {"en": ("name",)}


@register(Colour)
class ColourTranslationOptions(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(ReturnsPolicy)
class ReturnsPolicyTranslationOptions(TranslationOptions):
    fields = ("conditions",)


@register(ProductPhoto)
class ProductPhotoTranslationOptions(TranslationOptions):
    fields = ("alt_text",)


@register(SocialImage)
class SocialImageTranslationOptions(TranslationOptions):
    fields = ("alt_text",)


# modeltranslation imports this module once every model is loaded. History is registered
# here, after the translated fields exist, so that each locale's edits are kept too.
register_history(ReturnsPolicy, app="catalog")
register_history(Product, app="catalog", excluded_fields=["version", "updated_at"])
register_history(Colour, app="catalog")
register_history(Category, app="catalog")
# The photos' history table kept its name from the media app, where the model used to live.
register_history(ProductPhoto, app="catalog", table_name="media_historicalproductphoto")
register_history(ProductVideo, app="catalog")
register_history(SocialImage, app="catalog")
