"""Published snapshots: the exact approved content per channel and locale, frozen.

`snapshots_publish_batch` freezes a batch of products for channels (all their locales) once
every rendition they need exists, with payloads built from `products_for_publishing` in a
constant number of queries and rows written in bulk (`snapshots_publish`: a batch of one);
`snapshots_tombstone_batch` turns their snapshots on channels into tombstones;
`snapshots_touch` puts a product's snapshots back at the head of the feeds when the live data
served beside them (ratings, stock) changes.
A snapshot's JSON is `catalog.payload`'s, the one definition of the API's product.
Publish and tombstone send `catalog.signals.snapshots_changed` inside the caller's
transaction, and keep the barcode index (`PublishedGtin`) to what the live snapshots list.

Feed positions: every write takes the next value of `SnapshotSequence` as the rows'
`sequence`, after it has locked the rows it writes, and holds that value's row lock until
the caller's transaction ends. Positions are thus handed out in commit order, and a feed
read can hand out its last position as a watermark that no later commit can sort before.
"""
from __future__ import annotations

from collections.abc import Iterable

import orjson
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, router, transaction
from django.db.models import Prefetch, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from catalog.loaders import ProductRulesLoader
from catalog.models import (
    Channel,
    Colour,
    Product,
    ProductPhoto,
    ProductSnapshot,
    ProductVideo,
    PublishedGtin,
    SizeChartRow,
    SnapshotSequence,
    SocialImage,
)
from catalog.models.fields import gtin_normalize
from catalog.payload import ratings_payload, snapshot_payload
from catalog.services.renditions import RenditionsPending, rendition_needs
from catalog.services.rows import rows_copy, rows_copy_into
from catalog.signals import SNAPSHOT_EVENT_PUBLISH, SNAPSHOT_EVENT_UNPUBLISH, snapshots_changed
from media.models import VIDEO_CLEAN_SPEC, Asset, Rendition
from media.renditions.specs import canonical_spec


def _channel_specs(channels: Iterable[Channel]) -> set[str]:
    specs: set[str] = set()
    for channel in channels:
        specs |= {canonical_spec(spec) for spec in channel.renditions}
    return specs


PUBLISH_BATCH = 200  # products per batch of snapshots: each batch's queries are constant


def products_for_publishing(product_ids: Iterable[int], channels: Iterable[Channel]
                            ) -> list[Product]:
    """The products with everything their snapshots show, in a constant number of queries
    whatever their number, in the order of `product_ids` (unknown ids are left out).

    Renditions are limited to the specs the channels need. Attributes set for the builder:
    `publishing_video`, and `publishing_rules` (ancestors, returns policy and shipping as
    completeness resolves them: `catalog.loaders.ProductRules`).
    """
    ids = list(dict.fromkeys(product_ids))
    if not ids:
        return []
    channels = list(channels)
    specs = _channel_specs(channels)
    renditions = Rendition.objects.filter(spec__in=specs).order_by("spec")
    by_id = Product.objects.select_related(
        "brand", "season", "category",
    ).prefetch_related(
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
    ).in_bulk(ids)
    products = [by_id[pk] for pk in ids if pk in by_id]
    videos = {
        video.product_id: video
        for video in ProductVideo.objects.select_related("video", "poster")
        .prefetch_related(Prefetch("poster__renditions", queryset=renditions),
                          Prefetch("video__renditions",
                                   queryset=Rendition.objects.filter(spec=VIDEO_CLEAN_SPEC)))
        .filter(product_id__in=list(by_id))
    }
    rules = ProductRulesLoader().load(products, stamps=False)
    for product in products:
        product.publishing_video = videos.get(product.pk)
        product.publishing_rules = rules[product.pk]
    return products


def product_for_publishing(product_id: int, channels: Iterable[Channel]) -> Product:
    """One product as :func:`products_for_publishing` loads it."""
    found = products_for_publishing([product_id], channels)
    if not found:
        raise Product.DoesNotExist(f"No product {product_id}.")
    return found[0]


def renditions_missing_loaded(product: Product, channels: Iterable[Channel]
                              ) -> list[tuple[Asset, str]]:
    """(asset, spec) pairs a product loaded by :func:`products_for_publishing` needs for
    `channels` and that do not exist yet, read from what was loaded (no query)."""
    video = product.publishing_video
    assets = {photo.asset_id: photo.asset for colour in product.colours.all()
              for photo in colour.photos.all()}
    if video:
        assets.setdefault(video.poster_id, video.poster)
    social = list(product.social_images.all())
    have = {(r.asset_id, r.spec) for asset in (*assets.values(), *(i.asset for i in social))
            for r in asset.renditions.all()}
    if video:
        have |= {(r.asset_id, r.spec) for r in video.video.renditions.all()}
    needs = rendition_needs(assets=assets.values(), social_images=social, video=video,
                            specs=_channel_specs(channels))
    return [(asset, spec) for asset, wanted in needs.values() for spec in wanted
            if (asset.pk, spec) not in have]


def tombstone_payload(style_code: str) -> dict:
    return {"style_code": style_code, "deleted": True}


def snapshots_publish(*, product: Product, channels: Iterable[Channel]) -> list[ProductSnapshot]:
    """Freeze `product` for each channel in each of its locales: a batch of one
    (:func:`snapshots_publish_batch`)."""
    return snapshots_publish_batch(products=[product], channels=channels)


def snapshots_publish_batch(*, products: Iterable[Product], channels: Iterable[Channel]
                            ) -> list[ProductSnapshot]:
    """Freeze `products` for each channel in each of its locales; send `snapshots_changed`
    once per channel for the whole batch. Returns the snapshots written.

    `products` may come from :func:`products_for_publishing` (they are loaded otherwise).
    Every rendition the channels need must exist: renditions are made in the background, and
    publishing never renders (it would hold the caller's locks meanwhile). Missing ones raise
    ``RenditionsPending`` for the first product lacking some, before anything is written.
    A product re-approved as it was gets no new version, no event and keeps its position;
    the others take one feed position for the whole batch. Call inside a transaction; keep
    batches to about `PUBLISH_BATCH` products.
    """
    channels = list(channels)
    products = list(products)
    if not products:
        return []
    if not all(hasattr(p, "publishing_rules") for p in products):
        products = products_for_publishing([p.pk for p in products], channels)
    for full in products:
        if missing := renditions_missing_loaded(full, channels):
            raise RenditionsPending(full, missing)
    now = timezone.now()
    # Stored payloads come as their text, parsed by orjson for the comparison only.
    existing = {
        (s.channel_id, s.style_code, s.locale): s
        for s in ProductSnapshot.objects.select_for_update().order_by("id").defer("payload")
        .annotate(stored_json=Cast("payload", output_field=TextField())).filter(
            channel__in=channels, style_code__in=[p.style_code for p in products]
        )
    }
    changed: dict[int, list[ProductSnapshot]] = {}
    to_create, to_update, memo = [], [], {}
    for full in products:
        for channel in channels:
            for locale in channel.locales:
                snapshot = existing.get((channel.pk, full.style_code, locale))
                version = snapshot.version + 1 if snapshot else 1
                payload = snapshot_payload(full, channel, locale, version=version,
                                           published_at=now, memo=memo)
                text = orjson.dumps(payload, default=_json_default)
                if snapshot is not None and not snapshot.deleted and _unchanged(
                        snapshot, orjson.loads(text)):
                    continue  # re-approved as it was: no new version, no event, same position
                if snapshot is None:
                    snapshot = ProductSnapshot(channel=channel, style_code=full.style_code,
                                               locale=locale)
                    to_create.append(snapshot)
                else:
                    to_update.append(snapshot)
                snapshot.product = full
                snapshot.payload = payload
                snapshot.payload_json = text.decode()  # written as dumped, once
                snapshot.version = version
                snapshot.deleted = False
                snapshot.published_at = snapshot.updated_at = now
                changed.setdefault(channel.pk, []).append(snapshot)
    if not changed:
        return []
    sequence = snapshot_sequence_next()
    for snapshot in to_create + to_update:
        snapshot.sequence = sequence
    _snapshots_insert(to_create, sequence)
    _snapshots_update(to_update, ["product", "payload", "version", "deleted", "published_at",
                                  "updated_at", "sequence"])
    _gtins_index(payloads={
        (snapshot.channel_id, snapshot.style_code): snapshot.payload
        for group in changed.values() for snapshot in group
    })
    for channel in channels:
        if channel.pk in changed:
            snapshots_changed.send(sender=ProductSnapshot, channel=channel,
                                   snapshots=changed[channel.pk], event=SNAPSHOT_EVENT_PUBLISH)
    return [s for group in changed.values() for s in group]


def _snapshots_insert(snapshots: list[ProductSnapshot], sequence: int) -> None:
    """Insert `snapshots` (all at feed position `sequence`) by one executemany, then read
    their ids back by that position. ``bulk_create`` on PostgreSQL sends a batch as arrays
    (UNNEST), and escaping thousands of JSON payloads into array literals was measured to
    cost more than rendering them."""
    if not snapshots:
        return
    fields = [f for f in ProductSnapshot._meta.concrete_fields if not f.primary_key]
    rows_copy(ProductSnapshot, fields, [_prepared(s, fields) for s in snapshots])
    by_key = {(s.channel_id, s.style_code, s.locale): s for s in snapshots}
    for pk, *key in ProductSnapshot.objects.filter(
        sequence=sequence, style_code__in={s.style_code for s in snapshots}
    ).values_list("pk", "channel_id", "style_code", "locale"):
        if (snapshot := by_key.get(tuple(key))) is not None:
            snapshot.pk = pk
            snapshot._state.adding = False


def _json_default(value):
    return DjangoJSONEncoder().default(value)


def _prepared(snapshot: ProductSnapshot, fields: list) -> list:
    """The values of `fields` as the database takes them; a payload rendered by a batch goes
    as the JSON text it was compared by (orjson's), not dumped again by the JSON field."""
    connection = connections[router.db_for_write(ProductSnapshot)]
    text = getattr(snapshot, "payload_json", None)
    return [text if text is not None and f.name == "payload"
            else f.get_db_prep_save(getattr(snapshot, f.attname), connection) for f in fields]


def _snapshots_update(snapshots: list[ProductSnapshot], names: list[str]) -> None:
    """Write `names` of `snapshots` by id: by one executemany on SQLite, measured several
    times faster than ``bulk_update``'s CASE per column over a batch's thousands of rows; on
    PostgreSQL through a temporary table."""
    if not snapshots:
        return
    connection = connections[router.db_for_write(ProductSnapshot)]
    quote, meta = connection.ops.quote_name, ProductSnapshot._meta
    fields = [meta.get_field(name) for name in names]
    rows = [_prepared(s, fields) + [s.pk] for s in snapshots]
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                f"UPDATE {table} SET {', '.join(f'{quote(f.column)} = %s' for f in fields)} "
                f"WHERE {pk} = %s", rows)
            return
        # The rows by COPY into a temporary table, then one UPDATE joined to it: an
        # executemany's statement per row was measured twice as slow there, and an UPDATE
        # from VALUES spent its time quoting thousands of payloads into the statement.
        temp = quote("publishing_snapshot_rows")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {temp} ("
            f"{', '.join(f'{quote(f.column)} {f.db_type(connection)}' for f in fields)}, "
            f"{pk} {meta.pk.rel_db_type(connection)})")
        rows_copy_into(connection, cursor, temp, [*[quote(f.column) for f in fields], pk], rows)
        cursor.execute(
            f"UPDATE {table} AS t SET "
            f"{', '.join(f'{quote(f.column)} = v.{quote(f.column)}' for f in fields)} "
            f"FROM {temp} AS v WHERE t.{pk} = v.{pk}")
        cursor.execute(f"DROP TABLE {temp}")


# What a payload says of its publication, not of the product.
_PUBLICATION_KEYS = ("version", "published_at")


def _unchanged(snapshot: ProductSnapshot, fresh: dict) -> bool:
    """Whether `fresh` (a payload as the database gives JSON back) shows what the snapshot
    stores (its `stored_json`), its version and publication date aside."""
    stored = orjson.loads(snapshot.stored_json)
    return (fresh.keys() == stored.keys()
            and all(fresh[k] == stored[k] for k in fresh if k not in _PUBLICATION_KEYS))


def snapshot_sequence_next() -> int:
    """The next feed position, in commit order.

    The upsert locks `SnapshotSequence`'s row until the caller's transaction ends: another
    writer waits here until then, so it takes a higher value and commits later. Callers lock
    the snapshot rows they write first and take the position last, so that writers queue on
    this row only for the end of their transactions. Call inside a transaction.
    """
    connection = connections[router.db_for_write(ProductSnapshot)]
    table = connection.ops.quote_name(SnapshotSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (id, value) VALUES (1, 1) ON CONFLICT (id) "
            f"DO UPDATE SET value = {table}.value + 1 RETURNING value"
        )
        return cursor.fetchone()[0]


def snapshots_touch_all() -> int:
    """Move every live snapshot to the head of the feeds, unchanged: after the media settings
    change (a CDN, a new domain), so that delta clients fetch the new URLs. No re-approval,
    no new version, no webhook event. Returns how many moved."""
    with transaction.atomic():
        rows = list(ProductSnapshot.objects.select_for_update().filter(deleted=False)
                    .order_by("id").values_list("id", flat=True))
        if not rows:
            return 0
        sequence = snapshot_sequence_next()
        return ProductSnapshot.objects.filter(pk__in=rows).update(
            sequence=sequence, updated_at=timezone.now()
        )


def snapshots_tombstone(*, product: Product, channels: Iterable[Channel] | None = None
                        ) -> list[ProductSnapshot]:
    """Turn the product's live snapshots (on `channels`, or everywhere) into tombstones."""
    return snapshots_tombstone_batch(products=[product], channels=channels)


def snapshots_tombstone_batch(*, products: Iterable[Product],
                              channels: Iterable[Channel] | None = None) -> list[ProductSnapshot]:
    """Turn the live snapshots of `products` (on `channels`, or everywhere) into tombstones,
    at one feed position; send `snapshots_changed` once per channel. Returns them."""
    products = list(products)
    if not products:
        return []
    live = ProductSnapshot.objects.select_for_update().select_related("channel").filter(
        style_code__in=[p.style_code for p in products], deleted=False
    )
    if channels is not None:
        live = live.filter(channel__in=list(channels))
    now = timezone.now()
    by_channel: dict[int, tuple[Channel, list[ProductSnapshot]]] = {}
    snapshots = list(live.order_by("id"))
    if not snapshots:
        return []
    sequence = snapshot_sequence_next()
    for snapshot in snapshots:
        snapshot.deleted = True
        snapshot.payload = tombstone_payload(snapshot.style_code)
        snapshot.version += 1
        snapshot.updated_at = now
        snapshot.sequence = sequence
        by_channel.setdefault(snapshot.channel_id, (snapshot.channel, []))[1].append(snapshot)
    _snapshots_update(snapshots, ["deleted", "payload", "version", "updated_at", "sequence"])
    _gtins_index(payloads=dict.fromkeys((s.channel_id, s.style_code) for s in snapshots))
    for channel, group in by_channel.values():
        snapshots_changed.send(sender=ProductSnapshot, channel=channel, snapshots=group,
                               event=SNAPSHOT_EVENT_UNPUBLISH)
    return snapshots


def _gtins_index(*, payloads: dict[tuple[int, str], dict | None]) -> None:
    """Index the GTINs of each (channel id, style code) as its new payload lists them (None:
    none), in a query per channel and one insert.

    A style's variants are the same in every locale, so one payload per channel is enough.
    """
    if not payloads:
        return
    styles_of: dict[int, set[str]] = {}
    for channel_id, style_code in payloads:
        styles_of.setdefault(channel_id, set()).add(style_code)
    for channel_id, styles in styles_of.items():
        PublishedGtin.objects.filter(channel_id=channel_id, style_code__in=sorted(styles)).delete()
    meta = PublishedGtin._meta
    rows = [
        [channel_id, style_code, gtin]
        for (channel_id, style_code), payload in payloads.items() if payload
        for gtin in sorted({gtin_normalize(variant["gtin"]) for colour in payload["colours"]
                            for variant in colour["variants"]})
    ]
    if rows:
        rows_copy(PublishedGtin, [meta.get_field(name) for name in
                                     ("channel", "style_code", "gtin")], rows)


# Live-data writes name products in batches; each query stays well under every database's
# bound on parameters.
TOUCH_CHUNK = 2_000


def snapshots_touch(*, product_ids: Iterable[int], channels: Iterable[Channel] | None = None
                    ) -> int:
    """Live data of these products changed (ratings, store stock): their live snapshots (on
    `channels`, or everywhere) move to the head of every feed, unchanged.

    A delta pull from an earlier watermark lists them again and the API's ETags change, with
    no new version, no approval and no webhook event. Every live-data write goes through this
    function, inside the writer's transaction and after its own writes. Returns how many
    snapshots moved (0 where the products are published nowhere).
    """
    ids = sorted(set(product_ids))
    live = ProductSnapshot.objects.filter(deleted=False)
    if channels is not None:
        live = live.filter(channel__in=list(channels))
    with transaction.atomic():
        rows = []
        for start in range(0, len(ids), TOUCH_CHUNK):
            rows += live.select_for_update().filter(
                product_id__in=ids[start:start + TOUCH_CHUNK]
            ).order_by("id").values_list("id", flat=True)
        if not rows:
            return 0
        sequence, now = snapshot_sequence_next(), timezone.now()
        return sum(
            ProductSnapshot.objects.filter(pk__in=rows[start:start + TOUCH_CHUNK])
            .update(sequence=sequence, updated_at=now)
            for start in range(0, len(rows), TOUCH_CHUNK)
        )


def snapshots_ratings_refresh(*, product: Product) -> int:
    """Put the product's current ratings into its live snapshots, then touch them.

    Ratings are live data beside the approved content (DOMAIN section 12): the rest of each
    snapshot stays as approved. Call inside a transaction.
    """
    ratings = ratings_payload(product)
    live = list(ProductSnapshot.objects.select_for_update()
                .filter(product_id=product.pk, deleted=False).only("id", "payload"))
    for snapshot in live:
        snapshot.payload = {**snapshot.payload, "ratings": ratings}
    ProductSnapshot.objects.bulk_update(live, ["payload"])
    return snapshots_touch(product_ids=[product.pk])


def published_channels(product: Product) -> list[Channel]:
    """Channels where the product has live (not tombstoned) snapshots."""
    return list(Channel.objects.filter(snapshots__style_code=product.style_code,
                                       snapshots__deleted=False).distinct().order_by("code"))


__all__ = [
    "PUBLISH_BATCH",
    "product_for_publishing",
    "products_for_publishing",
    "renditions_missing_loaded",
    "published_channels",
    "snapshot_payload",
    "snapshot_sequence_next",
    "snapshots_publish",
    "snapshots_publish_batch",
    "snapshots_ratings_refresh",
    "snapshots_tombstone",
    "snapshots_tombstone_batch",
    "snapshots_touch",
    "snapshots_touch_all",
    "tombstone_payload",
]
