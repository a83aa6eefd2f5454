"""Render many specs from one decode of the source.

1. Every spec is turned into a :class:`Frame` (source region -> output size) before any
   pixel is decoded, so we know the largest scale any output needs.
2. JPEGs are decoded with libjpeg's DCT scaling (``Image.draft``) at the smallest 1/1, 1/2,
   1/4 or 1/8 scale that still serves that output: a 24-megapixel photo feeding a 2000 px
   rendition decodes as 6 megapixels, never 24.
3. Each output is resampled (``reduce`` then Lanczos, through ``reducing_gap``) from the
   smallest image already in hand that covers its region at enough resolution, which is
   often a larger rendition made a moment before rather than the decoded source.
4. Each output is encoded on a helper thread while the next one is resampled: Pillow's
   encoders and resampling release the GIL, so one photo keeps two cores busy.
"""
from __future__ import annotations

import io
import math
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import BinaryIO, Sequence

from PIL import Image

from media.images import (
    JPEG_FORMATS,
    apply_orientation,
    display_size,
    exif_orientation,
    flatten,
    open_image,
    to_srgb,
)

from .operations import Frame
from .specs import EXTENSIONS, MIME_TYPES, RenditionSpec

# reduce() by whole factors, then Lanczos for the last step of at least this ratio; Pillow's
# docs: from 3.0 the result is indistinguishable from a full Lanczos resample.
REDUCING_GAP = 3.0
RESAMPLE = Image.Resampling.LANCZOS
ENCODE_THREADS = min(2, os.cpu_count() or 1)

_encoders: ThreadPoolExecutor | None = None
_encoders_lock = threading.Lock()


def _encoder_pool() -> ThreadPoolExecutor:
    global _encoders
    with _encoders_lock:
        if _encoders is None:
            _encoders = ThreadPoolExecutor(ENCODE_THREADS, thread_name_prefix="rendition-encode")
        return _encoders


@dataclass
class RenderedImage:
    spec: RenditionSpec
    content: bytes
    width: int
    height: int
    format: str  # jpeg, webp, avif, png

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]


@dataclass
class _Source:
    image: Image.Image
    box: tuple[float, float, float, float]  # region of the display-oriented source it shows

    def scale(self) -> float:
        x0, y0, x1, y1 = self.box
        return min(self.image.width / (x1 - x0), self.image.height / (y1 - y0))

    def covers(self, box) -> bool:
        eps = 1e-6
        return (self.box[0] - eps <= box[0] and self.box[1] - eps <= box[1]
                and box[2] <= self.box[2] + eps and box[3] <= self.box[3] + eps)

    def pixel_box(self, box) -> tuple[float, float, float, float]:
        sx = self.image.width / (self.box[2] - self.box[0])
        sy = self.image.height / (self.box[3] - self.box[1])
        return (
            max(0.0, (box[0] - self.box[0]) * sx),
            max(0.0, (box[1] - self.box[1]) * sy),
            min(float(self.image.width), (box[2] - self.box[0]) * sx),
            min(float(self.image.height), (box[3] - self.box[1]) * sy),
        )


def _draft_size(img: Image.Image, scale: float) -> tuple[int, int] | None:
    """Smallest decoded size (in stored, un-rotated pixels) that serves ``scale``."""
    if scale > 0.5:
        return None  # DCT scaling cannot help
    width, height = img.size
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def decode(img: Image.Image, *, scale: float = 1.0) -> Image.Image:
    """Decode an opened image once, at the smallest JPEG DCT scale that keeps ``scale``.

    Returns it upright (EXIF orientation applied), in sRGB, with no metadata.
    """
    orientation = exif_orientation(img)
    if img.format in JPEG_FORMATS:
        requested = _draft_size(img, scale)
        if requested:
            img.draft(img.mode if img.mode != "CMYK" else None, requested)
    img.load()
    if orientation != 1:
        img = apply_orientation(img)
    return to_srgb(img)


def _encode(img: Image.Image, spec: RenditionSpec, source_format: str) -> RenderedImage:
    output_format = spec.output_format(source_format, has_alpha=img.mode == "RGBA")
    quality = spec.output_quality(output_format)
    buffer = io.BytesIO()
    if output_format == "jpeg":
        img = flatten(img)
        img.save(buffer, "JPEG", quality=quality, optimize=True)
    elif output_format == "webp":
        img.save(buffer, "WEBP", quality=quality, method=4)
    elif output_format == "avif":
        img.save(buffer, "AVIF", quality=quality, speed=8)
    else:
        img.save(buffer, "PNG", compress_level=6)
    return RenderedImage(spec, buffer.getvalue(), img.width, img.height, output_format)


def render(fp: BinaryIO | str, specs: Sequence[RenditionSpec | str]) -> list[RenderedImage]:
    """Render ``specs`` from the image in ``fp``, decoding it once; results in spec order."""
    specs = [RenditionSpec.parse(spec) for spec in specs]
    if not specs:
        return []
    img = open_image(fp)
    width, height = display_size(img)
    frames = [spec.frame(width, height) for spec in specs]
    source_format = img.format
    base = decode(img, scale=max(frame.scale for frame in frames))
    pool = [_Source(base, (0.0, 0.0, float(width), float(height)))]

    results: dict[int, Future[RenderedImage]] = {}
    encoders = _encoder_pool()
    # Largest outputs first, so smaller ones can be resampled from them.
    for index in sorted(range(len(specs)), key=lambda i: -frames[i].scale):
        frame: Frame = frames[index]
        candidates = [s for s in pool if s.covers(frame.box) and s.scale() >= frame.scale - 1e-9]
        source = min(candidates or pool[:1], key=lambda s: s.image.width * s.image.height)
        box = source.pixel_box(frame.box)
        if frame.size == source.image.size and box == (0.0, 0.0, *map(float, source.image.size)):
            out = source.image
        else:
            out = source.image.resize(frame.size, RESAMPLE, box=box, reducing_gap=REDUCING_GAP)
            pool.append(_Source(out, frame.box))
        results[index] = encoders.submit(_encode, out, specs[index], source_format)
    return [results[i].result() for i in range(len(specs))]
