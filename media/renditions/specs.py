"""Rendition specs: parse ``"fill-800x1000|format-webp|quality-80"`` into operations."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .operations import (
    OPERATIONS,
    FocusOperation,
    FormatOperation,
    Frame,
    GeometryOperation,
    InvalidSpecError,
    QualityOperation,
)

# What a spec without ``format-`` produces, by source format (Pillow's format names).
DEFAULT_OUTPUT_FORMAT = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp",
                         "AVIF": "avif"}
DEFAULT_QUALITY = {"jpeg": 85, "webp": 80, "avif": 60, "png": None}
EXTENSIONS = {"jpeg": "jpg", "webp": "webp", "avif": "avif", "png": "png"}
MIME_TYPES = {"jpeg": "image/jpeg", "webp": "image/webp", "avif": "image/avif", "png": "image/png"}


@dataclass(frozen=True)
class RenditionSpec:
    geometry: tuple[GeometryOperation, ...]
    focus: FocusOperation | None = None
    format: FormatOperation | None = None
    quality: QualityOperation | None = None

    @classmethod
    def parse(cls, spec: str | RenditionSpec) -> RenditionSpec:
        if isinstance(spec, RenditionSpec):
            return spec
        return _parse(spec)

    @property
    def canonical(self) -> str:
        """The one spelling stored and used as a key: geometry, focus, format, quality."""
        parts = [str(op) for op in self.geometry]
        parts += [str(op) for op in (self.focus, self.format, self.quality) if op]
        return "|".join(parts) or "original"

    def __str__(self) -> str:
        return self.canonical

    def frame(self, width: int, height: int) -> Frame:
        """Which region of a ``width`` x ``height`` source becomes which output size."""
        focal = (self.focus.x / 100, self.focus.y / 100) if self.focus else (0.5, 0.5)
        frame = Frame.full(width, height, focal)
        for operation in self.geometry:
            frame = operation.apply(frame)
        return frame

    def output_format(self, source_format: str | None, *, has_alpha: bool = False) -> str:
        if self.format:
            return self.format.format
        if source_format in DEFAULT_OUTPUT_FORMAT:
            return DEFAULT_OUTPUT_FORMAT[source_format]
        return "png" if has_alpha else "jpeg"

    def output_quality(self, output_format: str) -> int | None:
        if self.quality and DEFAULT_QUALITY[output_format] is not None:
            return self.quality.quality
        return DEFAULT_QUALITY[output_format]


@lru_cache(maxsize=512)
def _parse(spec: str) -> RenditionSpec:
    if not isinstance(spec, str) or not spec.strip():
        raise InvalidSpecError("A rendition spec cannot be empty.")
    geometry: list[GeometryOperation] = []
    singles: dict[str, object] = {}
    for token in (part.strip() for part in spec.strip().lower().split("|")):
        if not token:
            raise InvalidSpecError(f"'{spec}': empty operation between '|'.")
        name, *args = token.split("-")
        operation_class = OPERATIONS.get(name)
        if operation_class is None:
            known = ", ".join(sorted(OPERATIONS))
            raise InvalidSpecError(f"'{token}': unknown operation '{name}' (known: {known}).")
        operation = operation_class.parse(token, args)
        if isinstance(operation, GeometryOperation):
            geometry.append(operation)
        elif name in singles:
            raise InvalidSpecError(f"'{spec}': '{name}' is given twice.")
        else:
            singles[name] = operation
    # "original" is only a placeholder when a spec has no other geometry.
    geometry = [op for op in geometry if op.name != "original"]
    return RenditionSpec(
        geometry=tuple(geometry),
        focus=singles.get("focus"),
        format=singles.get("format"),
        quality=singles.get("quality"),
    )


def parse_spec(spec: str | RenditionSpec) -> RenditionSpec:
    return RenditionSpec.parse(spec)


def canonical_spec(spec: str | RenditionSpec) -> str:
    return RenditionSpec.parse(spec).canonical


__all__ = [
    "InvalidSpecError",
    "RenditionSpec",
    "parse_spec",
    "canonical_spec",
    "EXTENSIONS",
    "MIME_TYPES",
]
