"""Pillow helpers shared by upload validation and rendition generation.

Nothing here touches Django models or storage, so the benchmark and the Celery worker run
exactly the same code.
"""
from __future__ import annotations

import io
from functools import lru_cache

import pillow_heif
from PIL import Image, ImageCms, ImageOps

# HEIC/HEIF through libheif; Pillow reads AVIF itself.
pillow_heif.register_heif_opener()

# Pillow format name -> (our format code, MIME type, file name extensions that may carry it).
IMAGE_FORMATS = {
    "JPEG": ("jpeg", "image/jpeg", ("jpg", "jpeg", "jpe", "jfif")),
    # A camera's multi-picture JPEG: the first picture is the photo, and it is stored as such.
    "MPO": ("jpeg", "image/jpeg", ("jpg", "jpeg", "jpe", "jfif", "mpo")),
    "PNG": ("png", "image/png", ("png",)),
    "WEBP": ("webp", "image/webp", ("webp",)),
    "TIFF": ("tiff", "image/tiff", ("tif", "tiff")),
    "HEIF": ("heic", "image/heic", ("heic", "heif", "hif")),
    "AVIF": ("avif", "image/avif", ("avif",)),
}

# Pillow opens an MPO through its JPEG plugin.
OPEN_FORMATS = [name for name in IMAGE_FORMATS if name != "MPO"]
EXIF_ORIENTATION = 0x0112
_SRGB = ImageCms.createProfile("sRGB")


def open_image(fp) -> Image.Image:
    """Open (lazily) an image of one of the allowed formats; anything else raises."""
    return Image.open(fp, formats=OPEN_FORMATS)


def exif_orientation(img: Image.Image) -> int:
    try:
        orientation = int(img.getexif().get(EXIF_ORIENTATION, 1))
    except Exception:  # a broken EXIF block must not stop an otherwise good image
        return 1
    return orientation if 1 <= orientation <= 8 else 1


JPEG_FORMATS = ("JPEG", "MPO")


def display_size(img: Image.Image) -> tuple[int, int]:
    """Width and height as the image is meant to be seen (EXIF orientation applied)."""
    width, height = img.size
    if img.format == "TIFF":
        # Pillow gives a TIFF's size upright already, and turns its pixels upright on load.
        return width, height
    return (height, width) if exif_orientation(img) in (5, 6, 7, 8) else (width, height)


def apply_orientation(img: Image.Image) -> Image.Image:
    return ImageOps.exif_transpose(img) if exif_orientation(img) != 1 else img


# What a damaged or misplaced embedded profile raises (a JPEG's ICC segment after its SOF
# marker arrives cut short: "cannot open profile from string").
PROFILE_ERRORS = (ImageCms.PyCMSError, OSError, TypeError, ValueError)


@lru_cache(maxsize=64)
def _profile(icc: bytes) -> ImageCms.ImageCmsProfile:
    return ImageCms.ImageCmsProfile(io.BytesIO(icc))


@lru_cache(maxsize=64)
def profile_description(icc: bytes) -> str:
    try:
        return ImageCms.getProfileDescription(_profile(icc)).strip()
    except PROFILE_ERRORS:
        return "unreadable profile"


def colour_profile_label(img: Image.Image) -> str:
    """A short, human description of an image's colours: profile name or mode."""
    icc = img.info.get("icc_profile")
    if icc:
        return profile_description(icc)[:120]
    return {"CMYK": "CMYK (no profile)", "L": "greyscale (no profile)"}.get(
        img.mode, "none (sRGB assumed)")


def _is_srgb(icc: bytes) -> bool:
    return "srgb" in profile_description(icc).lower()


@lru_cache(maxsize=32)
def _transform(icc: bytes, in_mode: str) -> ImageCms.ImageCmsTransform:
    return ImageCms.buildTransform(
        _profile(icc), _SRGB, in_mode, "RGB",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC,
        flags=ImageCms.Flags.BLACKPOINTCOMPENSATION,
    )


def to_srgb(img: Image.Image) -> Image.Image:
    """Return an 8-bit RGB or RGBA image in sRGB, with no metadata attached."""
    icc = img.info.get("icc_profile")
    if img.mode in ("P", "PA", "1"):
        img = img.convert("RGBA" if img.has_transparency_data else "RGB")
    elif img.mode.startswith("I;16") or img.mode == "I":
        img = img.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    elif img.mode == "F":
        img = img.convert("L")
    elif img.mode == "LA":
        img = img.convert("RGBA")

    alpha = img.getchannel("A") if img.mode in ("RGBA", "La") else None
    if img.mode == "La":
        img = img.convert("RGBA")
    if icc and not _is_srgb(icc):
        base = img.convert("RGB") if img.mode == "RGBA" else img
        try:
            img = ImageCms.applyTransform(base, _transform(icc, base.mode))
        except PROFILE_ERRORS:
            # A profile that does not fit the pixels (e.g. an RGB profile on CMYK data) or
            # cannot be read: fall back to the plain conversion rather than refuse the photo.
            img = base.convert("RGB")
    elif img.mode not in ("RGB", "RGBA"):
        img = img.convert("RGB")
    if alpha is not None and img.mode != "RGBA":
        img.putalpha(alpha)
    img.info = {}  # no EXIF, XMP, GPS, comments or profiles travel into a rendition
    return img


def flatten(img: Image.Image, background=(255, 255, 255)) -> Image.Image:
    """RGBA on a white background, for formats without transparency."""
    if img.mode != "RGBA":
        return img
    canvas = Image.new("RGB", img.size, background)
    canvas.paste(img, mask=img.getchannel("A"))
    return canvas
