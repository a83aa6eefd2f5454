"""Product media (content fields 1, 10 and 11): the catalog's links to assets of the library.

The photos of a colour, a product's video and its social-media crops are product content; the
files they show are media ``Asset`` rows. The tables kept their names from when these models
lived in the media app (``media_productphoto``...), so the data never moved.
"""
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from media.models import Asset

from .fields import PlainCharField

MAX_PHOTOS_PER_COLOUR = 10


class PhotoRole(models.TextChoices):
    FRONT = "front", "Front"
    BACK = "back", "Back"
    SIDE = "side", "Side"
    DETAIL = "detail", "Detail"
    ON_MODEL = "on_model", "On model"
    FLAT_LAY = "flat_lay", "Flat lay"


class ProductPhoto(models.Model):
    """A photo of a product colour, in the merchandiser's order (content field 1)."""

    colour = models.ForeignKey("Colour", on_delete=models.CASCADE, related_name="photos")
    asset = models.ForeignKey(
        Asset, on_delete=models.PROTECT, related_name="photos",
        limit_choices_to={"kind": Asset.Kind.IMAGE},
    )
    position = models.PositiveSmallIntegerField(default=0, db_index=True)
    role = models.CharField(max_length=10, choices=PhotoRole.choices, default=PhotoRole.FRONT)
    alt_text = PlainCharField(
        "alt text", max_length=250, blank=True,
        help_text="What the photo shows, for screen readers and search engines.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "media_productphoto"
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
        # How many photos a colour has, and each image once, are rules of the set of photos:
        # ``catalog.services.photos.colour_photos_check``.
        if self.asset_id and self.asset.kind != Asset.Kind.IMAGE:
            raise ValidationError({"asset": "A product photo must be an image."})


def photo_limit_message(colour, count: int = MAX_PHOTOS_PER_COLOUR + 1) -> str:
    """The refusal of a colour's ``count``-th photo, wherever it comes from."""
    if count > MAX_PHOTOS_PER_COLOUR + 1:
        return (f"A colour has at most {MAX_PHOTOS_PER_COLOUR} photos; {colour} would have "
                f"{count}. Remove some before adding others.")
    return (f"A colour has at most {MAX_PHOTOS_PER_COLOUR} photos and {colour} already has "
            f"{MAX_PHOTOS_PER_COLOUR}. Remove one before adding another.")


class ProductVideo(models.Model):
    """The product's video (content field 10): MP4 or WebM, with a poster image."""

    product = models.OneToOneField("Product", on_delete=models.CASCADE, related_name="video")
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

    class Meta:
        db_table = "media_productvideo"

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
        "Product", on_delete=models.CASCADE, related_name="social_images"
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
    alt_text = PlainCharField("alt text", max_length=250, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "media_socialimage"
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
