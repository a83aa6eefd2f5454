"""Photos of a product colour (content field 1), video (10) and social-media images (11).

One write path for the product page, the shoot import, the demo and the API: each service runs
the model's ``full_clean`` and the rules of the set as a whole (at most ten photos per colour,
each image once), and refuses with a :class:`ContentError` keyed by paths (``photos``,
``photos.3.asset``), storing nothing. Renditions the channels need are queued after the commit.
"""
from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from modeltranslation.utils import build_localized_fieldname
from simple_history.utils import bulk_update_with_history

from catalog.models import (
    MAX_PHOTOS_PER_COLOUR,
    PhotoRole,
    ProductPhoto,
    ProductVideo,
    SocialImage,
    photo_limit_message,
)
from media.models import Asset
from media.services import asset_ingest, stored_files_rollback

from .errors import ContentError, ErrorCollector, full_clean, join_path
from .renditions import renditions_queue_for_product
from .translations import photo_translation_stamps_record, translation_texts_stored

# The studio's habit when a role is not given: 01 front, 02 back, 03 side, then details.
DEFAULT_ROLES = {1: PhotoRole.FRONT, 2: PhotoRole.BACK, 3: PhotoRole.SIDE}


def default_role(position: int) -> str:
    return DEFAULT_ROLES.get(position, PhotoRole.DETAIL)


def colour_photos_check(*, colour, images: Sequence[str | None], path: str = "photos") -> None:
    """The rules of a colour's photos as a whole, on the set as it will be.

    ``images`` are the SHA-256 of each photo's image, in order (None where unknown). At most
    ten photos; an image at most once (the later copy is refused at ``photos.<i>.asset``).
    """
    errors = ErrorCollector()
    if len(images) > MAX_PHOTOS_PER_COLOUR:
        errors.add(path, photo_limit_message(colour, len(images)), code="photo_limit")
    seen = set()
    for index, sha256 in enumerate(images):
        if sha256 is not None and sha256 in seen:
            errors.add(join_path(path, index, "asset"), f"This photo is already on {colour}.",
                       code="duplicate")
        seen.add(sha256)
    errors.raise_if_any()


def _set_alt_text(obj, alt_text) -> None:
    if isinstance(alt_text, dict):
        for language, text in alt_text.items():
            setattr(obj, build_localized_fieldname("alt_text", language), text or "")
    elif alt_text is not None:
        obj.alt_text = alt_text


def _set_history_user(obj, user) -> None:
    # Without a user, simple-history falls back to the request's (the admin's middleware).
    if user is not None:
        obj._history_user = user


def _image(*, file=None, asset: Asset | None = None, filename: str | None = None, user=None,
           path: str = "asset", label: str = "photo") -> Asset:
    """The image of a row: a new upload (``file``) or an asset of the library."""
    if (file is None) == (asset is None):
        raise ContentError.at(path, f"Upload a {label} or choose one from the library.",
                              code="required")
    if asset is None:
        try:
            return asset_ingest(file=file, filename=filename, kind=Asset.Kind.IMAGE, user=user)
        except ValidationError as exc:  # the upload's content checks
            raise ContentError.at(path, " ".join(exc.messages),
                                  code=getattr(exc, "code", None) or "upload") from exc
    return asset


def _renumber(colour_id: int, ordered_ids: list[int] | None = None, *, user=None) -> None:
    """Positions 1..n, in ``ordered_ids`` order or the current one; each photo that moved
    gets a history row, so the product's history says who reordered them."""
    photos = list(ProductPhoto.objects.filter(colour_id=colour_id).order_by("position", "id"))
    if ordered_ids is not None:
        rank = {pk: i for i, pk in enumerate(ordered_ids)}
        photos.sort(key=lambda p: rank[p.pk])
    changed = []
    for position, photo in enumerate(photos, start=1):
        if photo.position != position:
            photo.position = position
            changed.append(photo)
    bulk_update_with_history(changed, ProductPhoto, ["position"], default_user=user)


def _lock_colour(colour):
    # Serialises concurrent writes to one colour, so two uploads cannot both be the 10th.
    return type(colour).objects.select_for_update().get(pk=colour.pk)


def _check_with(colour, photo: ProductPhoto) -> None:
    """The photo's own fields, then the colour's set rules with it added or changed.

    The set rules (``colour_photos_check``) are where "each image once" is decided; the
    model's unique constraint only backs them up in the database.
    """
    errors = ErrorCollector()
    errors.full_clean(photo, validate_constraints=False)
    errors.raise_if_any()
    others = (ProductPhoto.objects.filter(colour=colour).exclude(pk=photo.pk)
              .order_by("position", "id").values_list("asset__sha256", flat=True))
    colour_photos_check(colour=colour, images=[*others, photo.asset.sha256])


def photo_add(*, colour, file=None, asset: Asset | None = None, role: str | None = None,
              alt_text: str | dict | None = None, position: int | None = None,
              filename: str | None = None, user=None) -> ProductPhoto:
    """Put a photo on a colour: a new upload (``file``) or an asset already in the library.

    ``position`` is 1-based; None appends. Refused (:class:`ContentError`, nothing stored)
    beyond ten photos, for an image already on the colour, or for anything but an image.
    """
    with stored_files_rollback(), transaction.atomic():
        colour = _lock_colour(colour)
        count = ProductPhoto.objects.filter(colour=colour).count()
        asset = _image(file=file, asset=asset, filename=filename, user=user)
        last = ProductPhoto.objects.filter(colour=colour).aggregate(m=Max("position"))["m"] or 0
        photo = ProductPhoto(colour=colour, asset=asset, position=last + 1,
                             role=role or default_role(count + 1))
        _set_alt_text(photo, alt_text)
        _check_with(colour, photo)
        _set_history_user(photo, user)
        photo.save()
        photo_translation_stamps_record(photo=photo, before=None, user=user)
        if position is not None and position <= count:
            ids = list(ProductPhoto.objects.filter(colour=colour).exclude(pk=photo.pk)
                       .order_by("position", "id").values_list("id", flat=True))
            ids.insert(max(position, 1) - 1, photo.pk)
            _renumber(colour.pk, ids, user=user)
            photo.refresh_from_db(fields=["position"])
        renditions_queue_for_product(product_id=colour.product_id)
    return photo


def photo_reorder(*, colour, photo_ids: list[int], user=None) -> None:
    """Set the order of a colour's photos: ``photo_ids`` lists all of them, first to last."""
    with transaction.atomic():
        colour = _lock_colour(colour)
        current = set(ProductPhoto.objects.filter(colour=colour).values_list("id", flat=True))
        if set(photo_ids) != current or len(photo_ids) != len(current):
            raise ContentError.at("photos", "The new order must list each photo of this colour "
                                  "once.", code="order_mismatch")
        _renumber(colour.pk, list(photo_ids), user=user)


def photo_update(*, photo: ProductPhoto, role: str | None = None,
                 alt_text: str | dict | None = None, file=None, asset: Asset | None = None,
                 user=None) -> ProductPhoto:
    """Change a photo's role or alt text, or replace its image (an upload or a library asset)."""
    with stored_files_rollback(), transaction.atomic():
        replaced = file is not None or asset is not None
        if replaced:
            photo.asset = _image(file=file, asset=asset, user=user)
        if role is not None:
            photo.role = role
        before = (translation_texts_stored(ProductPhoto, photo.pk, ["alt_text"])
                  if alt_text is not None else None)
        _set_alt_text(photo, alt_text)
        _check_with(_lock_colour(photo.colour) if replaced else photo.colour, photo)
        _set_history_user(photo, user)
        photo.save()
        if before is not None:
            photo_translation_stamps_record(photo=photo, before=before, user=user)
        if replaced:
            renditions_queue_for_product(product_id=photo.colour.product_id)
    return photo


def photo_remove(*, photo: ProductPhoto, user=None) -> None:
    """Take a photo off its colour; the asset stays in the library."""
    with transaction.atomic():
        colour_id = photo.colour_id
        _set_history_user(photo, user)
        photo.delete()
        _renumber(colour_id, user=user)


def video_set(*, product, video: Asset | None = None, video_file=None,
              poster: Asset | None = None, poster_file=None, user=None) -> ProductVideo:
    """Give a product its video (MP4 or WebM) and the poster image shown before it plays."""
    errors = ErrorCollector()
    if video is None and video_file is None:
        errors.add("video", "Choose or upload a video (MP4 or WebM).", code="required")
    if poster is None and poster_file is None:
        errors.add("poster", "A video needs a poster image: upload one with the video.",
                   code="poster_required")
    errors.raise_if_any()
    with stored_files_rollback(), transaction.atomic():
        if video is None:
            with errors.under("video"):
                video = asset_ingest(file=video_file, kind=Asset.Kind.VIDEO, user=user)
        if poster is None:
            with errors.under("poster"):
                poster = asset_ingest(file=poster_file, kind=Asset.Kind.IMAGE, user=user)
        errors.raise_if_any()
        current = ProductVideo.objects.filter(product=product).first()
        record = current or ProductVideo(product=product)
        record.video, record.poster = video, poster
        full_clean(record)
        record._history_user = user
        record.save()
        renditions_queue_for_product(product_id=product.pk)
    return record


def video_remove(*, video: ProductVideo, user=None) -> None:
    """Take the video off its product; its files stay in the library."""
    with transaction.atomic():
        video._history_user = user
        video.delete()


def social_image_add(*, product, ratio: str, file=None, asset: Asset | None = None,
                     focal: tuple[int, int] = (50, 50), alt_text: str | dict | None = None,
                     position: int | None = None, user=None) -> SocialImage:
    """Add a social-media crop (1:1, 4:5 or 9:16) of an image, centred on ``focal`` (%)."""
    with stored_files_rollback(), transaction.atomic():
        asset = _image(file=file, asset=asset, user=user, label="image")
        if position is None:
            position = (SocialImage.objects.filter(product=product)
                        .aggregate(m=Max("position"))["m"] or 0) + 1
        social = SocialImage(product=product, asset=asset, ratio=ratio, focal_x=focal[0],
                             focal_y=focal[1], position=position)
        _set_alt_text(social, alt_text)
        full_clean(social)
        social._history_user = user
        social.save()
        renditions_queue_for_product(product_id=product.pk)
    return social


def social_image_update(*, image: SocialImage, ratio: str | None = None,
                        focal: tuple[int, int] | None = None, alt_text: str | dict | None = None,
                        position: int | None = None, file=None, asset: Asset | None = None,
                        user=None) -> SocialImage:
    """Change a social-media image's crop, focal point, alt text, order or image."""
    with stored_files_rollback(), transaction.atomic():
        if file is not None or asset is not None:
            image.asset = _image(file=file, asset=asset, user=user, label="image")
        if ratio is not None:
            image.ratio = ratio
        if focal is not None:
            image.focal_x, image.focal_y = focal
        if position is not None:
            image.position = position
        _set_alt_text(image, alt_text)
        full_clean(image)
        image._history_user = user
        image.save()
        renditions_queue_for_product(product_id=image.product_id)
    return image


def social_image_remove(*, image: SocialImage, user=None) -> None:
    with transaction.atomic():
        image._history_user = user
        image.delete()
