"""Real files built in memory for the media tests (Pillow, PyAV), plus the P3 fixture."""
from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image

FIXTURES = Path(__file__).parent / "fixtures"
# Display P3 profile, 480 bytes, CC0: the one libvips ships (``vips profile_load p3``).
DISPLAY_P3_ICC = (FIXTURES / "display-p3.icc").read_bytes()


def image_bytes(fmt: str = "JPEG", size=(120, 150), colour=(200, 40, 40), mode="RGB",
                **save_options) -> bytes:
    img = Image.new(mode, size, colour)
    if mode in ("RGB", "RGBA") and size[0] >= 4 and size[1] >= 4:
        # Some structure, so that each call with a new colour gives new bytes and encoders work.
        img.paste((255 - colour[0], colour[1], colour[2]) + (() if mode == "RGB" else (255,)),
                  (0, 0, size[0] // 4, size[1] // 4))
    buffer = io.BytesIO()
    img.save(buffer, fmt, **save_options)
    return buffer.getvalue()


def jpeg(size=(120, 150), colour=(200, 40, 40), **options) -> bytes:
    return image_bytes("JPEG", size, colour, **options)


def png(size=(120, 150), colour=(200, 40, 40), **options) -> bytes:
    return image_bytes("PNG", size, colour, **options)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(width: int, height: int) -> bytes:
    """A real, valid 1-bit PNG of width x height: tiny on disk, huge once decoded."""
    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    chunks = [compressor.compress(row) for _ in range(height)]
    data = b"".join(chunks) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", data)
            + _png_chunk(b"IEND", b""))


def video(container: str = "mp4", frames: int = 6, size=(64, 48), faststart=False,
          codec: str | None = None, metadata: dict | None = None) -> bytes:
    """A real video; ``metadata`` are written as the container's and the stream's tags."""
    codec = codec or {"mp4": "libx264", "webm": "libvpx-vp9", "matroska": "libvpx-vp9",
                      "mov": "libx264"}[container]
    if faststart:  # the index first: FFmpeg rewrites the file, so it needs a real one
        import tempfile

        with tempfile.NamedTemporaryFile(suffix=".mp4") as tmp:
            _write_video(tmp.name, container, codec, frames, size, {"movflags": "faststart"},
                         metadata)
            return Path(tmp.name).read_bytes()
    buffer = io.BytesIO()
    _write_video(buffer, container, codec, frames, size, {}, metadata)
    return buffer.getvalue()


def _write_video(target, container, codec, frames, size, options, metadata=None) -> None:
    import av

    with av.open(target, "w", format=container, options=options) as output:
        output.metadata.update(metadata or {})
        stream = output.add_stream(codec, rate=10)
        stream.metadata.update(metadata or {})
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for i in range(frames):
            frame = av.VideoFrame.from_image(Image.new("RGB", size, (i * 30 % 256, 90, 160)))
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode():
            output.mux(packet)


def exif_with(orientation: int | None = None, gps: bool = False) -> bytes:
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    exif[0x010F] = "StudioCam"  # Make
    if gps:
        exif[0x8825] = {1: "N", 2: (52.0, 13.0, 37.0), 3: "E", 4: (21.0, 0.0, 42.0)}
    return exif.tobytes()


def marked(size=(120, 60)) -> Image.Image:
    """Green with a red top-left corner, to see where that corner goes."""
    img = Image.new("RGB", size, (10, 200, 10))
    img.paste((220, 0, 0), (0, 0, size[0] // 4, size[1] // 2))
    return img


def tiff_oriented(orientation: int, size=(120, 60)) -> bytes:
    from PIL import TiffImagePlugin

    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[0x0112] = orientation
    buffer = io.BytesIO()
    marked(size).save(buffer, "TIFF", tiffinfo=tags)
    return buffer.getvalue()


def jpeg_oriented(orientation: int, size=(120, 60)) -> bytes:
    buffer = io.BytesIO()
    marked(size).save(buffer, "JPEG", quality=95, exif=exif_with(orientation=orientation))
    return buffer.getvalue()


def _jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """(marker, bytes) of each segment up to and including the scan, which runs to the end."""
    index, segments = 2, []
    while index < len(data):
        marker = data[index + 1]
        if marker == 0xDA:
            segments.append((marker, data[index:]))
            break
        length = struct.unpack(">H", data[index + 2:index + 4])[0]
        segments.append((marker, data[index:index + 2 + length]))
        index += 2 + length
    return segments


def jpeg_icc_after_sof(icc: bytes = DISPLAY_P3_ICC) -> bytes:
    """A JPEG whose ICC profile segment (APP2) stands after the start of frame, as some
    encoders write it."""
    segments = _jpeg_segments(jpeg(size=(120, 150), icc_profile=icc))
    icc_segments = b"".join(s for marker, s in segments if marker == 0xE2)
    out = b"\xff\xd8"
    for marker, segment in segments:
        if marker != 0xE2:
            out += segment
        if marker == 0xC0:
            out += icc_segments
    return out


def mpo(size=(80, 60)) -> bytes:
    """A camera's multi-picture JPEG: two pictures and an MP index."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 0, 0)).save(
        buffer, "MPO", save_all=True, append_images=[Image.new("RGB", size, (0, 200, 0))])
    return buffer.getvalue()


def apng_declaring_frames(frames: int) -> bytes:
    """An animated PNG of two frames whose animation control chunk declares ``frames``."""
    buffer = io.BytesIO()
    Image.new("RGB", (80, 60), (200, 0, 0)).save(
        buffer, "PNG", save_all=True, append_images=[Image.new("RGB", (80, 60), (0, 0, 200))])
    data = buffer.getvalue()
    index = data.index(b"acTL") - 4
    chunk = _png_chunk(b"acTL", struct.pack(">II", frames, 0))
    return data[:index] + chunk + data[index + len(chunk):]
