"""Media settings with their defaults; each can be overridden in Django settings."""
from django.conf import settings

DEFAULTS = {
    # The admin's thumbnail rendition (lists, inlines, the product page).
    "MEDIA_THUMBNAIL_SPEC": "max-240x300|format-webp|quality-75",
    # Largest single upload (videos included), and largest zip of a shoot, in bytes.
    "MEDIA_MAX_UPLOAD_BYTES": 500 * 1024 * 1024,
    "MEDIA_MAX_ZIP_BYTES": 4 * 1024 * 1024 * 1024,
    # A zip member may expand at most this many times its compressed size (photos hardly
    # compress; a member that does is a zip bomb). Members under 1 MB are not held to it.
    "MEDIA_MAX_ZIP_RATIO": 200,
    # Videos: at most this many pixels a frame (4096x4096) and this long; checking decodes
    # every frame for up to MEDIA_VIDEO_CHECK_SECONDS, then the last keyframe's run.
    "MEDIA_MAX_VIDEO_PIXELS": 4096 * 4096,
    "MEDIA_MAX_VIDEO_SECONDS": 300,
    "MEDIA_VIDEO_CHECK_SECONDS": 20,
}


def get(name: str):
    return getattr(settings, name, DEFAULTS[name])
