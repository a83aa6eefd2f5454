from django.conf import settings
from django.db import models

from media.storage import get_originals_storage


def _sharded(prefix: str, sha256: str, name: str) -> str:
    return f"{prefix}/{sha256[:2]}/{sha256[2:4]}/{name}"


def asset_storage_name(sha256: str, extension: str) -> str:
    """Where an original lives (in the originals storage): named by its content, so the same
    bytes are stored once."""
    return _sharded("originals", sha256, f"{sha256}.{extension}")


def rendition_storage_name(sha256: str, spec: str, extension: str) -> str:
    slug = spec.replace("|", ".")
    return _sharded("renditions", sha256, f"{sha256[:16]}.{slug}.{extension}")


def _asset_upload_to(instance, filename):  # names are chosen by services; kept for the field
    return filename


class Asset(models.Model):
    """An uploaded original, stored once by the SHA-256 of its bytes."""

    class Kind(models.TextChoices):
        IMAGE = "image", "Image"
        VIDEO = "video", "Video"

    kind = models.CharField(max_length=5, choices=Kind.choices, db_index=True)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True, editable=False)
    file = models.FileField(upload_to=_asset_upload_to, max_length=255, editable=False,
                            storage=get_originals_storage)
    original_filename = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=8, help_text="As read from the content.")
    mime_type = models.CharField(max_length=40)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    byte_size = models.PositiveBigIntegerField()
    colour_profile = models.CharField(max_length=120, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.original_filename or self.sha256[:12]

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    @property
    def dimensions(self) -> str:
        return f"{self.width}×{self.height}" if self.width and self.height else ""


# The rendition of a video: the original's streams without its metadata (media.renditions.video).
VIDEO_CLEAN_SPEC = "video-clean"


class Rendition(models.Model):
    """A version of an asset that channels get, named by its spec: an image resized or
    re-encoded, or a video without its metadata (``VIDEO_CLEAN_SPEC``)."""

    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=200, help_text="Canonical spec, e.g. fill-800x1000|format-webp")
    file = models.FileField(max_length=255, editable=False)
    format = models.CharField(max_length=8)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    byte_size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["asset_id", "spec"]
        constraints = [
            models.UniqueConstraint(fields=["asset", "spec"], name="rendition_unique_per_spec"),
        ]

    def __str__(self):
        return f"{self.asset} [{self.spec}]"

    @property
    def url(self) -> str:
        return self.file.url
