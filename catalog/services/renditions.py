"""Renditions of product media: what a product needs for its channels, made in the background.

Photos, video posters and social-media images arriving, and a channel's specs changing, queue
the missing renditions (a Celery task, after the commit). Approval only checks that they exist:
it never renders while it holds the product's row lock.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q

from catalog.models import Channel, Product, ProductPhoto, ProductVideo, SocialImage
from media.models import VIDEO_CLEAN_SPEC, Asset, Rendition
from media.renditions.specs import canonical_spec, parse_spec
from media.services import renditions_generate, specs_canonical, video_clean_copy


class RenditionsPending(Exception):
    """Renditions a publication needs do not exist yet; they have been asked for."""

    def __init__(self, product: Product, missing: list[tuple[Asset, str]]):
        self.product = product
        self.missing = missing
        super().__init__(f"{len(missing)} rendition(s) of {product} are still being made.")


def channels_specs(channels: Iterable[Channel] | None = None) -> list[str]:
    """The canonical specs of ``channels`` (every channel when None), each once."""
    if channels is None:
        channels = Channel.objects.only("renditions")
    return specs_canonical(spec for channel in channels for spec in channel.renditions)


def _video(product) -> ProductVideo | None:
    return ProductVideo.objects.filter(product=product).select_related("poster", "video").first()


def product_assets(product, video: ProductVideo | None) -> list[Asset]:
    """Every image a product shows: photos of all colours, then the video's poster."""
    photos = (ProductPhoto.objects.filter(colour__product=product).select_related("asset")
              .order_by("colour__position", "colour_id", "position", "id"))
    assets = {photo.asset_id: photo.asset for photo in photos}
    if video:
        assets.setdefault(video.poster_id, video.poster)
    return list(assets.values())


def social_crop_specs(image: SocialImage, specs: Iterable[str]) -> list[str]:
    """A social image's crop in each output format ``specs`` name (or the source's format)."""
    formats = sorted({spec.format.format for spec in map(parse_spec, specs) if spec.format})
    crops = [f"{image.spec}|format-{fmt}" for fmt in formats] or [image.spec]
    return [canonical_spec(spec) for spec in crops]


def product_rendition_needs(*, product, specs: Iterable[str],
                            social: bool = True) -> dict[int, tuple[Asset, list[str]]]:
    """Per asset id, the asset and the canonical specs it needs for a product's channels
    (read from the database; :func:`rendition_needs` says what they are)."""
    video = _video(product)
    wanted = specs_canonical(specs)
    return rendition_needs(
        assets=product_assets(product, video) if wanted else [],
        social_images=(SocialImage.objects.filter(product=product).select_related("asset")
                       if wanted and social else []),
        video=video, specs=wanted)


def rendition_needs(*, assets: Iterable[Asset], social_images: Iterable[SocialImage],
                    video: ProductVideo | None, specs: Iterable[str]
                    ) -> dict[int, tuple[Asset, list[str]]]:
    """Per asset id, the asset and the canonical specs it needs, from a product's media.

    ``specs`` (the channels' ``renditions``) apply to each of ``assets`` (photos of every
    colour, the video poster); each social-media image needs its crop in each output format
    they name. The video needs its copy without metadata (``VIDEO_CLEAN_SPEC``) whatever the
    specs.
    """
    wanted = specs_canonical(specs)
    needs = {}
    if wanted:
        needs = {asset.pk: (asset, list(wanted)) for asset in assets}
        for image in social_images:
            asset_specs = needs.setdefault(image.asset_id, (image.asset, []))[1]
            asset_specs += [s for s in social_crop_specs(image, wanted) if s not in asset_specs]
    if video:
        needs[video.video_id] = (video.video, [VIDEO_CLEAN_SPEC])
    return needs


def renditions_missing_for_product(*, product, specs: Iterable[str]) -> list[tuple[Asset, str]]:
    """(asset, canonical spec) pairs the product needs for ``specs`` and that do not exist yet,
    the video's copy without metadata included."""
    needs = product_rendition_needs(product=product, specs=specs)
    if not needs:
        return []
    have = set(Rendition.objects.filter(
        asset_id__in=list(needs), spec__in={s for _, wanted in needs.values() for s in wanted},
    ).values_list("asset_id", "spec"))
    return [(asset, spec) for asset, wanted in needs.values() for spec in wanted
            if (asset.pk, spec) not in have]


def renditions_ensure_for_product(*, product, specs: Iterable[str] | None = None,
                                  social: bool = True) -> list[Rendition]:
    """Generate, now, every rendition the channels need for one product (the task's work).

    ``specs`` default to every channel's. Only the missing ones are rendered.
    """
    if specs is None:
        specs = channels_specs()
    renditions: list[Rendition] = []
    for asset, wanted in product_rendition_needs(product=product, specs=specs,
                                                 social=social).values():
        if asset.kind == Asset.Kind.VIDEO:
            renditions.append(video_clean_copy(asset=asset))
        else:
            renditions += renditions_generate(asset=asset, specs=wanted).values()
    return renditions


def renditions_queue_for_product(*, product_id: int, specs: Iterable[str] | None = None) -> None:
    """Make the product's missing renditions in the background, once this transaction commits."""
    from catalog.tasks import renditions_ensure_for_product_task

    specs = None if specs is None else list(specs)
    transaction.on_commit(lambda: renditions_ensure_for_product_task.delay(product_id, specs))


def products_with_media() -> Iterable[int]:
    """Ids of the products that show at least one image."""
    return (Product.objects.filter(
        Q(colours__photos__isnull=False) | Q(video__isnull=False)
        | Q(social_images__isnull=False)).distinct().order_by("pk").values_list("pk", flat=True))


def renditions_ensure_for_channel(*, channel: Channel) -> int:
    """Generate every rendition ``channel``'s specs ask for, for every product; returns how
    many renditions were needed (made now or already there)."""
    specs = channels_specs([channel])
    total = 0
    for product in Product.objects.filter(pk__in=list(products_with_media())).iterator():
        total += len(renditions_ensure_for_product(product=product, specs=specs))
    return total


def renditions_queue_for_channel(*, channel_id: int) -> None:
    """After the commit, make what a channel's (new) specs need, in the background."""
    from catalog.tasks import renditions_for_channel_task

    transaction.on_commit(lambda: renditions_for_channel_task.delay(channel_id))
