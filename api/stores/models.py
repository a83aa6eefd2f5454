from django.conf import settings
from django.db import models
from django.db.models import Q


class HashedToken(models.Model):
    """A bearer token of which only the SHA-256 is kept, recognised by its prefix."""

    name = models.CharField(max_length=100, help_text="Who uses it.")
    prefix = models.CharField(
        max_length=12, unique=True, editable=False,
        help_text="The first characters of the token, to recognise it without revealing it.",
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


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
