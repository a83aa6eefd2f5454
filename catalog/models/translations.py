"""What each translation was written against, so that a changed source marks it outdated."""
import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from .product import Product


def source_hash(text: str | None) -> str:
    """A short fingerprint of a source text; whitespace at the ends does not count."""
    return hashlib.blake2b((text or "").strip().encode(), digest_size=8).hexdigest()


class TranslationStamp(models.Model):
    """One translation (a product's field, a colour's name or a photo's alt text, in one
    locale) and its source's hash.

    Written when the translation is written or confirmed. When the source text's hash no longer
    matches, the translation is outdated: shown as such and not counted as done.
    """

    class How(models.TextChoices):
        WRITTEN = "written", "Written"
        CONFIRMED = "confirmed", "Confirmed unchanged"
        FOUND = "found", "Found in place"

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="translation_stamps"
    )
    colour = models.ForeignKey(
        "catalog.Colour", null=True, blank=True, on_delete=models.CASCADE,
        related_name="translation_stamps",
    )
    photo = models.ForeignKey(
        "catalog.ProductPhoto", null=True, blank=True, on_delete=models.CASCADE,
        related_name="translation_stamps",
    )
    field = models.CharField(max_length=40)
    locale = models.CharField(max_length=10)
    source_hash = models.CharField(max_length=16)
    how = models.CharField(max_length=10, choices=How.choices, default=How.WRITTEN)
    stamped_at = models.DateTimeField()
    stamped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product", "field", "locale"],
                condition=Q(colour__isnull=True, photo__isnull=True),
                name="translation_stamp_unique_product_field",
            ),
            models.UniqueConstraint(
                fields=["colour", "field", "locale"], condition=Q(colour__isnull=False),
                name="translation_stamp_unique_colour_field",
            ),
            models.UniqueConstraint(
                fields=["photo", "field", "locale"], condition=Q(photo__isnull=False),
                name="translation_stamp_unique_photo_field",
            ),
        ]

    def __str__(self):
        subject = (f"colour {self.colour_id}" if self.colour_id else
                   f"photo {self.photo_id}" if self.photo_id else f"product {self.product_id}")
        return f"{subject} {self.field} [{self.locale}]"


def validate_translation_locales(value) -> None:
    known = {code for code, _ in settings.LANGUAGES} - {settings.SOURCE_LANGUAGE}
    if not isinstance(value, list) or not value:
        raise ValidationError("Assign at least one locale.")
    if unknown := sorted(set(value) - known):
        raise ValidationError(
            f"Not a translation locale: {', '.join(unknown)}. Choose from {', '.join(sorted(known))}."
        )


class TranslatorAssignment(models.Model):
    """The locales a translator may write. Everything else is read-only to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="translator_assignment"
    )
    locales = models.JSONField(default=list, validators=[validate_translation_locales])

    class Meta:
        ordering = ["user__username"]

    def __str__(self):
        return f"{self.user}: {', '.join(self.locales)}"


class ProductTranslation(Product):
    """The translator's view of a product: its translatable text, one locale beside the source."""

    class Meta:
        proxy = True
        verbose_name = "translation"
        verbose_name_plural = "translations"
