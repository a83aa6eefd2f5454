"""Media reads: renditions and their URLs, the admin thumbnail."""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
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
