from contextlib import contextmanager
from contextvars import ContextVar

from django.db import models

from catalog.services.errors import ContentError

from .channel import Channel

_tombstoned_by_caller = ContextVar("tombstoned_by_caller", default=False)


@contextmanager
def live_snapshots_tombstoned_by_caller():
    """Inside the block, live snapshots do not protect their product from deletion: for the
    admin's preview of a delete, which `product_delete` will carry out with tombstones."""
    token = _tombstoned_by_caller.set(True)
    try:
        yield
    finally:
        _tombstoned_by_caller.reset(token)


def protect_live_snapshots(collector, field, sub_objs, using):
    """A product published somewhere is deleted only by `product_delete`, which tombstones its
    snapshots first, so that feeds and webhooks tell every channel. A plain ``delete()`` of it
    (the shell, a queryset) is refused; tombstones outlive the product, its link nulled.

    Refused with a ContentError rather than a ProtectedError, which the deletion collector
    would replace by its generic message."""
    live = [snapshot for snapshot in sub_objs if not snapshot.deleted]
    if live and not _tombstoned_by_caller.get():
        codes = sorted({s.style_code for s in live})
        channels = Channel.objects.filter(pk__in={s.channel_id for s in live}).order_by("code")
        raise ContentError(
            f"{', '.join(codes)} is published on {', '.join(c.code for c in channels)}: delete "
            "it with product_delete (as the admin does), which leaves a tombstone on every "
            "channel, or unpublish it first.",
            code="product_published",
        )
    models.SET_NULL(collector, field, sub_objs, using)


class ProductSnapshot(models.Model):
    """The approved content of a product for one channel and locale, frozen at approval.

    The API serves these rows only. `deleted` marks a tombstone left by unpublishing, archiving
    or deleting, so that delta feeds can tell clients to delete.
    """

    channel = models.ForeignKey("catalog.Channel", on_delete=models.CASCADE, related_name="snapshots")
    product = models.ForeignKey(
        "catalog.Product", null=True, on_delete=protect_live_snapshots, related_name="snapshots"
    )
    style_code = models.CharField(max_length=32)
    locale = models.CharField(max_length=10)
    payload = models.JSONField(default=dict, help_text="The product JSON the API serves.")
    version = models.PositiveIntegerField(default=1)
    deleted = models.BooleanField(default=False)
    published_at = models.DateTimeField()
    updated_at = models.DateTimeField(db_index=True)
    sequence = models.PositiveBigIntegerField(
        default=0,
        help_text="Where the row stands in the feeds: taken from SnapshotSequence by each "
        "publish, tombstone and touch, in commit order.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "locale", "style_code"], name="snapshot_unique_per_channel_locale"
            )
        ]
        indexes = [
            models.Index(fields=["channel", "locale", "updated_at", "id"], name="snapshot_feed_idx"),
            models.Index(fields=["channel", "locale", "sequence", "id"],
                         name="snapshot_sequence_idx"),
        ]

    def __str__(self):
        state = "deleted" if self.deleted else f"v{self.version}"
        return f"{self.style_code} @ {self.channel_id}/{self.locale} ({state})"


class PublishedGtin(models.Model):
    """A GTIN as a channel's live snapshots of a style list it: the barcode index.

    Written with the snapshots and cleared with their tombstones, so a scan finds what is
    published, not the working copy (a GTIN edited or removed since approval is still found
    by its published value until the next approval). GTINs are stored as 14 digits.
    """

    channel = models.ForeignKey("catalog.Channel", on_delete=models.CASCADE, related_name="+")
    gtin = models.CharField("GTIN", max_length=14)
    style_code = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "style_code", "gtin"], name="published_gtin_unique_per_style"
            )
        ]
        indexes = [models.Index(fields=["channel", "gtin"], name="published_gtin_lookup_idx")]

    def __str__(self):
        return f"{self.gtin} → {self.style_code} @ {self.channel_id}"


class SnapshotSequence(models.Model):
    """One row: the last feed position handed out (`catalog.services.publishing`).

    A writer takes the next value with an upsert that locks this row until its transaction
    ends, so positions are handed out in commit order: whatever commits after a reader's
    query gets a position above every one that query could see. Delta feeds that resume from
    a position therefore never skip a change whose transaction was still open.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    value = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="snapshot_sequence_one_row")]

    def __str__(self):
        return f"snapshot sequence at {self.value}"
