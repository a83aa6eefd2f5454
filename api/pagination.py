"""Feed pagination over (sequence, id): positions handed out in commit order.

A cursor carries the whole query (locale, page size, bounds), so a client that passes only
`cursor` gets the same pull as one that follows the `next` link. A watermark is a position a
client stores at the end of a pull and sends back as `updated_since`.
"""
import base64
import binascii
import re
from dataclasses import dataclass
from datetime import datetime, timezone as dt_timezone

import orjson
from django.conf import settings
from django.utils.dateparse import parse_date, parse_datetime
from django.utils import timezone

from .exceptions import BadRequest

DEFAULT_PAGE_SIZE = 100


def max_page_size() -> int:
    return settings.API_MAX_PAGE_SIZE


def parse_page_size(value: str | None) -> int:
    if value is None or value == "":
        return min(DEFAULT_PAGE_SIZE, max_page_size())
    limit = max_page_size()
    text = value.strip()
    if not re.fullmatch(r"-?[0-9]{1,12}", text):
        raise BadRequest(
            f"page_size must be a whole number from 1 to {limit}; got “{value[:40]}”.",
            code="invalid_page_size",
        )
    size = int(text)
    if not 1 <= size <= limit:
        raise BadRequest(
            f"page_size must be from 1 to {limit}; got {size}.", code="invalid_page_size"
        )
    return size


def parse_updated_since(value: str | None) -> datetime | None:
    if value is None or value == "":
        return None
    # An unescaped "+" in a query string arrives as a space: "…T10:00:00 01:00".
    text = value.strip()
    if len(text) > 10 and text[-6] == " ":
        text = f"{text[:-6]}+{text[-5:]}"
    try:
        moment = parse_datetime(text)
        if moment is None and (day := parse_date(text)) is not None:
            moment = datetime(day.year, day.month, day.day)
    except (ValueError, OverflowError):
        moment = None
    if moment is None:
        raise BadRequest(
            f"updated_since must be an ISO-8601 date-time such as 2025-03-01T09:30:00Z; "
            f"got “{value[:40]}”.",
            code="invalid_updated_since",
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, dt_timezone.utc)
    if (utc := _in_utc(moment)) is None:
        raise BadRequest(
            f"updated_since must lie between the years 1 and 9999 in UTC; got “{value[:40]}”.",
            code="invalid_updated_since",
        )
    return utc


def _in_utc(moment: datetime) -> datetime | None:
    """The moment in UTC, or None where UTC has no date for it (past 9999 or before year 1)."""
    try:
        return moment.astimezone(dt_timezone.utc)
    except (OverflowError, ValueError):
        return None


WATERMARK = re.compile(r"([0-9]{1,19})\.([0-9]{1,19})")


@dataclass(frozen=True, slots=True, order=True)
class Position:
    """A place in a channel's feed: (sequence, id), in feed order."""

    sequence: int
    id: int

    def __str__(self):  # the watermark as clients store and send it back
        return f"{self.sequence}.{self.id}"


ORIGIN = Position(0, 0)


@dataclass(frozen=True, slots=True)
class FeedQuery:
    """Everything a feed pull asks, carried whole by its cursor.

    `after`: where the next page starts. `tombstones_after`: tombstones are listed from that
    sequence on (None: all of them), so a full pull lists removals made while it runs.
    `since`: an ISO-8601 lower bound on `updated_at`. `floor`: the watermark the pull may hand
    out at its end, taken when it started.
    """

    channel: str
    locale: str
    page_size: int
    after: Position = ORIGIN
    floor: Position = ORIGIN
    tombstones_after: int | None = None
    since: datetime | None = None


def parse_watermark(value: str) -> Position | None:
    """A watermark as this API gives it out (`<sequence>.<id>`), or None for anything else."""
    match = WATERMARK.fullmatch(value.strip())
    if not match:
        return None
    sequence, pk = int(match[1]), int(match[2])
    if sequence >= 2**63 or pk >= 2**63:
        return None
    return Position(sequence, pk)


def parse_since(value: str | None) -> Position | datetime | None:
    """`updated_since`: a watermark the feed gave out, or an ISO-8601 date-time."""
    if value is None or value == "":
        return None
    return parse_watermark(value) or parse_updated_since(value)


def encode_cursor(query: FeedQuery) -> str:
    raw = orjson.dumps({
        "c": query.channel, "l": query.locale, "n": query.page_size,
        "a": [query.after.sequence, query.after.id], "f": [query.floor.sequence, query.floor.id],
        "t": query.tombstones_after, "u": query.since.isoformat() if query.since else None,
    })
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _position(value) -> Position:
    if (not isinstance(value, list) or len(value) != 2
            or not all(type(v) is int and 0 <= v < 2**63 for v in value)):
        raise ValueError
    return Position(*value)


def decode_cursor(value: str | None) -> FeedQuery | None:
    if value is None or value == "":
        return None
    try:
        text = value.strip()
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        data = orjson.loads(raw)
        if not isinstance(data, dict) or set(data) != {"c", "l", "n", "a", "f", "t", "u"}:
            raise ValueError
        channel, locale, size, stamp, tombstones = (data[k] for k in "clnut")
        if not (isinstance(channel, str) and isinstance(locale, str) and type(size) is int
                and 1 <= size <= max_page_size()):
            raise ValueError
        if tombstones is not None and not (type(tombstones) is int and 0 <= tombstones < 2**63):
            raise ValueError
        since = None
        if stamp is not None:
            moment = parse_datetime(stamp) if isinstance(stamp, str) else None
            if moment is None or timezone.is_naive(moment):
                raise ValueError
            if (since := _in_utc(moment)) is None:
                raise ValueError
        return FeedQuery(channel=channel, locale=locale, page_size=size,
                         after=_position(data["a"]), floor=_position(data["f"]),
                         tombstones_after=tombstones, since=since)
    except (ValueError, TypeError, orjson.JSONDecodeError, UnicodeError, binascii.Error):
        raise BadRequest(
            "The cursor is not one this API gave out. Follow the “next” link as returned, "
            "or start again from the first page.",
            code="invalid_cursor",
        ) from None
