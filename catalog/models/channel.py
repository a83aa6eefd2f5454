import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django_countries import countries
from simple_history.models import HistoricalRecords

from .media import MAX_PHOTOS_PER_COLOUR
from media.renditions.specs import InvalidSpecError, canonical_spec

from catalog.webhook_urls import webhook_url_problem

from .choices import ContentField


def webhook_secret_generate() -> str:
    return secrets.token_urlsafe(32)


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
    webhook_url = models.URLField(
        blank=True, help_text="https, to a public address; signed with the secret below."
    )
    webhook_secret = models.CharField(
        max_length=128, blank=True, default=webhook_secret_generate,
        help_text="Signs every webhook (HMAC-SHA256). Generated; clear it to get a new one.",
    )

    # The secret stays out of history: it signs webhooks and is not content.
    history = HistoricalRecords(excluded_fields=["webhook_secret"])

    class Meta:
        ordering = ["code"]

    def __str__(self):
        return self.name

    def clean(self):
        """Field rules of a channel; the rendition specs are stored in their canonical spelling,
        each once, so a bad spec is refused here rather than when a product is approved."""
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
        if self.min_photos is not None and self.min_photos > MAX_PHOTOS_PER_COLOUR:
            errors["min_photos"] = (f"A colour has at most {MAX_PHOTOS_PER_COLOUR} photos: the "
                                    f"minimum cannot be {self.min_photos}.")
        if self.description_max_length == 0:
            errors["description_max_length"] = (
                "Leave empty for no limit, or give at least 1 character.")
        if self.webhook_url and (problem := webhook_url_problem(self.webhook_url)):
            errors["webhook_url"] = problem
        if not self.webhook_secret:
            self.webhook_secret = webhook_secret_generate()
        specs, bad = self._canonical_renditions()
        if bad:
            errors["renditions"] = bad
        else:
            self.renditions = specs
        if errors:
            raise ValidationError(errors)

    def _canonical_renditions(self) -> tuple[list[str], list[str]]:
        """The specs in canonical spelling without repeats, and the messages of bad ones."""
        if not isinstance(self.renditions, list):
            return [], ["Give a list of rendition specs."]
        specs, bad = [], []
        for spec in self.renditions:
            if not isinstance(spec, str) or not spec.strip():
                bad.append(f"“{spec}” is not a rendition spec.")
                continue
            try:
                specs.append(canonical_spec(spec.strip()))
            except InvalidSpecError as error:
                bad.append(f"{spec.strip()}: {error}")
        return list(dict.fromkeys(specs)), bad
