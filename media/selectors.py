"""Media reads: photos in order, rendition URLs, what a channel still misses."""
from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from media import conf as media_settings
from media.models import Asset, ProductPhoto, Rendition
from media.renditions.specs import canonical_spec


def product_photos(product) -> QuerySet[ProductPhoto]:
    """A product's photos, colour by colour, each colour's in the merchandiser's order."""
    return (ProductPhoto.objects.filter(colour__product=product)
            .select_related("asset", "colour")
            .order_by("colour__position", "colour_id", "position", "id"))


def colour_photos(colour) -> QuerySet[ProductPhoto]:
    return ProductPhoto.objects.filter(colour=colour).select_related("asset").order_by("position", "id")


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


def renditions_missing_for_product(*, product, specs: Iterable[str]) -> list[tuple[Asset, str]]:
    """(asset, canonical spec) pairs a channel needs and that do not exist yet."""
    from media.services import product_assets

    wanted = [canonical_spec(spec) for spec in specs]
    assets = product_assets(product)
    have = set(Rendition.objects.filter(asset__in=assets, spec__in=wanted)
               .values_list("asset_id", "spec"))
    return [(asset, spec) for asset in assets for spec in wanted if (asset.pk, spec) not in have]


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


def products_with_cover(products: QuerySet) -> QuerySet:
    """Annotate products with their cover photo: the first photo of the first colour.

    ``cover_asset_id`` is that photo's asset and ``cover_thumbnail`` the storage name of its
    admin thumbnail (None while it is being made), in the list's own query.
    """
    spec = canonical_spec(media_settings.get("MEDIA_THUMBNAIL_SPEC"))

    def cover_asset(product_ref):
        return Subquery(ProductPhoto.objects.filter(colour__product=product_ref)
                        .order_by("colour__position", "colour_id", "position", "id")
                        .values("asset_id")[:1])

    thumbnail = Rendition.objects.filter(spec=spec, asset_id=cover_asset(OuterRef(OuterRef("pk"))))
    return products.annotate(cover_asset_id=cover_asset(OuterRef("pk")),
                             cover_thumbnail=Subquery(thumbnail.values("file")[:1]))


def cover_thumbnail_url(product) -> str | None:
    name = getattr(product, "cover_thumbnail", None)
    return default_storage.url(name) if name else None


def public_url(url: str) -> str:
    """A media URL as a channel fetches it: absolute against ``PIM_PUBLIC_URL`` if relative."""
    return urljoin(settings.PIM_PUBLIC_URL, url)
