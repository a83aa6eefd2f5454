"""Renditions: generate the missing ones, idempotently, through Django's storage API."""
from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from media.models import Asset, Rendition, rendition_storage_name
from media.renditions.generate import render
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
        name = rendition_storage_name(asset.sha256, spec, image.extension)
        try:
            with stored_files_rollback() as written, transaction.atomic():
                if default_storage.exists(name):
                    default_storage.delete(name)  # an orphan of an interrupted run
                stored = default_storage.save(name, ContentFile(image.content))
                written.append(stored)
                found[spec] = Rendition.objects.create(
                    asset=asset, spec=spec, file=stored, format=image.format,
                    width=image.width, height=image.height, byte_size=len(image.content),
                )
        except IntegrityError:
            # Another worker made it first; theirs is identical (same spec, same source).
            found[spec] = Rendition.objects.get(asset=asset, spec=spec)
            if not default_storage.exists(found[spec].file.name):
                default_storage.save(found[spec].file.name, ContentFile(image.content))
    return found
