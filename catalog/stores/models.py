from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords


class Store(models.Model):
    """A shop of the brand: its market, the locales its screens speak, the channel they show."""

    code = models.SlugField(
        max_length=40, unique=True,
        help_text="Used in URLs and by store systems, e.g. paris-opera.",
        error_messages={"unique": "A store with this code already exists."},
    )
    name = models.CharField(max_length=100)
    country = CountryField(help_text="The market the store sells in.")
    locales = models.JSONField(
        default=list,
        help_text="Locales of the store's screens, the default first; each one of the channel's.",
    )
    channel = models.ForeignKey(
        "catalog.Channel", on_delete=models.PROTECT, related_name="stores",
        help_text="The published content its screens show (store-screens).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        known = {code for code, _ in settings.LANGUAGES}
        if not isinstance(self.locales, list) or not self.locales:
            raise ValidationError({"locales": "A store speaks at least one locale, e.g. [\"fr\"]."})
        if unknown := sorted({str(x) for x in self.locales} - known):
            raise ValidationError({"locales": f"Unknown locale(s): {', '.join(unknown)}."})
        if len(set(self.locales)) != len(self.locales):
            raise ValidationError({"locales": "Name each locale once."})
        if self.channel_id:
            outside = [x for x in self.locales if x not in (self.channel.locales or [])]
            if outside:
                raise ValidationError({"locales": (
                    f"{', '.join(outside)}: not a locale of the channel “{self.channel.code}” "
                    f"({', '.join(self.channel.locales or []) or 'none'}).")})

    @property
    def default_locale(self) -> str:
        return self.locales[0]


class StoreStock(models.Model):
    """How many of a variant a store holds, as its system last reported it."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="stock")
    variant = models.ForeignKey("catalog.Variant", on_delete=models.CASCADE, related_name="stock")
    quantity = models.PositiveIntegerField()
    as_of = models.DateTimeField(help_text="When the store system counted it.")
    updated_at = models.DateTimeField(help_text="When it was written here.")

    class Meta:
        verbose_name_plural = "store stock"
        constraints = [
            models.UniqueConstraint(fields=["store", "variant"], name="stock_unique_per_store_variant"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="stock_quantity_not_negative"),
        ]
        indexes = [models.Index(fields=["variant", "store"], name="stock_by_variant_idx")]

    def __str__(self):
        return f"{self.store_id}: {self.variant_id} × {self.quantity}"
