"""Bulk upload of a photo shoot, named by the studio convention.

``WD-24-0193_BLK_01.jpg`` is photo 01 of colour ``BLK`` of style ``WD-24-0193``. Each file
is placed (or refused) on its own: one bad file never blocks the rest of the shoot, and a
refused file leaves nothing behind.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from catalog.models import Colour
from media import conf as media_settings

from .errors import ContentError
from .photos import default_role, photo_add

NAME_CONVENTION = "<style code>_<colour code>_<nn>.<ext>"
_JUNK = {".ds_store", "thumbs.db", "desktop.ini"}

ShootFile = tuple[str, Callable[[], bytes]]  # (name, read the bytes)


@dataclass
class ImportLine:
    filename: str
    status: str  # placed, skipped, refused
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

    def summary(self) -> str:
        return (f"{len(self.placed)} placed, {len(self.skipped)} already there, "
                f"{len(self.refused)} refused")

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
def _is_junk(name: str) -> bool:
    base = os.path.basename(name)
    return (not base or base.startswith(".") or base.lower() in _JUNK
            or "__MACOSX/" in name.replace("\\", "/"))


def shoot_files_from_zip(fp) -> Iterator[ShootFile]:
    limit = media_settings.get("MEDIA_MAX_UPLOAD_BYTES")
    archive = zipfile.ZipFile(fp)
    for info in archive.infolist():
        if info.is_dir() or _is_junk(info.filename):
            continue

        def read(info=info) -> bytes:
            if info.file_size > limit:
                raise ValidationError(f"The file is {info.file_size // 2**20} MB; the limit is "
                                      f"{limit // 2**20} MB.", code="too_large")
            with archive.open(info) as member:
                data = member.read(limit + 1)  # never trust the size the zip declares
            if len(data) > limit:
                raise ValidationError("The file is larger than the upload limit.",
                                      code="too_large")
            return data

        yield os.path.basename(info.filename), read


def shoot_files_from_folder(path: str | Path) -> Iterator[ShootFile]:
    for file in sorted(Path(path).rglob("*")):
        if file.is_file() and not _is_junk(str(file.relative_to(path))):
            yield file.name, file.read_bytes


def shoot_files(path: str | Path) -> list[ShootFile]:
    """The files of a shoot: a folder (searched recursively) or a zip archive."""
    path = Path(path)
    if path.is_dir():
        return list(shoot_files_from_folder(path))
    if zipfile.is_zipfile(path):
        return list(shoot_files_from_zip(open(path, "rb")))  # noqa: SIM115 (read lazily)
    raise ValidationError(f"{path} is neither a folder nor a zip archive.", code="not_a_shoot")


def uploaded_shoot_files(uploads: Iterable) -> list[ShootFile]:
    """Files uploaded through a form: zips are opened, other files taken as they are."""
    files: list[ShootFile] = []
    for upload in uploads:
        upload.seek(0)
        head = upload.read(4)
        upload.seek(0)
        if head == b"PK\x03\x04":
            files += shoot_files_from_zip(upload)
        else:
            files.append((os.path.basename(upload.name), upload.read))
    return files


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
    for name, read in files:
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
            except ValidationError as exc:  # refused by photo_add, or too large to read
                codes = {code for codes in ContentError(exc).codes().values() for code in codes}
                line.status = "skipped" if "duplicate" in codes else "refused"
                line.message = " ".join(exc.messages)
            else:
                line.status = "placed"
                line.position = photo.position
            record(line)
    return report
