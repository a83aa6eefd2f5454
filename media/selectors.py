"""Media reads: renditions and their URLs, the admin thumbnail."""
from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch

from media import conf as media_settings
from media.models import Asset, Rendition
from media.renditions.specs import canonical_spec


def rendition_get(*, asset: Asset, spec: str) -> Rendition | None:
    return Rendition.objects.filter(asset=asset, spec=canonical_spec(spec)).first()


def rendition_url(*, asset: Asset, spec: str, generate: bool = False) -> str | None:
    """URL of ``asset``'s rendition for ``spec``; None if it does not exist yet.

    With ``generate=True`` a missing rendition is made now (synchronously).
    """
    rendition = rendition_get(asset=asset, spec=spec)
    if rendition is None and generate:
        from media.services import renditions_generate

        rendition = renditions_generate(asset=asset, specs=[spec])[canonical_spec(spec)]
    return rendition.url if rendition else None


def rendition_urls(*, assets: Iterable[Asset | int], specs: Iterable[str]) -> dict[tuple[int, str], str]:
    """URLs of existing renditions, keyed by (asset id, spec as given), in one query."""
    by_canonical = {canonical_spec(spec): spec for spec in specs}
    asset_ids = [a if isinstance(a, int) else a.pk for a in assets]
    rows = Rendition.objects.filter(asset_id__in=asset_ids, spec__in=list(by_canonical))
    return {(r.asset_id, by_canonical[r.spec]): r.url for r in rows}


def thumbnail_prefetch(lookup: str = "renditions") -> Prefetch:
    """Prefetch the admin thumbnail only, into ``thumbnail_renditions``."""
    spec = canonical_spec(media_settings.get("MEDIA_THUMBNAIL_SPEC"))
    return Prefetch(lookup, queryset=Rendition.objects.filter(spec=spec),
                    to_attr="thumbnail_renditions")


def thumbnail_url(asset: Asset) -> str | None:
    prefetched = getattr(asset, "thumbnail_renditions", None)
    if prefetched is not None:
        return prefetched[0].url if prefetched else None
    return rendition_url(asset=asset, spec=media_settings.get("MEDIA_THUMBNAIL_SPEC"))


def public_url(url: str) -> str:
    """A media URL as a channel fetches it: absolute against ``PIM_PUBLIC_URL`` if relative."""
    return urljoin(settings.PIM_PUBLIC_URL, url)


# Published content stores where a rendition is kept, not its URL: `"url": "pim-media:<name>"`,
# with <name> the file's name in the default storage. URLs are made when the content is read,
# from the media settings then in force (MEDIA_URL and PIM_PUBLIC_URL, S3, a CDN domain), so a
# new domain needs no re-approval.
STORED_MEDIA_PREFIX = "pim-media:"
# A `"url"` key can only follow `{` or `,` outside a string: inside one, quotes are escaped.
_STORED_URL = re.compile(r'([{,]\s*"url":\s*")pim-media:([^"\\]{1,255})"')


def media_reference(name: str) -> str:
    """What a snapshot stores for the file `name` of the default storage."""
    return f"{STORED_MEDIA_PREFIX}{name}"


def media_reference_url(reference: str) -> str:
    """The URL a channel fetches for a stored reference, with today's settings."""
    return public_url(default_storage.url(reference.removeprefix(STORED_MEDIA_PREFIX)))


def _url_base() -> str | None:
    """The URL prefix of every stored name, when the storage's URLs are a base plus the name
    (local files, S3 with public objects, a CDN domain); None where each URL is its own
    (signed URLs)."""
    probe = "renditions/00/00/probe.webp"
    probed = public_url(default_storage.url(probe))
    if probed.endswith(probe) and "?" not in probed:
        return probed[: -len(probe)]
    return None


def media_url_base() -> str | None:
    """:func:`_url_base`, for callers that resolve references with it and key caches on it."""
    return _url_base()


def media_references_resolver():
    """text → text: `media_references_resolve` with the settings read once, for a page of
    payloads."""
    base = _url_base()
    return lambda text: media_references_resolve(text, base=base)


_UNSET = object()


def media_references_resolve(text: str, *, base=_UNSET) -> str:
    """The stored JSON text of published content with each media reference made a URL."""
    if STORED_MEDIA_PREFIX not in text:
        return text
    if base is _UNSET:
        base = _url_base()
    if base is not None:
        # The key and its opening quote can only be outside a string (inside one, quotes are
        # escaped), and stored names need no escaping: a plain replace is exact.
        for separator in (": ", ":"):
            text = text.replace(f'"url"{separator}"{STORED_MEDIA_PREFIX}',
                                f'"url"{separator}"{base}')
        if STORED_MEDIA_PREFIX not in text:
            return text
    return _STORED_URL.sub(
        lambda m: f'{m[1]}{public_url(default_storage.url(m[2]))}"', text)
