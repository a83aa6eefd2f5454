"""Published snapshots: the exact approved content per channel and locale, frozen.

`snapshots_publish` freezes a product for channels (all their locales) after making sure every
rendition they need exists; `snapshots_tombstone` turns a channel's snapshots into tombstones.
Both send `catalog.signals.snapshots_changed` inside the caller's transaction.
"""
from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from catalog.loaders import ProductRulesLoader
from catalog.models import Channel, Colour, Product, ProductSnapshot, SizeChartRow
from catalog.signals import SNAPSHOT_EVENT_PUBLISH, SNAPSHOT_EVENT_UNPUBLISH, snapshots_changed
from media.models import ProductPhoto, ProductVideo, Rendition, SocialImage
from media.renditions.specs import canonical_spec, parse_spec
from media.selectors import public_url
from media.services import renditions_ensure_for_product

SOURCE_LOCALE = "en"
CARE_GROUPS = ("washing", "bleaching", "drying", "ironing", "professional")


def _text(obj, field: str, locale: str) -> str:
    """The field in `locale`, or the English source where it has no translation yet."""
    value = getattr(obj, build_localized_fieldname(field, locale), None)
    if value in (None, ""):
        value = getattr(obj, build_localized_fieldname(field, SOURCE_LOCALE), None)
    return value or ""


def _decimal(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _channel_specs(channels: Iterable[Channel]) -> set[str]:
    specs: set[str] = set()
    for channel in channels:
        specs |= {canonical_spec(spec) for spec in channel.renditions}
    return specs


def _social_specs(image: SocialImage, channel: Channel) -> list[str]:
    """The crops a channel gets of a social image, in the output formats it asks for."""
    formats = sorted({parse_spec(s).format.format for s in channel.renditions
                      if parse_spec(s).format})
    crops = [f"{image.spec}|format-{fmt}" for fmt in formats] or [image.spec]
    return [canonical_spec(spec) for spec in crops]


def product_for_publishing(product_id: int, channels: Iterable[Channel]) -> Product:
    """The product with everything its snapshots show, in a constant number of queries.

    Renditions are limited to the specs the channels need. Attributes set for the builder:
    `publishing_video`, and `publishing_rules` (ancestors, returns policy and shipping as
    completeness resolves them: `catalog.loaders.ProductRules`).
    """
    channels = list(channels)
    specs = _channel_specs(channels)
    renditions = Rendition.objects.filter(spec__in=specs).order_by("spec")
    product = (
        Product.objects.select_related(
            "brand", "season", "category",
        )
        .prefetch_related(
            Prefetch("colours", queryset=Colour.objects.order_by("position", "id")),
            "colours__variants",
            Prefetch("colours__photos", queryset=ProductPhoto.objects.select_related("asset")
                     .order_by("position", "id")),
            Prefetch("colours__photos__asset__renditions", queryset=renditions),
            "composition_lines",
            Prefetch("size_chart_rows", queryset=SizeChartRow.objects.order_by("position", "id")),
            Prefetch("social_images", queryset=SocialImage.objects.select_related("asset")
                     .order_by("position", "id")),
            # A social image's crops depend on its focal point: all of its renditions.
            "social_images__asset__renditions",
        )
        .get(pk=product_id)
    )
    product.publishing_video = (
        ProductVideo.objects.select_related("video", "poster")
        .prefetch_related(Prefetch("poster__renditions", queryset=renditions))
        .filter(product_id=product_id).first()
    )
    product.publishing_rules = ProductRulesLoader().load([product], stamps=False)[product.id]
    return product


def _shipping(product: Product, channel: Channel) -> list[dict]:
    """Cost and delivery time to each market of the channel that has a rate."""
    rates = product.publishing_rules.shipping
    return [
        {"country": market, "cost": str(rate.cost), "currency": rate.currency,
         "min_days": rate.min_days, "max_days": rate.max_days}
        for market in channel.markets if (rate := rates.get(market))
    ]


def _renditions(asset, specs: list[str]) -> dict[str, str]:
    by_spec = {r.spec: r for r in asset.renditions.all()}
    return {spec: public_url(by_spec[canonical_spec(spec)].url) for spec in specs
            if canonical_spec(spec) in by_spec}


def snapshot_payload(product: Product, channel: Channel, locale: str) -> dict:
    """The JSON a channel serves for a product in a locale, from `product_for_publishing`."""
    specs = list(channel.renditions)
    policy = product.publishing_rules.returns_policy
    video = product.publishing_video
    colours = []
    for colour in product.colours.all():
        colours.append({
            "code": colour.code,
            "name": _text(colour, "name", locale),
            "photos": [
                {"role": photo.role, "alt": _text(photo, "alt_text", locale),
                 "renditions": _renditions(photo.asset, specs)}
                for photo in colour.photos.all()
            ],
            "variants": [
                {"sku": v.sku, "gtin": v.gtin, "size": v.size_label}
                for v in sorted(colour.variants.all(), key=lambda v: v.pk)
            ],
        })
    social = []
    for image in product.social_images.all():
        crops = _social_specs(image, channel)
        by_spec = {r.spec: public_url(r.url) for r in image.asset.renditions.all()}
        social.append({
            "ratio": image.ratio, "alt": _text(image, "alt_text", locale),
            "renditions": {spec: by_spec[spec] for spec in crops if spec in by_spec},
        })
    return {
        "style_code": product.style_code,
        "name": _text(product, "name", locale),
        "brand": {"code": product.brand.code, "name": product.brand.name},
        "season": {"code": product.season.code, "name": product.season.name},
        "category": {
            "id": product.category_id,
            "path": [_text(node, "name", locale) for node in product.publishing_rules.ancestors],
        },
        "colours": colours,
        "composition": [
            {"part": line.part, "fibre": line.fibre, "percentage": _decimal(line.percentage)}
            for line in sorted(product.composition_lines.all(),
                               key=lambda l: (l.part, l.position, l.pk))
        ],
        "material_text": _text(product, "material_text", locale),
        "fit": {
            "type": product.fit_type or None,
            "description": _text(product, "fit_description", locale),
            "model_height_cm": product.model_height_cm,
            "model_size": product.model_size or None,
        },
        "size_chart": {
            "basis": product.size_chart_basis,
            "advice": _text(product, "size_advice", locale),
            "rows": [
                {"size": row.size_label,
                 **{system: getattr(row, system) or None for system in SizeChartRow.SYSTEMS},
                 "measurements_cm": {
                     m.removesuffix("_cm"): _decimal(getattr(row, m))
                     for m in SizeChartRow.MEASUREMENTS if getattr(row, m) is not None
                 }}
                for row in product.size_chart_rows.all()
            ],
        },
        "description_html": _text(product, "description", locale),
        "care": {
            "symbols": {group: getattr(product, f"care_{group}") or None for group in CARE_GROUPS},
            "text": _text(product, "care_text", locale),
        },
        "returns": {
            "returnable": policy.returnable, "days": policy.days, "free": policy.free,
            "conditions": _text(policy, "conditions", locale),
        } if policy else None,
        "shipping": _shipping(product, channel),
        "video": {
            "url": public_url(video.video.file.url),
            "mime_type": video.video.mime_type,
            "poster": {"renditions": _renditions(video.poster, specs)},
        } if video else None,
        "social_images": social,
        "ratings": {"average": _decimal(product.rating_average), "count": product.rating_count}
        if product.rating_average is not None else None,
    }


def tombstone_payload(style_code: str) -> dict:
    return {"style_code": style_code, "deleted": True}


def snapshots_publish(*, product: Product, channels: Iterable[Channel]) -> list[ProductSnapshot]:
    """Freeze `product` for each channel in each of its locales; send `snapshots_changed`.

    Every rendition the channels need is generated first. Call inside a transaction.
    """
    channels = list(channels)
    specs = sorted(_channel_specs(channels))
    if specs:
        renditions_ensure_for_product(product=product, specs=specs)
    full = product_for_publishing(product.pk, channels)
    now = timezone.now()
    existing = {
        (s.channel_id, s.locale): s
        for s in ProductSnapshot.objects.select_for_update().filter(
            channel__in=channels, style_code=product.style_code
        )
    }
    changed: dict[int, list[ProductSnapshot]] = {}
    to_create, to_update = [], []
    for channel in channels:
        for locale in channel.locales:
            payload = snapshot_payload(full, channel, locale)
            snapshot = existing.get((channel.pk, locale))
            version = snapshot.version + 1 if snapshot else 1
            payload["published_at"] = now.isoformat()
            payload["version"] = version
            if snapshot is None:
                snapshot = ProductSnapshot(channel=channel, style_code=product.style_code,
                                           locale=locale)
                to_create.append(snapshot)
            else:
                to_update.append(snapshot)
            snapshot.product = product
            snapshot.payload = payload
            snapshot.version = version
            snapshot.deleted = False
            snapshot.published_at = snapshot.updated_at = now
            changed.setdefault(channel.pk, []).append(snapshot)
    ProductSnapshot.objects.bulk_create(to_create)
    ProductSnapshot.objects.bulk_update(
        to_update, ["product", "payload", "version", "deleted", "published_at", "updated_at"]
    )
    for channel in channels:
        snapshots_changed.send(sender=ProductSnapshot, channel=channel,
                               snapshots=changed.get(channel.pk, []), event=SNAPSHOT_EVENT_PUBLISH)
    return [s for group in changed.values() for s in group]


def snapshots_tombstone(*, product: Product, channels: Iterable[Channel] | None = None
                        ) -> list[ProductSnapshot]:
    """Turn the product's live snapshots (on `channels`, or everywhere) into tombstones."""
    live = ProductSnapshot.objects.select_for_update().select_related("channel").filter(
        style_code=product.style_code, deleted=False
    )
    if channels is not None:
        live = live.filter(channel__in=list(channels))
    now = timezone.now()
    by_channel: dict[int, tuple[Channel, list[ProductSnapshot]]] = {}
    snapshots = list(live)
    for snapshot in snapshots:
        snapshot.deleted = True
        snapshot.payload = tombstone_payload(snapshot.style_code)
        snapshot.version += 1
        snapshot.updated_at = now
        by_channel.setdefault(snapshot.channel_id, (snapshot.channel, []))[1].append(snapshot)
    ProductSnapshot.objects.bulk_update(snapshots, ["deleted", "payload", "version", "updated_at"])
    for channel, group in by_channel.values():
        snapshots_changed.send(sender=ProductSnapshot, channel=channel, snapshots=group,
                               event=SNAPSHOT_EVENT_UNPUBLISH)
    return snapshots


def published_channels(product: Product) -> list[Channel]:
    """Channels where the product has live (not tombstoned) snapshots."""
    return list(Channel.objects.filter(snapshots__style_code=product.style_code,
                                       snapshots__deleted=False).distinct().order_by("code"))


__all__ = [
    "product_for_publishing",
    "published_channels",
    "snapshot_payload",
    "snapshots_publish",
    "snapshots_tombstone",
    "tombstone_payload",
]
