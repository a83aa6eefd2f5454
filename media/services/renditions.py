"""Renditions: generate the missing ones, idempotently, into the public (default) storage."""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from media.models import VIDEO_CLEAN_SPEC, Asset, Rendition, rendition_storage_name
from media.renditions.generate import render
from media.renditions.video import video_without_metadata
from media.renditions.specs import InvalidSpecError, canonical_spec

from .assets import stored_files_rollback


def specs_canonical(specs: Iterable[str]) -> list[str]:
    """Canonical, de-duplicated specs; a bad one raises ``ValidationError`` naming it."""
    result: list[str] = []
    for spec in specs:
        try:
            canonical = canonical_spec(spec)
        except InvalidSpecError as exc:
            raise ValidationError(f"Invalid rendition spec: {exc}", code="invalid_spec") from exc
        if canonical not in result:
            result.append(canonical)
    return result


def renditions_generate(*, asset: Asset, specs: Iterable[str]) -> dict[str, Rendition]:
    """Make sure ``asset`` has a rendition for each spec; return them by canonical spec.

    Only the missing ones are rendered, all from one decode of the original. Safe to call
    again, or from two workers at once: the (asset, spec) pair is unique.
    """
    wanted = specs_canonical(specs)
    found = {r.spec: r for r in asset.renditions.filter(spec__in=wanted)}
    missing = [spec for spec in wanted if spec not in found]
    if not missing:
        return found
    if asset.kind != Asset.Kind.IMAGE:
        raise ValidationError(f"{asset} is a video: renditions are made from images.",
                              code="not_an_image")
    with asset.file.open("rb") as fp:
        rendered = render(fp, missing)
    for image in rendered:
        spec = image.spec.canonical
        found[spec] = _rendition_store(asset=asset, spec=spec, content=image.content,
                                       extension=image.extension, format=image.format,
                                       width=image.width, height=image.height)
    return found


def video_clean_copy(*, asset: Asset) -> Rendition:
    """The video channels get: ``asset``'s streams remuxed without metadata (no location,
    title or dates; no chapters or attachments), stored as its ``video-clean`` rendition.

    Idempotent, like ``renditions_generate``; the original is never published.
    """
    if asset.kind != Asset.Kind.VIDEO:
        raise ValidationError(f"{asset} is an image: clean copies are made from videos.",
                              code="not_a_video")
    existing = asset.renditions.filter(spec=VIDEO_CLEAN_SPEC).first()
    if existing is not None:
        return existing
    with asset.file.open("rb") as fp:
        content = video_without_metadata(fp, asset.format)
    return _rendition_store(asset=asset, spec=VIDEO_CLEAN_SPEC, content=content,
                            extension=asset.file.name.rsplit(".", 1)[-1], format=asset.format,
                            width=asset.width or 0, height=asset.height or 0)


def _rendition_store(*, asset: Asset, spec: str, content: bytes, extension: str,
                     **fields) -> Rendition:
    """Store one rendition's bytes in the public storage and its row, once per (asset, spec)."""
    name = rendition_storage_name(asset.sha256, spec, extension)
    try:
        with stored_files_rollback() as written, transaction.atomic():
            if default_storage.exists(name):
                default_storage.delete(name)  # an orphan of an interrupted run
            stored = default_storage.save(name, ContentFile(content))
            written.append((default_storage, stored))
            return Rendition.objects.create(asset=asset, spec=spec, file=stored,
                                            byte_size=len(content), **fields)
    except IntegrityError:
        # Another worker made it first; theirs is identical (same spec, same source).
        rendition = Rendition.objects.get(asset=asset, spec=spec)
        if not default_storage.exists(rendition.file.name):
            default_storage.save(rendition.file.name, ContentFile(content))
        return rendition
