from django.db import models
from django.db.models import Q

from api.models import HashedToken


class PartnerToken(HashedToken):
    """A partner system's token, scoped to what it may write (DOMAIN section 12)."""

    class Kind(models.TextChoices):
        REVIEWS = "reviews", "Reviews platform: writes ratings"
        STORE = "store", "Store system: writes one store's stock"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    store = models.ForeignKey(
        "stores.Store", null=True, blank=True, on_delete=models.CASCADE,
        related_name="partner_tokens", help_text="The store whose stock a store token writes.",
    )

    class Meta(HashedToken.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="store", store__isnull=False)
                | Q(kind="reviews", store__isnull=True),
                name="partner_token_store_iff_store_kind",
                violation_error_message="A store token names its store; a reviews token none.",
            ),
        ]


class ScreenToken(HashedToken):
    """Enrols a screen in one store: it reads what the store's screens show, nothing else."""

    store = models.ForeignKey("stores.Store", on_delete=models.CASCADE, related_name="screen_tokens")

    class Meta(HashedToken.Meta):
        pass
