from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

MAX_PHOTOS_PER_COLOUR = 10


def _sharded(prefix: str, sha256: str, name: str) -> str:
    return f"{prefix}/{sha256[:2]}/{sha256[2:4]}/{name}"


def asset_storage_name(sha256: str, extension: str) -> str:
    """Where an original lives: named by its content, so the same bytes are stored once."""
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
    file = models.FileField(upload_to=_asset_upload_to, max_length=255, editable=False)
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


class Rendition(models.Model):
    """One resized/re-encoded version of an image asset, named by its spec."""

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


class PhotoRole(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"
    SIDE = "side", "Side"
    DETAIL = "detail", "Detail"
    ON_MODEL = "on_model", "On model"
    FLAT_LAY = "flat_lay", "Flat lay"


class ProductPhoto(models.Model):
    """A photo of a product colour, in the merchandiser's order (content field 1)."""

    colour = models.ForeignKey("catalog.Colour", on_delete=models.CASCADE, related_name="photos")
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="photos",
        limit_choices_to={"kind": Asset.Kind.IMAGE},
    )
    position = models.PositiveSmallIntegerField(default=0, db_index=True)
    role = models.CharField(max_length=10, choices=PhotoRole.choices, default=PhotoRole.FRONT)
    alt_text = models.CharField(
        "alt text", max_length=250, blank=True,
        help_text="What the photo shows, for screen readers and search engines.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["colour", "asset"], name="photo_unique_per_colour",
                violation_error_message="This photo is already on this colour.",
            ),
        ]

    def __str__(self):
        return f"{self.colour} #{self.position} {self.get_role_display()}"

    def clean(self):
        if self.asset_id and self.asset.kind != Asset.Kind.IMAGE:
            raise ValidationError({"asset": "A product photo must be an image."})
        # A form set that adds and removes photos in one save counts them itself (the rows it
        # removes are still in the database at this point).
        if self.colour_id and not getattr(self, "_photo_limit_checked", False):
            others = ProductPhoto.objects.filter(colour_id=self.colour_id).exclude(pk=self.pk)
            if others.count() >= MAX_PHOTOS_PER_COLOUR:
                raise ValidationError(photo_limit_message(self.colour))


def photo_limit_message(colour) -> str:
    return (f"{colour} already has {MAX_PHOTOS_PER_COLOUR} photos, the most a colour can have. "
            "Remove one before adding another.")


class ProductVideo(models.Model):
    """The product's video (content field 10): MP4 or WebM, with a poster image."""

    product = models.OneToOneField("catalog.Product", on_delete=models.CASCADE, related_name="video")
    video = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="videos",
        limit_choices_to={"kind": Asset.Kind.VIDEO},
    )
    poster = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="video_posters",
        limit_choices_to={"kind": Asset.Kind.IMAGE},
        help_text="The still shown before the video plays.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Video of {self.product}"

    def clean(self):
        errors = {}
        if self.video_id and self.video.kind != Asset.Kind.VIDEO:
            errors["video"] = "The video must be an MP4 or WebM video."
        if self.poster_id and self.poster.kind != Asset.Kind.IMAGE:
            errors["poster"] = "The poster must be an image."
        if errors:
            raise ValidationError(errors)


class SocialRatio(models.TextChoices):
    SQUARE = "1x1", "1:1 (feed)"
    PORTRAIT = "4x5", "4:5 (portrait feed)"
    STORY = "9x16", "9:16 (stories, reels)"


# Output size of each crop, as the social platforms ask for them.
SOCIAL_SIZES = {"1x1": (1080, 1080), "4x5": (1080, 1350), "9x16": (1080, 1920)}


class SocialImage(models.Model):
    """An image for social media (content field 11), cropped to one ratio around a focal point."""

    product = models.ForeignKey(
        "catalog.Product", on_delete=models.CASCADE, related_name="social_images"
    )
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="social_images",
        limit_choices_to={"kind": Asset.Kind.IMAGE},
    )
    ratio = models.CharField(max_length=4, choices=SocialRatio.choices)
    focal_x = models.PositiveSmallIntegerField(
        "focal point x (%)", default=50, validators=[MaxValueValidator(100)],
        help_text="Where the crop centres, from the left edge, in percent.",
    )
    focal_y = models.PositiveSmallIntegerField(
        "focal point y (%)", default=50, validators=[MaxValueValidator(100)],
        help_text="Where the crop centres, from the top edge, in percent.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    alt_text = models.CharField("alt text", max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "asset", "ratio"], name="social_image_unique_crop",
                violation_error_message="This image already has this crop for this product.",
            ),
            models.CheckConstraint(
                condition=Q(focal_x__lte=100, focal_y__lte=100), name="social_image_focal_in_range"
            ),
        ]

    def __str__(self):
        return f"{self.product} {self.get_ratio_display()}"

    def clean(self):
        if self.asset_id and self.asset.kind != Asset.Kind.IMAGE:
            raise ValidationError({"asset": "A social-media image must be an image."})

    @property
    def spec(self) -> str:
        """The rendition spec of this crop; add ``|format-...`` for another output format."""
        width, height = SOCIAL_SIZES[str(self.ratio)]
        return f"fill-{width}x{height}|focus-{self.focal_x}x{self.focal_y}"
