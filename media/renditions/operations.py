"""Rendition operations: small registered classes parsed from spec tokens.

A spec such as ``"fill-800x1000|focus-50x30|format-webp|quality-80"`` is a list of tokens
``name-arg-arg``; each name maps to one class here (the way Wagtail's image operations do).
Geometry operations never touch pixels: they transform a :class:`Frame` (which region of the
source becomes which output size), so the generator can work out, before decoding, the
smallest decode scale that still serves every requested rendition.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

MAX_DIMENSION = 10_000
OUTPUT_FORMATS = ("jpeg", "webp", "avif", "png")

OPERATIONS: dict[str, type[Operation]] = {}


class InvalidSpecError(ValueError):
    """A rendition spec that cannot be parsed; the message says what is wrong."""


def register_operation(name: str):
    def decorator(cls: type[Operation]) -> type[Operation]:
        cls.name = name
        OPERATIONS[name] = cls
        return cls

    return decorator


@dataclass(frozen=True)
class Frame:
    """Which region of the source (``box``, in display pixels) becomes an image of ``size``."""

    box: tuple[float, float, float, float]
    size: tuple[int, int]
    focal: tuple[float, float]  # focal point in source pixels

    @classmethod
    def full(cls, width: int, height: int, focal: tuple[float, float] = (0.5, 0.5)) -> Frame:
        return cls((0.0, 0.0, float(width), float(height)), (width, height),
                   (focal[0] * width, focal[1] * height))

    @property
    def scale(self) -> float:
        """Output pixels per source pixel (the larger of the two axes)."""
        x0, y0, x1, y1 = self.box
        return max(self.size[0] / (x1 - x0), self.size[1] / (y1 - y0))

    def resized(self, scale: float) -> Frame:
        scale = min(scale, 1.0)  # renditions never upscale
        width = max(1, round(self.size[0] * scale))
        height = max(1, round(self.size[1] * scale))
        return replace(self, size=(width, height))

    def cropped(self, left: float, top: float, width: float, height: float) -> Frame:
        """Crop in output pixels; the box is mapped back to source pixels."""
        x0, y0, x1, y1 = self.box
        sx = (x1 - x0) / self.size[0]
        sy = (y1 - y0) / self.size[1]
        box = (x0 + left * sx, y0 + top * sy, x0 + (left + width) * sx, y0 + (top + height) * sy)
        return replace(self, box=box, size=(max(1, round(width)), max(1, round(height))))


def _dimensions(token: str, arg: str, *, single_allowed: bool) -> tuple[int, int]:
    match = re.fullmatch(r"(\d+)(?:x(\d+))?", arg)
    if not match or (match.group(2) is None and not single_allowed):
        expected = "N or WxH" if single_allowed else "WxH"
        raise InvalidSpecError(f"'{token}': expected {expected}, like 800x1000.")
    width = int(match.group(1))
    height = int(match.group(2) or width)
    if not (1 <= width <= MAX_DIMENSION and 1 <= height <= MAX_DIMENSION):
        raise InvalidSpecError(f"'{token}': sizes must be between 1 and {MAX_DIMENSION}.")
    return width, height


class Operation:
    name: str = ""
    #: Operations of the same group may appear once per spec (format, quality, focus).
    unique = False

    @classmethod
    def parse(cls, token: str, args: list[str]) -> Operation:
        raise NotImplementedError

    def __str__(self) -> str:
        raise NotImplementedError


class GeometryOperation(Operation):
    def apply(self, frame: Frame) -> Frame:
        raise NotImplementedError


@register_operation("original")
@dataclass(frozen=True)
class OriginalOperation(GeometryOperation):
    @classmethod
    def parse(cls, token, args):
        if args:
            raise InvalidSpecError(f"'{token}': 'original' takes no size.")
        return cls()

    def apply(self, frame):
        return frame

    def __str__(self):
        return "original"


@dataclass(frozen=True)
class _BoxOperation(GeometryOperation):
    width: int
    height: int
    single_allowed = True

    @classmethod
    def parse(cls, token, args):
        if len(args) != 1:
            raise InvalidSpecError(f"'{token}': expected one size, like {cls.name}-800x1000.")
        return cls(*_dimensions(token, args[0], single_allowed=cls.single_allowed))

    def __str__(self):
        return f"{self.name}-{self.width}x{self.height}"


@register_operation("max")
class MaxOperation(_BoxOperation):
    """Fit inside WxH (``max-2000`` is ``max-2000x2000``), keeping the aspect ratio."""

    def apply(self, frame):
        return frame.resized(min(self.width / frame.size[0], self.height / frame.size[1]))

    def __str__(self):
        if self.width == self.height:
            return f"max-{self.width}"
        return super().__str__()


@register_operation("min")
class MinOperation(_BoxOperation):
    """Cover at least WxH, keeping the aspect ratio."""

    def apply(self, frame):
        return frame.resized(max(self.width / frame.size[0], self.height / frame.size[1]))


@register_operation("fill")
class FillOperation(_BoxOperation):
    """Crop to the WxH aspect ratio around the focal point, then scale down to WxH."""

    single_allowed = False

    def apply(self, frame):
        width, height = frame.size
        aspect = self.width / self.height
        crop_w, crop_h = (height * aspect, height) if width / height > aspect else (width, width / aspect)
        # The focal point in output pixels of the current frame.
        x0, y0, x1, y1 = frame.box
        fx = (frame.focal[0] - x0) / (x1 - x0) * width
        fy = (frame.focal[1] - y0) / (y1 - y0) * height
        left = min(max(fx - crop_w / 2, 0.0), width - crop_w)
        top = min(max(fy - crop_h / 2, 0.0), height - crop_h)
        cropped = frame.cropped(left, top, crop_w, crop_h)
        # Exactly WxH, unless the source is smaller: renditions never upscale.
        if crop_w >= self.width:
            size = (self.width, self.height)
        else:
            size = (max(1, round(crop_w)), max(1, round(crop_h)))
        return replace(cropped, size=size)


@dataclass(frozen=True)
class _SideOperation(GeometryOperation):
    pixels: int

    @classmethod
    def parse(cls, token, args):
        if len(args) != 1 or not args[0].isdigit() or not 1 <= int(args[0]) <= MAX_DIMENSION:
            raise InvalidSpecError(f"'{token}': expected a size in pixels, like {cls.name}-800.")
        return cls(int(args[0]))

    def __str__(self):
        return f"{self.name}-{self.pixels}"


@register_operation("width")
class WidthOperation(_SideOperation):
    def apply(self, frame):
        return frame.resized(self.pixels / frame.size[0])


@register_operation("height")
class HeightOperation(_SideOperation):
    def apply(self, frame):
        return frame.resized(self.pixels / frame.size[1])


@register_operation("focus")
@dataclass(frozen=True)
class FocusOperation(Operation):
    """Focal point for crops, in percent of the source: ``focus-50x30``."""

    x: int
    y: int
    unique = True

    @classmethod
    def parse(cls, token, args):
        match = len(args) == 1 and re.fullmatch(r"(\d{1,3})x(\d{1,3})", args[0])
        if not match or int(match.group(1)) > 100 or int(match.group(2)) > 100:
            raise InvalidSpecError(f"'{token}': expected percentages, like focus-50x30.")
        return cls(int(match.group(1)), int(match.group(2)))

    def __str__(self):
        return f"focus-{self.x}x{self.y}"


@register_operation("format")
@dataclass(frozen=True)
class FormatOperation(Operation):
    format: str
    unique = True

    @classmethod
    def parse(cls, token, args):
        fmt = args[0] if len(args) == 1 else ""
        fmt = "jpeg" if fmt == "jpg" else fmt
        if fmt not in OUTPUT_FORMATS:
            raise InvalidSpecError(f"'{token}': the format must be one of {', '.join(OUTPUT_FORMATS)}.")
        return cls(fmt)

    def __str__(self):
        return f"format-{self.format}"


@register_operation("quality")
@dataclass(frozen=True)
class QualityOperation(Operation):
    quality: int
    unique = True

    @classmethod
    def parse(cls, token, args):
        if len(args) != 1 or not args[0].isdigit() or not 1 <= int(args[0]) <= 100:
            raise InvalidSpecError(f"'{token}': the quality must be between 1 and 100.")
        return cls(int(args[0]))

    def __str__(self):
        return f"quality-{self.quality}"
