import uuid

from django.conf import settings
from django.db import models


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


class ChannelToken(HashedToken):
    """A bearer token that reads one channel's feed. Only its hash is stored."""

    channel = models.ForeignKey("catalog.Channel", on_delete=models.CASCADE, related_name="tokens")
    name = models.CharField(max_length=100, help_text="Who uses it, e.g. “Shopify storefront”.")

    class Meta:
        ordering = ["channel", "-created_at"]


class WebhookEvent(models.Model):
    """One publish or unpublish notification for one channel: the outbox row.

    The row is written in the publishing transaction and is the source of truth: a worker or
    server that stops before delivering leaves it undelivered, and the sweep sends it again.
    """

    class Event(models.TextChoices):
        PUBLISH = "publish", "Publish"
        UNPUBLISH = "unpublish", "Unpublish"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.ForeignKey(
        "catalog.Channel", on_delete=models.CASCADE, related_name="webhook_events"
    )
    event = models.CharField(max_length=12, choices=Event.choices)
    style_code = models.CharField(max_length=32)
    version = models.PositiveIntegerField()
    payload = models.JSONField(help_text="The JSON body posted to the channel's webhook URL.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text="When the next try is due, if it is not delivered."
    )
    claimed_until = models.DateTimeField(
        null=True, blank=True, help_text="A worker is sending it until then."
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="webhook_event_due_idx",
                condition=models.Q(delivered_at__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.style_code} v{self.version} → {self.channel_id}"

    @property
    def is_delivered(self) -> bool:
        return self.delivered_at is not None


class WebhookDelivery(models.Model):
    """One attempt to post an event: what the receiver answered, or why it could not."""

    event = models.ForeignKey(WebhookEvent, on_delete=models.CASCADE, related_name="deliveries")
    attempt = models.PositiveIntegerField()
    url = models.URLField()
    attempted_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField()

    class Meta:
        ordering = ["event", "attempt"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self):
        return f"attempt {self.attempt}: {self.status_code or self.error[:40]}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300
