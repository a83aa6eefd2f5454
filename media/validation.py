"""Upload checks by content, never by file name.

Images are decoded fully by Pillow (libheif for HEIC); videos are demuxed by FFmpeg through
PyAV. Anything refused raises a ``ValidationError`` with a message a merchandiser can act
on, before a byte is stored.
"""
from __future__ import annotations

import os
import time
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import av
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from media import conf as media_settings
from media.images import IMAGE_FORMATS, colour_profile_label, display_size, open_image
from media.renditions.generate import decode

ALLOWED_DESCRIPTION = "JPEG, PNG, WebP, TIFF, HEIC or AVIF images, MP4 or WebM videos"

# ISO base media "major brands": HEIF/AVIF are still images, the others MP4 video.
HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1",
               b"avif", b"avis"}
MP4_BRANDS = {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9",
              b"mp41", b"mp42", b"avc1", b"dash", b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"f4v "}
VIDEO_CODECS = {"mp4": {"h264", "hevc", "av1", "mpeg4", "vp9"}, "webm": {"vp8", "vp9", "av1"}}
VIDEO_FORMATS = {
    # our format -> (MIME type, file name extensions that may carry it)
    "mp4": ("video/mp4", ("mp4", "m4v")),
    "webm": ("video/webm", ("webm",)),
}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"




@dataclass(frozen=True)
class Inspection:
    """What the content turned out to be."""

    kind: str  # "image" or "video"
    format: str  # jpeg, png, webp, tiff, heic, avif, mp4, webm
    mime_type: str
    extension: str
    width: int | None
    height: int | None
    colour_profile: str = ""


def _refuse(message: str, code: str):
    raise ValidationError(message, code=code)


def _name_extension(filename: str) -> str:
    return os.path.splitext(filename or "")[1].lower().lstrip(".")


def _check_name(filename: str, format_label: str, extensions: tuple[str, ...]) -> None:
    """A file whose name claims another type than its bytes is refused (it lies)."""
    extension = _name_extension(filename)
    if extension and extension not in extensions:
        _refuse(
            f"“{filename}” is named as a .{extension} file but contains {format_label}. "
            "Check the file and upload it with its real extension.",
            "name_mismatch",
        )


def check_name_matches(filename: str, format: str) -> None:
    """Refuse a name whose extension claims another type than ``format`` (one of ours)."""
    if format in VIDEO_FORMATS:
        _check_name(filename, f"an {format.upper()} video", VIDEO_FORMATS[format][1])
        return
    extensions = {ext for code, _, exts in IMAGE_FORMATS.values() if code == format for ext in exts}
    _check_name(filename, f"a {format.upper()} image", tuple(sorted(extensions)))


def _sniff_markup(head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not text.startswith(b"<"):
        return None
    if b"<svg" in head.lower():
        return "svg"
    return "html"


def inspect_upload(fp: BinaryIO, *, filename: str = "") -> Inspection:
    """Identify, fully decode and describe an upload; raise ValidationError if refused."""
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    fp.seek(0)
    if size == 0:
        _refuse(f"“{filename}” is empty.", "empty")
    max_bytes = media_settings.get("MEDIA_MAX_UPLOAD_BYTES")
    if size > max_bytes:
        _refuse(f"“{filename}” is {size // 2**20} MB; the limit is {max_bytes // 2**20} MB.",
                "too_large")
    head = fp.read(4096)
    fp.seek(0)

    markup = _sniff_markup(head)
    if markup == "svg":
        _refuse(f"“{filename}” is an SVG drawing. SVG files are not accepted (they can carry "
                f"scripts); upload {ALLOWED_DESCRIPTION}.", "svg")
    if markup == "html":
        _refuse(f"“{filename}” is an HTML or XML document, not an image or a video. "
                f"Upload {ALLOWED_DESCRIPTION}.", "html")
    if head[4:8] == b"ftyp" and head[8:12] not in HEIF_BRANDS:
        return _inspect_video(fp, filename, "mp4", head)
    if head.startswith(EBML_MAGIC):
        return _inspect_video(fp, filename, "webm", head)
    return _inspect_image(fp, filename)


# ----------------------------------------------------------------------------- images
def _inspect_image(fp: BinaryIO, filename: str) -> Inspection:
    max_pixels = settings.MEDIA_MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            # Pillow only warns between MAX_IMAGE_PIXELS and twice that: refuse those too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = open_image(fp)
            width, height = display_size(img)
            if img.width * img.height > max_pixels:
                raise Image.DecompressionBombError(img.width * img.height)
            pil_format = img.format
            profile = colour_profile_label(img)
            _decode_fully(img, fp)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        _refuse(f"“{filename}” claims to be larger than {max_pixels // 1_000_000} megapixels "
                "(a decompression bomb, or simply too large). Upload a smaller image.",
                "decompression_bomb")
    except UnidentifiedImageError:
        _refuse(f"“{filename}” is not an image of an accepted type, or its header is corrupt. "
                f"Accepted: {ALLOWED_DESCRIPTION}.", "unsupported")
    except Exception as exc:  # noqa: BLE001
        # Pillow's plugins raise assorted errors on malformed data (IndexError for an APNG
        # declaring no frames, struct.error, KeyError...): each is a file we cannot use.
        reason = "truncated" if "truncated" in str(exc).lower() else "corrupt"
        _refuse(f"“{filename}” is {reason}: the image data could not be fully decoded "
                f"({exc}). Export it again and re-upload.", reason)
    our_format, mime_type, extensions = IMAGE_FORMATS[pil_format]
    _check_name(filename, f"a {our_format.upper()} image", extensions)
    return Inspection("image", our_format, mime_type, extensions[0], width, height, profile)


def _decode_fully(img: Image.Image, fp: BinaryIO) -> None:
    """Decode every byte of image data, which is what exposes truncation and corruption."""
    if img.format == "PNG":
        # verify() checks every chunk's CRC, which decoding alone does not; it needs its own
        # freshly opened image.
        fp.seek(0)
        open_image(fp).verify()
        fp.seek(0)
        img = open_image(fp)
    # The renditions' own decoding (orientation, colour profile to sRGB), so that whatever
    # passes here can be rendered. A JPEG's entropy-coded data is all read at 1/8 scale
    # (truncation and corruption show), but a 60-megapixel photo needs 1/64 of the memory.
    decode(img, scale=1 / 8)


# ----------------------------------------------------------------------------- videos
def _ebml_doctype(head: bytes) -> bytes | None:
    """The DocType of an EBML header (``webm`` or ``matroska``)."""
    index = head.find(b"\x42\x82", 4, 64)
    if index < 0 or index + 3 > len(head):
        return None
    length_byte = head[index + 2]
    if not length_byte & 0x80:  # DocType lengths are single-byte vints in practice
        return None
    length = length_byte & 0x7F
    return head[index + 3:index + 3 + length].rstrip(b"\x00")


def _inspect_video(fp: BinaryIO, filename: str, container: str, head: bytes) -> Inspection:
    if container == "mp4":
        brand = head[8:12]
        if brand == b"qt  ":
            _refuse(f"“{filename}” is a QuickTime (.mov) movie. Export it as MP4 or WebM.",
                    "unsupported")
        if brand not in MP4_BRANDS:
            _refuse(f"“{filename}” is an ISO media file of type “{brand.decode('latin-1')}”, "
                    f"not an MP4 video. Accepted: {ALLOWED_DESCRIPTION}.", "unsupported")
    else:
        doctype = _ebml_doctype(head)
        if doctype != b"webm":
            _refuse(f"“{filename}” is a Matroska file but not WebM. Export it as WebM or MP4.",
                    "unsupported")
    mime_type, extensions = VIDEO_FORMATS[container]
    _check_name(filename, f"an {container.upper()} video", extensions)

    max_pixels = media_settings.get("MEDIA_MAX_VIDEO_PIXELS")
    max_seconds = media_settings.get("MEDIA_MAX_VIDEO_SECONDS")
    try:
        _check_complete(fp)
        with av.open(fp, mode="r") as media:
            streams = [s for s in media.streams if s.type == "video"]
            if not streams:
                _refuse(f"“{filename}” has no video track.", "no_video")
            stream = streams[0]
            if stream.codec_context is None:  # a track of a codec FFmpeg does not know
                raise TruncatedVideo("no decoder for the video track")
            # The codec, not the decoder FFmpeg picked for it (AV1's is "libdav1d").
            codec = stream.codec_context.codec.canonical_name
            if codec not in VIDEO_CODECS[container]:
                _refuse(f"“{filename}” uses the {codec} codec, which browsers do not play in "
                        f"{container.upper()}. Export it with "
                        f"{' or '.join(sorted(VIDEO_CODECS[container]))}.", "unsupported")
            width, height = stream.codec_context.width, stream.codec_context.height
            if (width or 0) * (height or 0) > max_pixels:
                _refuse(f"“{filename}” is {width}×{height} pixels; videos may have at most "
                        f"{max_pixels / 1e6:.1f} megapixels (4K is 8.3). Export it smaller.",
                        "video_too_large")
            if media.duration and media.duration / av.time_base > max_seconds:
                _refuse(f"“{filename}” runs {media.duration / av.time_base:.0f} seconds; "
                        f"product videos may run at most {max_seconds} seconds. Cut it shorter.",
                        "video_too_long")
            _decode_to_the_end(media, stream)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001
        # FFmpeg and PyAV raise assorted errors on malformed data (FFmpegError, OSError,
        # ValueError, StopIteration...): each is a file we cannot use.
        _refuse(f"“{filename}” is truncated or corrupt: the video could not be read to the end. "
                "Export it again and re-upload.", "corrupt")
    return Inspection("video", container, mime_type, extensions[0], width or None, height or None)


class TruncatedVideo(Exception):
    pass


def _decode_to_the_end(media, stream) -> None:
    """Decode every frame, within a time budget; past it, the last keyframe's run to the end.

    A cut file runs out of packets early, or its last frames fail to decode; demuxing alone
    sees neither in a WebM, which has no index of its frames.
    """
    budget = time.monotonic() + media_settings.get("MEDIA_VIDEO_CHECK_SECONDS")
    stream.thread_type = "AUTO"
    frames, last_keyframe, within_budget = 0, None, True
    for packet in media.demux(stream):
        if packet.is_keyframe and packet.pts is not None:
            last_keyframe = packet.pts
        if within_budget:
            frames += len(packet.decode())
            within_budget = time.monotonic() < budget
    if not within_budget:
        media.seek(last_keyframe or 0, stream=stream)
        frames = sum(len(packet.decode()) for packet in media.demux(stream))
    elif stream.frames and frames < stream.frames:
        raise TruncatedVideo("fewer frames than the index lists")
    if not frames:
        raise TruncatedVideo("no frame decodes")


def _check_complete(fp: BinaryIO) -> None:
    """The container's own sizes must fit in the file: a cut file declares more than it has
    (MP4 boxes, the WebM segment)."""
    fp.seek(0, os.SEEK_END)
    size = fp.tell()
    fp.seek(0)
    head = fp.read(64)
    if head[4:8] == b"ftyp":
        offset = 0
        while offset + 8 <= size:
            fp.seek(offset)
            box = fp.read(16)
            box_size = int.from_bytes(box[:4], "big")
            if box_size == 1 and len(box) >= 16:
                box_size = int.from_bytes(box[8:16], "big")
            elif box_size == 0:  # runs to the end of the file
                break
            if box_size < 8 or offset + box_size > size:
                raise TruncatedVideo("a box runs past the end of the file")
            offset += box_size
    else:
        end = _ebml_segment_end(head)
        if end is not None and end > size:
            raise TruncatedVideo("the segment runs past the end of the file")
    fp.seek(0)


def _vint(data: bytes, index: int, *, keep_marker: bool) -> tuple[int, int] | None:
    """An EBML variable-length integer at ``index``: (value, length), None if malformed."""
    if index >= len(data) or not data[index]:
        return None
    length = 8 - data[index].bit_length() + 1
    if index + length > len(data):
        return None
    value = int.from_bytes(data[index:index + length], "big")
    if not keep_marker:
        value &= (1 << (7 * length)) - 1
    return value, length


def _ebml_segment_end(head: bytes) -> int | None:
    """Where a WebM's Segment ends as its header declares; None when left unknown (live)."""
    header_size = _vint(head, 4, keep_marker=False)
    if header_size is None:
        return None
    index = 4 + header_size[1] + header_size[0]
    segment_id = _vint(head, index, keep_marker=True)
    if segment_id is None or segment_id[0] != 0x18538067:
        return None
    index += segment_id[1]
    segment_size = _vint(head, index, keep_marker=False)
    if segment_size is None:
        return None
    value, length = segment_size
    if value == (1 << (7 * length)) - 1:  # all ones: size unknown
        return None
    return index + length + value
