"""Cursor pagination over (updated_at, id): stable while rows are added or changed."""
import base64
import re
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


def encode_cursor(updated_at: datetime, pk: int) -> str:
    raw = orjson.dumps([updated_at.isoformat(), pk])
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def decode_cursor(value: str | None) -> tuple[datetime, int] | None:
    if value is None or value == "":
        return None
    try:
        text = value.strip()
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        stamp, pk = orjson.loads(raw)
        moment = parse_datetime(stamp)
        if moment is None or timezone.is_naive(moment) or type(pk) is not int or not 0 <= pk < 2**63:
            raise ValueError
        if (utc := _in_utc(moment)) is None:
            raise ValueError
        return utc, pk
    except (ValueError, TypeError, orjson.JSONDecodeError, UnicodeError):
        raise BadRequest(
            "The cursor is not one this API gave out. Follow the “next” link as returned, "
            "or start again from the first page.",
            code="invalid_cursor",
        ) from None
