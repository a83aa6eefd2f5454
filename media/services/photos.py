"""Photos of a product colour (content field 1), video and social-media images."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from modeltranslation.utils import build_localized_fieldname

from media.models import (
    MAX_PHOTOS_PER_COLOUR,
    Asset,
    PhotoRole,
    ProductPhoto,
    ProductVideo,
    SocialImage,
    SocialRatio,
    photo_limit_message,
)

from .assets import asset_ingest, stored_files_rollback

# The studio's habit when a role is not given: 01 front, 02 back, 03 side, then details.
DEFAULT_ROLES = {1: PhotoRole.FRONT, 2: PhotoRole.BACK, 3: PhotoRole.SIDE}


def default_role(position: int) -> str:
    return DEFAULT_ROLES.get(position, PhotoRole.DETAIL)


def _set_alt_text(obj, alt_text) -> None:
    if isinstance(alt_text, dict):
        for language, text in alt_text.items():
            setattr(obj, build_localized_fieldname("alt_text", language), text or "")
    elif alt_text is not None:
        obj.alt_text = alt_text


def _renumber(colour_id: int, ordered_ids: list[int] | None = None) -> None:
    """Positions 1..n, in ``ordered_ids`` order or the current one."""
    photos = list(ProductPhoto.objects.filter(colour_id=colour_id).order_by("position", "id"))
    if ordered_ids is not None:
        rank = {pk: i for i, pk in enumerate(ordered_ids)}
        photos.sort(key=lambda p: rank[p.pk])
    changed = []
    for position, photo in enumerate(photos, start=1):
        if photo.position != position:
            photo.position = position
            changed.append(photo)
    ProductPhoto.objects.bulk_update(changed, ["position"])


def _lock_colour(colour):
    # Serialises concurrent additions to one colour, so two uploads cannot both be the 10th.
    return type(colour).objects.select_for_update().get(pk=colour.pk)


def photo_add(*, colour, file=None, asset: Asset | None = None, role: str | None = None,
              alt_text: str | dict | None = None, position: int | None = None,
              filename: str | None = None, user=None) -> ProductPhoto:
    """Put a photo on a colour: a new upload (``file``) or an asset already in the library.

    ``position`` is 1-based; None appends. At most ten photos per colour; the same image
    cannot be on one colour twice. Raises ``ValidationError``, storing nothing, on refusal.
    """
    if (file is None) == (asset is None):
        raise ValueError("Give either file or asset.")
    with stored_files_rollback(), transaction.atomic():
        colour = _lock_colour(colour)
        count = ProductPhoto.objects.filter(colour=colour).count()
        if count >= MAX_PHOTOS_PER_COLOUR:
            raise ValidationError(photo_limit_message(colour), code="photo_limit")
        if asset is None:
            asset = asset_ingest(file=file, filename=filename, kind=Asset.Kind.IMAGE, user=user)
        elif asset.kind != Asset.Kind.IMAGE:
            raise ValidationError("A product photo must be an image.", code="wrong_kind")
        if ProductPhoto.objects.filter(colour=colour, asset=asset).exists():
            raise ValidationError(f"This photo is already on {colour}.", code="duplicate")
        last = ProductPhoto.objects.filter(colour=colour).aggregate(m=Max("position"))["m"] or 0
        photo = ProductPhoto(colour=colour, asset=asset, position=last + 1,
                             role=role or default_role(count + 1))
        _set_alt_text(photo, alt_text)
        photo._history_user = user
        photo.save()
        if position is not None and position <= count:
            ids = list(ProductPhoto.objects.filter(colour=colour).exclude(pk=photo.pk)
                       .order_by("position", "id").values_list("id", flat=True))
            ids.insert(max(position, 1) - 1, photo.pk)
            _renumber(colour.pk, ids)
            photo.refresh_from_db(fields=["position"])
    return photo


def photo_reorder(*, colour, photo_ids: list[int], user=None) -> None:
    """Set the order of a colour's photos: ``photo_ids`` lists all of them, first to last."""
    with transaction.atomic():
        colour = _lock_colour(colour)
        current = set(ProductPhoto.objects.filter(colour=colour).values_list("id", flat=True))
        if set(photo_ids) != current or len(photo_ids) != len(current):
            raise ValidationError("The new order must list each photo of this colour once.",
                                  code="order_mismatch")
        _renumber(colour.pk, list(photo_ids))


def photo_update(*, photo: ProductPhoto, role: str | None = None,
                 alt_text: str | dict | None = None, user=None) -> ProductPhoto:
    with transaction.atomic():
        if role is not None:
            if role not in PhotoRole.values:
                raise ValidationError(f"Unknown photo role “{role}”.", code="role")
            photo.role = role
        _set_alt_text(photo, alt_text)
        photo._history_user = user
        photo.save()
    return photo


def photo_remove(*, photo: ProductPhoto, user=None) -> None:
    """Take a photo off its colour; the asset stays in the library."""
    with transaction.atomic():
        colour_id = photo.colour_id
        photo._history_user = user
        photo.delete()
        _renumber(colour_id)


def video_set(*, product, video=None, video_file=None, poster=None, poster_file=None,
              user=None) -> ProductVideo:
    """Give a product its video (MP4 or WebM) and the poster image shown before it plays."""
    if video is None and video_file is None:
        raise ValidationError("Choose or upload a video (MP4 or WebM).", code="required")
    if poster is None and poster_file is None:
        raise ValidationError("A video needs a poster image: upload one with the video.",
                              code="poster_required")
    with stored_files_rollback(), transaction.atomic():
        if video is None:
            video = asset_ingest(file=video_file, kind=Asset.Kind.VIDEO, user=user)
        if poster is None:
            poster = asset_ingest(file=poster_file, kind=Asset.Kind.IMAGE, user=user)
        ProductVideo(product=product, video=video, poster=poster).clean()
        ProductVideo.objects.update_or_create(
            product=product, defaults={"video": video, "poster": poster})
    return ProductVideo.objects.get(product=product)


def social_image_add(*, product, ratio: str, file=None, asset: Asset | None = None,
                     focal: tuple[int, int] = (50, 50), alt_text: str | dict | None = None,
                     user=None) -> SocialImage:
    """Add a social-media crop (1:1, 4:5 or 9:16) of an image, centred on ``focal`` (%)."""
    if ratio not in SocialRatio.values:
        raise ValidationError(f"Unknown crop “{ratio}”; use 1x1, 4x5 or 9x16.", code="ratio")
    if not all(0 <= value <= 100 for value in focal):
        raise ValidationError("The focal point is in percent, from 0 to 100.", code="focal")
    if (file is None) == (asset is None):
        raise ValueError("Give either file or asset.")
    with stored_files_rollback(), transaction.atomic():
        if asset is None:
            asset = asset_ingest(file=file, kind=Asset.Kind.IMAGE, user=user)
        elif asset.kind != Asset.Kind.IMAGE:
            raise ValidationError("A social-media image must be an image.", code="wrong_kind")
        if SocialImage.objects.filter(product=product, asset=asset, ratio=ratio).exists():
            raise ValidationError("This image already has this crop for this product.",
                                  code="duplicate")
        last = SocialImage.objects.filter(product=product).aggregate(m=Max("position"))["m"] or 0
        social = SocialImage(product=product, asset=asset, ratio=ratio, focal_x=focal[0],
                             focal_y=focal[1], position=last + 1)
        _set_alt_text(social, alt_text)
        social.save()
    return social
