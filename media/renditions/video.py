"""A video as channels get it: the original's streams, remuxed without their metadata."""
from __future__ import annotations

import io
from typing import BinaryIO

import av

# Our video formats (validation's names) -> FFmpeg's muxer.
MUXERS = {"mp4": "mp4", "webm": "webm"}


def video_without_metadata(fp: BinaryIO, format: str) -> bytes:
    """The video and audio streams of ``fp``, copied packet by packet (no re-encode) into a new
    container with no container or stream metadata (location, title, dates, encoder), no
    chapters and no other streams (subtitles, data, attachments)."""
    output_buffer = io.BytesIO()
    with av.open(fp, mode="r") as source, av.open(
            output_buffer, mode="w", format=MUXERS[format],
            # bitexact: no "encoder" tag, no creation time written by the muxer.
            options={"fflags": "+bitexact"}, container_options={"fflags": "+bitexact"}) as output:
        kept = {}
        for stream in source.streams:
            if stream.type in ("video", "audio"):
                copy = output.add_stream_from_template(stream)
                copy.metadata.clear()
                kept[stream.index] = copy
        for packet in source.demux(*[source.streams[i] for i in kept]):
            if packet.dts is None:  # the demuxer's end-of-stream marker
                continue
            packet.stream = kept[packet.stream.index]
            output.mux(packet)
    return output_buffer.getvalue()
