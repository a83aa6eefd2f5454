"""Reads of published snapshots. Payloads come back as the stored JSON text, never re-parsed."""
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

from django.db import connections
from django.db.models import Q, Subquery, TextField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.db.models.functions import Cast
from modeltranslation.utils import build_localized_fieldname

from catalog.models import Channel, Product, ProductSnapshot, PublishedGtin, SnapshotSequence
from catalog.loaders import CategoryTree
from catalog.models.fields import gtin_normalize

from .pagination import FeedQuery, Position

FEED_FIELDS = ("id", "updated_at", "style_code", "version", "deleted", "raw_payload", "sequence")


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: int
    updated_at: datetime
    style_code: str
    version: int
    deleted: bool
    raw_payload: str
    sequence: int


@dataclass(frozen=True, slots=True)
class FeedPage:
    rows: list[tuple]  # (id, sequence, style_code, version, deleted, payload text)
    last: Position | None  # the position of the page's last row
    more: bool


def _snapshots(*, channel: Channel, locale: str):
    return ProductSnapshot.objects.filter(channel=channel, locale=locale).annotate(
        raw_payload=Cast("payload", output_field=TextField())
    )


def snapshot_feed(*, channel: Channel, query: FeedQuery) -> FeedPage:
    """One page of a channel's feed in (sequence, id) order, in one query.

    The full feed lists what is published, and tombstones from `query.tombstones_after` on; a
    delta lists every change after its position (or since its moment), tombstones included,
    so that clients delete what was unpublished or archived. Payloads come back as the stored
    JSON text, never parsed.
    """
    rows = _snapshots(channel=channel, locale=query.locale)
    if query.since is not None:
        rows = rows.filter(updated_at__gte=query.since)
    if query.tombstones_after is not None:
        rows = rows.filter(Q(deleted=False) | Q(sequence__gt=query.tombstones_after))
    at = query.after
    # The >= bound lets the database start from the position in the feed index.
    rows = (
        rows.filter(sequence__gte=at.sequence).filter(Q(sequence__gt=at.sequence) | Q(id__gt=at.id))
        .order_by("sequence", "id")
        .values_list("id", "sequence", "style_code", "version", "deleted", "raw_payload")
    )[: query.page_size + 1]
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    more = len(fetched) > query.page_size
    del fetched[query.page_size:]
    last = Position(fetched[-1][1], fetched[-1][0]) if fetched else None
    return FeedPage(rows=fetched, last=last, more=more)


@dataclass(frozen=True, slots=True)
class FeedState:
    position: int  # the last position handed out and committed, as this statement sees it
    changed_at: datetime | None  # the last change of the channel's feed in the locale


def feed_state(*, channel: Channel, locale: str) -> FeedState:
    """Where the feeds stand and when this one last changed (tombstones included), in one
    query."""
    changed = (ProductSnapshot.objects.filter(channel=channel, locale=locale)
               .order_by("-updated_at").values("updated_at")[:1])
    row = (SnapshotSequence.objects.filter(pk=1).annotate(changed_at=Subquery(changed))
           .values_list("value", "changed_at").first())
    if row is None:  # no position handed out yet
        return FeedState(0, changed.values_list("updated_at", flat=True).first())
    return FeedState(row[0], _as_datetime(row[1]) if row[1] else None)


def _as_datetime(value) -> datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt_timezone.utc)


def snapshot_get(*, channel: Channel, locale: str, style_code: str) -> FeedRow | None:
    # One row by the unique (channel, style, locale): no ORDER BY, unlike `first()`.
    row = next(iter(
        _snapshots(channel=channel, locale=locale)
        .filter(style_code=style_code, deleted=False)
        .order_by().values_list(*FEED_FIELDS)[:1]
    ), None)
    return FeedRow(*row) if row else None


@dataclass(frozen=True, slots=True)
class SnapshotHead:
    id: int
    sequence: int
    updated_at: datetime


def snapshot_head(*, channel: Channel, locale: str, style_code: str) -> SnapshotHead | None:
    """Where a live snapshot stands, without its payload: enough to answer a conditional
    request with a 304 (one query on the snapshot's unique index)."""
    row = next(iter(ProductSnapshot.objects.filter(channel=channel, locale=locale,
                                                   style_code=style_code, deleted=False)
                    .order_by().values_list("id", "sequence", "updated_at")[:1]), None)
    return SnapshotHead(*row) if row else None


def snapshot_for_gtin(*, channel: Channel, locale: str, gtin: str) -> FeedRow | None:
    """The live snapshot listing this GTIN, from the published barcode index, in one query.

    The index holds what was approved, not the working copy: a GTIN edited or removed since
    the last approval is found by its published value, a new one only once approved. Where
    two styles list it (a GTIN moved between them), the latest published wins.
    """
    styles = PublishedGtin.objects.filter(channel=channel, gtin=gtin_normalize(gtin))
    row = (
        _snapshots(channel=channel, locale=locale)
        .filter(style_code__in=styles.values("style_code"), deleted=False)
        .order_by("-published_at", "-id")
        .values_list(*FEED_FIELDS)
        .first()
    )
    return FeedRow(*row) if row else None


def category_list(*, locale: str, source_locale: str) -> list[dict]:
    """The whole taxonomy in tree order, names in the locale (the source where untranslated)."""
    localized = build_localized_fieldname("name", locale)
    source = build_localized_fieldname("name", source_locale)

    def name(node):
        return getattr(node, localized) or getattr(node, source)

    tree = CategoryTree()
    result = []
    for node in tree:
        parent = tree.parent(node.pk)
        result.append({
            "id": node.pk,
            "slug": node.slug,
            "name": name(node),
            "parent": parent.pk if parent else None,
            "depth": node.depth,
            "path": [name(n) for n in tree.ancestors(node.pk)],
        })
    return result



def product_rating_get(*, style_code: str) -> tuple | None:
    """(average, count) of the product's ratings as they are now: live data, not approved."""
    return (Product.objects.filter(style_code=style_code)
            .values_list("rating_average", "rating_count").first())
