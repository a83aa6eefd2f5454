"""Deployment checks of the media settings."""
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register
from django.core.files.storage import FileSystemStorage, storages


@register(Tags.compatibility, deploy=True)
def public_url_check(app_configs, **kwargs):
    """Published content needs absolute media URLs: channels fetch images from elsewhere."""
    storage = storages["default"]
    if (settings.PIM_PUBLIC_URL or not isinstance(storage, FileSystemStorage)
            or urlsplit(storage.base_url).netloc):
        return []
    return [Warning(
        "Media URLs in published content would be relative, which channels cannot fetch.",
        hint="Set PIM_PUBLIC_URL to the address this server is reached at "
             "(e.g. https://pim.example.com), or store media on S3 (AWS_STORAGE_BUCKET_NAME).",
        id="media.W001",
    )]
