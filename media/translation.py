"""Translatable media fields: photo and social-image alt text, in every locale."""
from modeltranslation.translator import TranslationOptions, register
from simple_history import register as register_history

from .models import ProductPhoto, SocialImage


@register(ProductPhoto)
class ProductPhotoTranslationOptions(TranslationOptions):
    fields = ("alt_text",)


@register(SocialImage)
class SocialImageTranslationOptions(TranslationOptions):
    fields = ("alt_text",)


# Registered after the translated fields exist, so each locale's edits are kept in history.
register_history(ProductPhoto, app="media")
