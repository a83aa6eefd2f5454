"""Reads of published snapshots. Payloads come back as the stored JSON text, never re-parsed."""
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

from django.db import connections
from django.db.models import Q, TextField
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.db.models.functions import Cast
from modeltranslation.utils import build_localized_fieldname

from catalog.models import Channel, ProductSnapshot, PublishedGtin
from catalog.loaders import CategoryTree
from catalog.models.fields import gtin_normalize

FEED_FIELDS = ("id", "updated_at", "style_code", "version", "deleted", "raw_payload")


@dataclass(frozen=True, slots=True)
class FeedRow:
    id: int
    updated_at: datetime
    style_code: str
    version: int
    deleted: bool
    raw_payload: str


@dataclass(frozen=True, slots=True)
class FeedPage:
    rows: list[tuple]  # (id, updated_at as text, style_code, version, deleted, payload text)
    last: tuple[datetime, int] | None  # the cursor position after this page
    more: bool


def _snapshots(*, channel: Channel, locale: str):
    return ProductSnapshot.objects.filter(channel=channel, locale=locale).annotate(
        raw_payload=Cast("payload", output_field=TextField())
    )


def snapshot_feed(
    *,
    channel: Channel,
    locale: str,
    updated_since: datetime | None = None,
    after: tuple[datetime, int] | None = None,
    limit: int,
) -> FeedPage:
    """One page of a channel's feed in (updated_at, id) order, in one query.

    The full feed lists what is published; a delta (updated_since) also lists tombstones so
    that clients delete what was unpublished or archived. Rows come as the driver gives them
    (the timestamp as text): converting a thousand values per page would cost more than the
    query, and only the last row's timestamp is needed, for the next cursor.
    """
    rows = _snapshots(channel=channel, locale=locale)
    if updated_since is None:
        rows = rows.filter(deleted=False)
    else:
        rows = rows.filter(updated_at__gte=updated_since)
    if after is not None:
        at, pk = after
        # The >= bound lets the database start from the cursor in the feed index.
        rows = rows.filter(updated_at__gte=at).filter(Q(updated_at__gt=at) | Q(id__gt=pk))
    rows = (
        rows.annotate(updated_at_text=Cast("updated_at", output_field=TextField()))
        .order_by("updated_at", "id")
        .values_list("id", "updated_at_text", "style_code", "version", "deleted", "raw_payload")
    )[: limit + 1]
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    more = len(fetched) > limit
    del fetched[limit:]
    last = (_as_datetime(fetched[-1][1]), fetched[-1][0]) if fetched else None
    return FeedPage(rows=fetched, last=last, more=more)


def _as_datetime(value) -> datetime:
    if isinstance(value, str):
        value = parse_datetime(value)
    return value if timezone.is_aware(value) else timezone.make_aware(value, dt_timezone.utc)


def snapshot_get(*, channel: Channel, locale: str, style_code: str) -> FeedRow | None:
    row = (
        _snapshots(channel=channel, locale=locale)
        .filter(style_code=style_code, deleted=False)
        .values_list(*FEED_FIELDS)
        .first()
    )
    return FeedRow(*row) if row else None


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
