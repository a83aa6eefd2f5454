"""Assets: ingest an upload once, by content hash."""
from __future__ import annotations

import hashlib
import io
from contextlib import contextmanager
from collections.abc import Iterable
from contextvars import ContextVar
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction

from media import conf as media_settings
from media.models import Asset, asset_storage_name
from media.storage import originals_storage
from media.validation import check_name_matches, inspect_upload


_written_files: ContextVar[list[tuple] | None] = ContextVar("media_written_files", default=None)


@contextmanager
def stored_files_rollback():
    """Collect (storage, name) pairs written inside the block; delete them if it fails.

    Nested blocks report to the outermost one, so a service that ingests two files (a video
    and its poster) removes both when the second is refused.
    """
    outer = _written_files.get()
    if outer is not None:
        yield outer
        return
    written: list[tuple] = []
    token = _written_files.set(written)
    try:
        yield written
    except BaseException:
        for storage, name in written:
            storage.delete(name)
        raise
    finally:
        _written_files.reset(token)


def _as_file(file) -> tuple[BinaryIO, str]:
    """A seekable binary file and its name, from an upload, a File, bytes or an open file."""
    if isinstance(file, bytes):
        return io.BytesIO(file), ""
    name = getattr(file, "name", "") or ""
    fp = getattr(file, "file", file) if isinstance(file, File) else file
    if not hasattr(fp, "seek") or not getattr(fp, "seekable", lambda: True)():
        fp = io.BytesIO(fp.read())
    return fp, name


def _sha256(fp: BinaryIO) -> str:
    digest = hashlib.sha256()
    fp.seek(0)
    for chunk in iter(lambda: fp.read(1024 * 1024), b""):
        digest.update(chunk)
    fp.seek(0)
    return digest.hexdigest()


def file_sha256(file) -> str:
    """The SHA-256 an upload would be stored under, without storing it."""
    return _sha256(_as_file(file)[0])


def _store(fp: BinaryIO, name: str, size: int, written: list[tuple]) -> str:
    """Write ``fp`` under its content name in the originals storage, reusing an identical
    object already there."""
    storage = originals_storage
    if storage.exists(name):
        if storage.size(name) == size:
            return name  # the same bytes, left by an earlier upload whose row was removed
        storage.delete(name)  # a partial write: replace it
    fp.seek(0)
    stored = storage.save(name, File(fp, name=name))
    written.append((storage, stored))
    return stored


def asset_ingest(*, file, filename: str | None = None, kind: str | None = None,
                 user=None) -> Asset:
    """Check an upload by content and store it once; return the (new or existing) Asset.

    ``file`` is an uploaded file, a Django ``File``, an open binary file or bytes. ``kind``
    ("image" or "video") refuses the other kind. The returned asset has ``is_new`` set to
    False when the same bytes were already in the library. Raises ``ValidationError`` (and
    stores nothing) for anything refused.
    """
    fp, name = _as_file(file)
    filename = filename or name.rsplit("/", 1)[-1]
    fp.seek(0, io.SEEK_END)
    size = fp.tell()
    if size > media_settings.get("MEDIA_MAX_UPLOAD_BYTES"):
        inspect_upload(fp, filename=filename)  # raises the size message
    sha256 = _sha256(fp)
    existing = Asset.objects.filter(sha256=sha256).first()
    if existing is not None:
        # Already checked when it first came in; the same bytes are the same answer, but this
        # upload's name must still tell the truth about them.
        check_name_matches(filename, existing.format)
        _check_kind(existing.kind, kind, filename)
        existing.is_new = False
        return existing

    inspection = inspect_upload(fp, filename=filename)
    _check_kind(inspection.kind, kind, filename)
    storage_name = asset_storage_name(sha256, inspection.extension)
    try:
        with stored_files_rollback() as written, transaction.atomic():
            stored = _store(fp, storage_name, size, written)
            asset = Asset.objects.create(
                kind=inspection.kind,
                sha256=sha256,
                file=stored,
                original_filename=filename[:255],
                format=inspection.format,
                mime_type=inspection.mime_type,
                width=inspection.width,
                height=inspection.height,
                byte_size=size,
                colour_profile=inspection.colour_profile,
                uploaded_by=user if getattr(user, "pk", None) else None,
            )
    except IntegrityError:
        # The same bytes were ingested concurrently: theirs won, and ours was not kept.
        asset = Asset.objects.get(sha256=sha256)
        if not originals_storage.exists(asset.file.name):  # our rollback removed the shared name
            _store(fp, asset.file.name, size, [])
        asset.is_new = False
        return asset
    asset.is_new = True
    if asset.kind == Asset.Kind.IMAGE:
        from media.tasks import renditions_generate_task

        spec = media_settings.get("MEDIA_THUMBNAIL_SPEC")
        transaction.on_commit(lambda: renditions_generate_task.delay(asset.pk, [spec]))
    return asset


def _check_kind(actual: str, expected: str | None, filename: str) -> None:
    if expected and actual != expected:
        labels = {Asset.Kind.IMAGE: "an image", Asset.Kind.VIDEO: "a video (MP4 or WebM)"}
        raise ValidationError(f"“{filename}” is {labels[actual]}; {labels[expected]} is needed here.",
                              code="wrong_kind")


def originals_make_private(*, names: Iterable[str] | None = None) -> int:
    """Move originals stored before they had their own storage from the public (default)
    storage into the originals storage; returns how many were moved.

    ``names`` default to every asset's file. Safe to run again: a name already in the
    originals storage is only removed from the public one.
    """
    if names is None:
        names = Asset.objects.values_list("file", flat=True).iterator()
    moved = 0
    for name in names:
        if not name or not default_storage.exists(name):
            continue
        if not originals_storage.exists(name):
            with default_storage.open(name, "rb") as fp:
                originals_storage.save(name, File(fp, name=name))
            moved += 1
        default_storage.delete(name)
    return moved
