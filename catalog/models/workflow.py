from django.conf import settings
from django.db import models


class ProductTransition(models.Model):
    """One step of a product through the workflow: who did what, when, to which channels."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "Submitted for review"
        APPROVE = "approve", "Approved and published"
        REJECT = "reject", "Rejected"
        ARCHIVE = "archive", "Archived"
        UNPUBLISH = "unpublish", "Unpublished"
        RESTORE = "restore", "Restored to draft"

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    from_status = models.CharField(max_length=12)
    to_status = models.CharField(max_length=12)
    channels = models.JSONField(default=list, blank=True, help_text="Channel codes concerned.")
    comment = models.TextField(blank=True)
    product_version = models.PositiveIntegerField(help_text="The working copy's version then.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.product_id} {self.get_action_display()} at {self.created_at:%Y-%m-%d %H:%M}"
