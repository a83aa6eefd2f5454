"""Writes of stores and their stock. Stock comes from store systems in batches of thousands."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone as dt_timezone

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import FilteredRelation, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from catalog.models import Variant
from catalog.models.fields import gtin_check_digit, gtin_normalize, validate_gtin
from catalog.services.errors import full_clean
from catalog.services.publishing import snapshots_touch

from .models import Store, StoreStock

MAX_LINES = 10_000
MAX_QUANTITY = 2_147_483_647
# Rows per query: far below every database's bound on parameters.
CHUNK = 2_000
EARLIEST = datetime(2000, 1, 1, tzinfo=dt_timezone.utc)
# Clocks of store systems drift; a count a few minutes ahead of ours is still a count.
FUTURE_TOLERANCE = timedelta(minutes=15)


def store_save(*, store: Store) -> Store:
    """Create or update a store; refused with a ContentError naming the bad fields."""
    full_clean(store)
    store.save()
    return store


@dataclass
class LineError:
    index: int
    code: str
    message: str
    field: str | None = None

    def as_dict(self) -> dict:
        return {"index": self.index, "field": self.field, "code": self.code,
                "message": self.message}


@dataclass
class StockWritten:
    """What a batch did, line by line: every line is applied, ignored or refused."""

    received: int = 0
    applied: int = 0  # written (new or changed)
    unchanged: int = 0  # as stored already: a batch sent twice writes nothing the second time
    ignored: list[int] = field(default_factory=list)  # indexes older than the stored count
    errors: list[LineError] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Line:
    index: int
    key: str  # "gtin" or "sku"
    value: str
    quantity: int
    as_of: datetime


def _parse(index: int, line, store: Store) -> _Line | LineError:
    """One line checked by hand: a serializer per line would cost more than the whole write."""
    if not isinstance(line, dict):
        return LineError(index, "invalid", "Each line is an object with gtin or sku, "
                         "quantity and as_of.")
    if line.get("store") not in (None, "", store.code):
        return LineError(index, "other_store", f"This line is for the store "
                         f"“{str(line['store'])[:40]}”; this batch writes {store.code} only.",
                         "store")
    gtin, sku = line.get("gtin"), line.get("sku")
    if (gtin in (None, "")) == (sku in (None, "")):
        return LineError(index, "invalid", "Give the variant by gtin or by sku (one of them).")
    if gtin not in (None, ""):
        if not isinstance(gtin, str):
            return LineError(index, "invalid", "The GTIN is a string of digits.", "gtin")
        if gtin.isascii() and gtin.isdigit() and len(gtin) in (8, 12, 13, 14):
            # What store systems send. Its check digit is verified only if no variant has it
            # (stored GTINs are valid), to tell a mistyped barcode from an unknown one.
            value = gtin.zfill(14)
        else:
            try:
                validate_gtin(gtin)
            except ValidationError as error:
                return LineError(index, "invalid_gtin", " ".join(error.messages)[:300], "gtin")
            value = gtin_normalize(gtin)
        key = "gtin"
    else:
        if not isinstance(sku, str) or len(sku) > 40:
            return LineError(index, "invalid", "The SKU is a string of at most 40 characters.",
                             "sku")
        key, value = "sku", sku.strip()
    quantity = line.get("quantity")
    if not isinstance(quantity, int) or isinstance(quantity, bool):
        return LineError(index, "invalid", "The quantity is a whole number.", "quantity")
    if quantity < 0:
        return LineError(index, "negative_quantity",
                         f"The quantity cannot be negative ({quantity}).", "quantity")
    if quantity > MAX_QUANTITY:
        return LineError(index, "invalid", "The quantity is too large.", "quantity")
    raw = line.get("as_of")
    try:
        as_of = parse_datetime(raw) if isinstance(raw, str) and len(raw) <= 40 else None
    except ValueError:  # well formed, but no such moment (minute 99, 30 February)
        as_of = None
    if as_of is None or timezone.is_naive(as_of):
        return LineError(index, "invalid_as_of", "as_of is an ISO-8601 date and time with its "
                         "offset, e.g. 2026-03-01T09:30:00Z.", "as_of")
    if not EARLIEST <= as_of <= timezone.now() + FUTURE_TOLERANCE:
        # A count from a wrong clock's future would shut out every true count until then.
        return LineError(index, "invalid_as_of", f"as_of {raw} is not a moment a store system "
                         "counted: it is before 2000 or in the future.", "as_of")
    return _Line(index, key, value, quantity, as_of)


def _gtin_refusal(gtin: str) -> str:
    try:
        validate_gtin(gtin)
    except ValidationError as error:
        return " ".join(error.messages)[:300]
    return f"No variant has the GTIN {gtin}."


def _variants(store: Store, key: str, values: list[str]) -> dict[str, tuple]:
    """value → (variant id, product id, stored quantity, stored as_of), one query per chunk."""
    found = {}
    for start in range(0, len(values), CHUNK):
        rows = (Variant.objects
                .annotate(here=FilteredRelation("stock", condition=Q(stock__store=store)))
                .filter(**{f"{key}__in": values[start:start + CHUNK]})
                .values_list(key, "id", "colour__product_id", "here__quantity", "here__as_of"))
        found.update({row[0]: row[1:] for row in rows})
    return found


def _upsert(*, store: Store, rows: list[tuple[int, int, datetime]], now: datetime) -> None:
    """Insert or update counts in one statement per batch of rows (SQLite and PostgreSQL).

    The WHERE keeps a count newer than the line even when another batch wrote it after this
    one read the stored counts, which ``bulk_create(update_conflicts=True)`` cannot say; the
    statement also runs ten times faster than building model instances for it.
    """
    if not rows:
        return
    connection = connections[StoreStock.objects.db]
    quote = connection.ops.quote_name
    table = quote(StoreStock._meta.db_table)
    sql = (
        f"INSERT INTO {table} (store_id, variant_id, quantity, as_of, updated_at) "
        "VALUES (%s, %s, %s, %s, %s) ON CONFLICT (store_id, variant_id) DO UPDATE SET "
        "quantity = excluded.quantity, as_of = excluded.as_of, updated_at = excluded.updated_at "
        f"WHERE excluded.as_of >= {table}.as_of"
    )
    adapt = connection.ops.adapt_datetimefield_value
    stamps: dict[datetime, object] = {}
    written = adapt(now)
    params = [
        (store.pk, variant_id, quantity,
         stamps[as_of] if as_of in stamps else stamps.setdefault(as_of, adapt(as_of)), written)
        for variant_id, quantity, as_of in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), CHUNK):
            cursor.executemany(sql, params[start:start + CHUNK])


def stock_write(*, store: Store, lines: list) -> StockWritten:
    """Write a batch of stock counts for one store: `{gtin or sku, quantity, as_of}` each.

    Idempotent, and order-proof: a line whose `as_of` is older than the stored count is
    ignored (a late retry cannot undo a newer count); within the batch the latest line of a
    variant wins. A bad line (unknown GTIN or SKU, negative quantity, another store's line…)
    is reported by index while the good lines apply. A constant number of queries per few
    thousand lines; live snapshots of the products are touched for delta feeds.

    The counts in the result come from the stored counts read first; the write itself keeps
    any newer count another batch stored meanwhile (see `_upsert`).
    """
    result = StockWritten(received=len(lines))
    parsed: list[_Line] = []
    for index, line in enumerate(lines):
        item = _parse(index, line, store)
        (result.errors if isinstance(item, LineError) else parsed).append(item)
    variants = {
        key: _variants(store, key, sorted({x.value for x in parsed if x.key == key}))
        for key in ("gtin", "sku")
    }
    latest: dict[int, _Line] = {}
    products: dict[int, int] = {}
    stored: dict[int, tuple[int, datetime]] = {}
    for line in parsed:
        match = variants[line.key].get(line.value)
        if match is None and line.key == "gtin" and \
                gtin_check_digit(line.value[:-1]) != int(line.value[-1]):
            result.errors.append(LineError(line.index, "invalid_gtin", _gtin_refusal(line.value),
                                           "gtin"))
            continue
        if match is None:
            what = "GTIN" if line.key == "gtin" else "SKU"
            result.errors.append(LineError(line.index, f"unknown_{line.key}",
                                           f"No variant has the {what} {line.value}.", line.key))
            continue
        variant_id, products[variant_id], quantity, as_of = match
        if as_of is not None:
            stored[variant_id] = (quantity, as_of)
        kept = latest.get(variant_id)
        if kept is None or line.as_of >= kept.as_of:
            if kept is not None:
                result.ignored.append(kept.index)
            latest[variant_id] = line
        else:
            result.ignored.append(line.index)
    result.errors.sort(key=lambda e: e.index)
    if not latest:
        return result
    now = timezone.now()
    with transaction.atomic():
        ids = sorted(latest)
        rows, changed_products = [], set()
        for variant_id in ids:
            line = latest[variant_id]
            before = stored.get(variant_id)
            if before is not None and line.as_of < before[1]:
                result.ignored.append(line.index)
                continue
            if before == (line.quantity, line.as_of):
                result.unchanged += 1
                continue
            rows.append((variant_id, line.quantity, line.as_of))
            changed_products.add(products[variant_id])
        _upsert(store=store, rows=rows, now=now)
        result.applied = len(rows)
        if changed_products:
            snapshots_touch(product_ids=changed_products, channels=[store.channel])
    result.ignored.sort()
    return result
