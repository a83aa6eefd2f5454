from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django_countries import countries
from simple_history.models import HistoricalRecords

from .choices import ContentField


class Channel(models.Model):
    """A destination of approved content: web shop, marketplace, in-store screens."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    locales = models.JSONField(default=list, help_text="Language codes this channel publishes in.")
    markets = models.JSONField(default=list, blank=True, help_text="ISO 3166 country codes sold to.")
    required_fields = models.JSONField(
        default=list, blank=True,
        help_text="Content fields this channel needs (a category profile can waive a field).",
    )
    min_photos = models.PositiveSmallIntegerField(default=1, help_text="Photos needed per colour.")
    description_max_length = models.PositiveIntegerField(
        null=True, blank=True, help_text="Longest editorial description, in characters of text."
    )
    renditions = models.JSONField(
        default=list, blank=True,
        help_text='Rendition specs every photo needs, e.g. ["fill-800x1000|format-webp", "max-2000"].',
    )
    webhook_url = models.URLField(blank=True)
    webhook_secret = models.CharField(max_length=128, blank=True)

    # The secret stays out of history: it signs webhooks and is not content.
    history = HistoricalRecords(excluded_fields=["webhook_secret"])

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        known_locales = {code for code, _ in settings.LANGUAGES}
        if not self.locales:
            errors["locales"] = "A channel publishes in at least one locale."
        elif unknown := sorted(set(self.locales) - known_locales):
            errors["locales"] = (
                f"Unknown locale(s): {', '.join(unknown)}. Known: {', '.join(sorted(known_locales))}."
            )
        if unknown := sorted(set(self.markets or []) - set(dict(countries))):
            errors["markets"] = f"Unknown country code(s): {', '.join(unknown)}."
        if unknown := sorted(set(self.required_fields or []) - set(ContentField.values)):
            errors["required_fields"] = f"Unknown content field(s): {', '.join(unknown)}."
        if errors:
            raise ValidationError(errors)
