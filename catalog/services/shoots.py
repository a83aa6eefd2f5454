"""Bulk upload of a photo shoot, named by the studio convention.

``WD-24-0193_BLK_01.jpg`` is photo 01 of colour ``BLK`` of style ``WD-24-0193``. Each file
is placed (or refused) on its own: one bad file never blocks the rest of the shoot, and a
refused file leaves nothing behind.
"""
from __future__ import annotations

import io
import logging
import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from catalog.models import Colour
from media import conf as media_settings

from .errors import ContentError
from .photos import default_role, photo_add

logger = logging.getLogger(__name__)

NAME_CONVENTION = "<style code>_<colour code>_<nn>.<ext>"
_JUNK = {".ds_store", "thumbs.db", "desktop.ini"}

ShootFile = tuple[str, Callable[[], bytes]]  # (name, read the bytes)


@dataclass
class ImportLine:
    filename: str
    status: str  # placed, skipped (already there), refused, ignored (system files)
    message: str = ""
    style_code: str = ""
    colour_code: str = ""
    position: int | None = None

    @property
    def target(self) -> str:
        if not self.style_code:
            return ""
        where = f"{self.style_code} / {self.colour_code}"
        return f"{where} #{self.position}" if self.position else where


@dataclass
class ImportReport:
    lines: list[ImportLine] = field(default_factory=list)

    def _with(self, status):
        return [line for line in self.lines if line.status == status]

    @property
    def placed(self) -> list[ImportLine]:
        return self._with("placed")

    @property
    def skipped(self) -> list[ImportLine]:
        return self._with("skipped")

    @property
    def refused(self) -> list[ImportLine]:
        return self._with("refused")

    @property
    def ignored(self) -> list[ImportLine]:
        return self._with("ignored")

    def summary(self) -> str:
        return (f"{len(self.placed)} placed, {len(self.skipped)} already there, "
                f"{len(self.refused)} refused, {len(self.ignored)} ignored")

    def as_text(self) -> str:
        rows = [self.summary()]
        for line in self.lines:
            target = f" -> {line.target}" if line.target else ""
            message = f": {line.message}" if line.message else ""
            rows.append(f"  {line.status.upper():8s} {line.filename}{target}{message}")
        return "\n".join(rows)


def parse_shoot_name(filename: str) -> tuple[str, str, int] | None:
    """``WD-24-0193_BLK_01.jpg`` -> ("WD-24-0193", "BLK", 1); None if it does not follow."""
    stem, extension = os.path.splitext(os.path.basename(filename))
    parts = stem.rsplit("_", 2)
    if not extension or len(parts) != 3 or not re.fullmatch(r"\d{1,3}", parts[2]):
        return None
    style, colour, number = parts
    if not style or not colour or int(number) < 1:
        return None
    return style.upper(), colour.upper(), int(number)


# ----------------------------------------------------------------------------- sources
# A source lists every file with its path in the folder or archive, and reads it only when
# asked, so that a shoot is held in memory one file at a time. Reading refuses (ValidationError)
# a file over the limits or damaged; ``photos_import`` reports it and goes on with the rest.
_ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_RATIO_FLOOR = 2**20  # members that expand to less than this are not held to the ratio


def _mb(size: int) -> str:
    return f"{size / 2**20:,.0f} MB" if size >= 2**20 else f"{size:,} bytes"


def _too_large(limit: int) -> ValidationError:
    return ValidationError(f"The file is larger than the limit of {_mb(limit)}.",
                           code="too_large")


def _too_much(limit: int) -> ValidationError:
    return ValidationError(f"The archive's files add up to more than the limit of {_mb(limit)}; "
                           "this file is not read.", code="archive_too_large")


def _bomb(ratio: int) -> ValidationError:
    return ValidationError(f"The file expands more than {ratio} times its compressed size "
                           "(a zip bomb?); it is not read.", code="zip_bomb")


def _archive_error(name: str, reason: str) -> ValidationError:
    return ValidationError(f"{name} could not be read as a zip archive ({reason}); it may be "
                           "truncated or damaged. Nothing was imported from it.",
                           code="bad_archive")


def shoot_files_from_zip(fp, name: str = "The archive") -> list[ShootFile]:
    """The files of a zip archive; an archive that cannot be opened is refused as a whole.

    Each member is read alone, at most as many bytes as the limits allow (the upload limit,
    what is left of MEDIA_MAX_ZIP_BYTES, MEDIA_MAX_ZIP_RATIO times its compressed size) plus
    one, whatever sizes its headers declare: a bomb is refused before it inflates.
    """
    max_file = media_settings.get("MEDIA_MAX_UPLOAD_BYTES")
    max_total = media_settings.get("MEDIA_MAX_ZIP_BYTES")
    max_ratio = media_settings.get("MEDIA_MAX_ZIP_RATIO")
    try:
        archive = zipfile.ZipFile(fp)
        infos = [info for info in archive.infolist() if not info.is_dir()]
    except Exception as exc:  # BadZipFile, OSError, EOFError, ValueError...: damaged
        raise _archive_error(name, str(exc).rstrip(".") or type(exc).__name__) from exc
    left = [max_total]  # of the total, for the members still to read

    def over(size: int) -> ValidationError:
        return (_too_large(max_file) if size > max_file else
                _too_much(max_total) if size > left[0] else _bomb(max_ratio))

    def read(info: zipfile.ZipInfo) -> bytes:
        if info.flag_bits & 0x1:
            raise ValidationError("The file is encrypted; zip the shoot without a password.",
                                  code="encrypted")
        if info.compress_type not in _ZIP_METHODS:
            raise ValidationError(f"The file is compressed with a method the import cannot "
                                  f"read (method {info.compress_type}); zip the shoot again "
                                  "with standard compression.", code="zip_method")
        cap = min(max_file, left[0], max(max_ratio * info.compress_size, _RATIO_FLOOR))
        if info.file_size > cap:  # as declared; the read below does not trust it
            raise over(info.file_size)
        buffer = io.BytesIO()
        try:  # in small reads: zipfile inflates as much as each read asks, whatever the header
            with archive.open(info) as member:
                while buffer.tell() <= cap and (chunk := member.read(min(2**16, cap + 1))):
                    buffer.write(chunk)
        except Exception as exc:  # bad CRC, truncated data, false sizes, zlib errors...
            raise ValidationError(f"The file is damaged in the archive ({exc}).",
                                  code="damaged") from exc
        data = buffer.getvalue()
        if len(data) > cap:
            raise over(len(data))
        if len(data) != info.file_size:
            raise ValidationError(f"The file is damaged in the archive (it holds {len(data):,} "
                                  f"bytes, its header says {info.file_size:,}).", code="damaged")
        left[0] -= len(data)
        return data

    return [(info.filename, lambda info=info: read(info)) for info in infos]


def _read_file(file: Path) -> bytes:
    limit = media_settings.get("MEDIA_MAX_UPLOAD_BYTES")
    with file.open("rb") as fp:
        data = fp.read(limit + 1)
    if len(data) > limit:
        raise _too_large(limit)
    return data


def shoot_files_from_folder(path: str | Path) -> list[ShootFile]:
    return [(str(file.relative_to(path)), lambda file=file: _read_file(file))
            for file in sorted(Path(path).rglob("*")) if file.is_file()]


def _is_zip(name: str, head: bytes) -> bool:
    return head.startswith(b"PK") or name.lower().endswith(".zip")


def shoot_files(path: str | Path) -> list[ShootFile]:
    """The files of a shoot: a folder (searched recursively) or a zip archive."""
    path = Path(path)
    if path.is_dir():
        return shoot_files_from_folder(path)
    with path.open("rb") as fp:
        head = fp.read(4)
    if _is_zip(path.name, head):
        return shoot_files_from_zip(path.open("rb"), name=path.name)  # open: read lazily
    raise ValidationError(f"{path} is neither a folder nor a zip archive.", code="not_a_shoot")


def uploaded_shoot_files(uploads: Iterable) -> list[ShootFile]:
    """Files uploaded through a form: zips are opened, other files taken as they are."""
    files: list[ShootFile] = []
    for upload in uploads:
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if _is_zip(upload.name, head):
            files += shoot_files_from_zip(upload, name=os.path.basename(upload.name))
        else:
            files.append((os.path.basename(upload.name), upload.read))
    return files


def _shoot_name(path: str) -> tuple[str, str, str]:
    """The name a file is imported under, and why it is not imported ("" if it is).

    Backslashes count as folder separators (zips made on Windows); a path climbing out of its
    folder is refused, system files are ignored.
    """
    parts = path.replace("\\", "/").split("/")
    base = parts[-1]
    if ".." in parts:
        return path, "refused", ("The path climbs out of the archive's folder (“..”); the file "
                                 "is not imported.")
    if "__MACOSX" in parts:
        return base or path, "ignored", "macOS resource data (__MACOSX), not a photo."
    if base.startswith(".") or base.lower() in _JUNK:
        return base, "ignored", "A system file, not a photo."
    return base, "", ""


# ----------------------------------------------------------------------------- service
def photos_import(*, files: Iterable[ShootFile], user=None,
                  progress: Callable[[ImportLine], None] | None = None) -> ImportReport:
    """Place each file of a shoot on its product colour, in ``nn`` order; report every file."""
    report = ImportReport()

    def record(line: ImportLine) -> None:
        report.lines.append(line)
        if progress:
            progress(line)

    groups: dict[tuple[str, str], list[tuple[int, str, Callable[[], bytes]]]] = defaultdict(list)
    for path, read in files:
        name, status, reason = _shoot_name(path)
        if status:
            record(ImportLine(name, status, reason))
            continue
        parsed = parse_shoot_name(name)
        if parsed is None:
            record(ImportLine(name, "refused", f"The name does not follow {NAME_CONVENTION}, "
                                               "for example WD-24-0193_BLK_01.jpg."))
            continue
        style, colour_code, number = parsed
        groups[(style, colour_code)].append((number, name, read))

    styles = {style for style, _ in groups}
    colours = {
        (colour.product.style_code, colour.code): colour
        for colour in Colour.objects.filter(product__style_code__in=styles).select_related("product")
    }
    codes_by_style = defaultdict(list)
    for style, code in colours:
        codes_by_style[style].append(code)

    for (style, colour_code), entries in sorted(groups.items()):
        entries.sort(key=lambda entry: (entry[0], entry[1]))
        colour = colours.get((style, colour_code))
        seen_numbers: set[int] = set()
        for number, name, read in entries:
            line = ImportLine(name, "refused", style_code=style, colour_code=colour_code)
            if colour is None:
                if style in codes_by_style:
                    known = ", ".join(sorted(codes_by_style[style]))
                    line.message = f"Product {style} has no colour {colour_code} (it has {known})."
                else:
                    line.message = f"No product has the style code {style}."
                record(line)
                continue
            if number in seen_numbers:
                line.message = f"Another file of {style} {colour_code} is also numbered {number:02d}."
                record(line)
                continue
            seen_numbers.add(number)
            try:
                photo = photo_add(colour=colour, file=io.BytesIO(read()), filename=name,
                                  role=default_role(number), user=user)
            except ValidationError as exc:  # refused by photo_add, or unreadable
                codes = {code for codes in ContentError(exc).codes().values() for code in codes}
                line.status = "skipped" if "duplicate" in codes else "refused"
                line.message = " ".join(exc.messages)
            except Exception as exc:  # one file never stops the shoot; photo_add stored nothing
                logger.exception("Shoot import: %s could not be imported", name)
                line.message = f"The file could not be imported ({type(exc).__name__}: {exc})."
            else:
                line.status = "placed"
                line.position = photo.position
            record(line)
    return report
