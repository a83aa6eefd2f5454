"""Completeness writes: recompute products in batches, keep it current after every change.

Rows are derived data. A batch reads its facts in a constant number of queries, computes in
memory and writes only the rows whose result changed (bulk create / update / delete).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from catalog.completeness.engine import CompletenessContext, evaluate, load_facts
from catalog.models import (
    Channel,
    CompletenessLowest,
    CompletenessTally,
    Product,
    ProductCompleteness,
)

from .rows import rows_copy, rows_upsert

BATCH_SIZE = 500
# Below this many products a change is recomputed right after the commit, in the request;
# more go to a Celery task.
INLINE_LIMIT = 50
_FIELDS = ("score", "passed", "total", "complete", "failures")


@dataclass
class RecomputeSummary:
    products: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    rows_deleted: int = 0
    rows_unchanged: int = 0
    incomplete: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, other: RecomputeSummary) -> None:
        self.products += other.products
        self.rows_created += other.rows_created
        self.rows_updated += other.rows_updated
        self.rows_deleted += other.rows_deleted
        self.rows_unchanged += other.rows_unchanged
        for key, count in other.incomplete.items():
            self.incomplete[key] = self.incomplete.get(key, 0) + count


# A tally key: (category id, channel id, locale or ALL_LOCALES); its delta: [complete,
# incomplete, score sum].
ALL_LOCALES = CompletenessTally.ALL_LOCALES
TallyDeltas = dict[tuple[int, int, str], list[int]]


def _tally_count(deltas: TallyDeltas, rows: list[tuple], sign: int) -> None:
    """Count a product's rows ``(category id, channel id, locale, complete, score)`` into
    ``deltas``: each row for its locale, and per channel once for all its locales."""
    channels: dict[tuple[int, int], tuple[bool, int]] = {}
    for category_id, channel_id, locale, complete, score in rows:
        if category_id is None:
            continue
        delta = deltas.setdefault((category_id, channel_id, locale), [0, 0, 0])
        delta[0 if complete else 1] += sign
        delta[2] += sign * score
        both, worst = channels.get((category_id, channel_id), (True, 100))
        channels[(category_id, channel_id)] = (both and complete, min(worst, score))
    for (category_id, channel_id), (complete, worst) in channels.items():
        delta = deltas.setdefault((category_id, channel_id, ALL_LOCALES), [0, 0, 0])
        delta[0 if complete else 1] += sign
        delta[2] += sign * worst


def _tally_apply(deltas: TallyDeltas) -> None:
    """Add the deltas to the tally, one upsert per cell, in key order (two transactions
    touching the same cells lock them in the same order)."""
    changed = [(*key, *delta) for key, delta in sorted(deltas.items()) if any(delta)]
    if not changed:
        return
    meta = CompletenessTally._meta
    table = connection.ops.quote_name(meta.db_table)
    column = {f.name: connection.ops.quote_name(f.column) for f in meta.concrete_fields}
    keys = [column["category"], column["channel"], column["locale"]]
    counts = [column["complete"], column["incomplete"], column["score_sum"]]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(keys + counts)}) VALUES ({', '.join(['%s'] * 6)}) "
            f"ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
            + ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in counts),
            changed,
        )


def completeness_tally_forget(*, product_ids: list[int]) -> None:
    """Take these products' rows out of the tally (they are about to be deleted)."""
    deltas: TallyDeltas = {}
    rows: dict[int, list[tuple]] = {}
    for product_id, *row in ProductCompleteness.objects.filter(
        product_id__in=product_ids
    ).values_list("product_id", "category_id", "channel_id", "locale", "complete", "score"):
        rows.setdefault(product_id, []).append(tuple(row))
    for product_rows in rows.values():
        _tally_count(deltas, product_rows, -1)
    _tally_apply(deltas)


def completeness_tally_rebuild(using_connection=None, *, tally=CompletenessTally,
                               completeness=ProductCompleteness) -> None:
    """The tally counted afresh from the completeness rows, in two statements. (The models
    can be a migration's.)"""
    db = using_connection or connection
    quote = db.ops.quote_name
    t, c = quote(tally._meta.db_table), quote(completeness._meta.db_table)
    complete = "CASE WHEN complete THEN 1 ELSE 0 END"
    with db.cursor() as cursor:
        cursor.execute(f"DELETE FROM {t}")
        cursor.execute(
            f"INSERT INTO {t} (category_id, channel_id, locale, complete, incomplete, score_sum) "
            f"SELECT category_id, channel_id, locale, SUM({complete}), SUM(1 - {complete}), "
            f"SUM(score) FROM {c} WHERE category_id IS NOT NULL "
            "GROUP BY category_id, channel_id, locale")
        cursor.execute(
            f"INSERT INTO {t} (category_id, channel_id, locale, complete, incomplete, score_sum) "
            "SELECT category_id, channel_id, %s, SUM(CASE WHEN todo = 0 THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN todo = 0 THEN 0 ELSE 1 END), SUM(worst) FROM ("
            f"  SELECT category_id, channel_id, SUM(1 - {complete}) AS todo, MIN(score) AS worst"
            f"  FROM {c} WHERE category_id IS NOT NULL"
            "  GROUP BY product_id, channel_id, category_id) per_product "
            "GROUP BY category_id, channel_id", [ALL_LOCALES])


def completeness_lowest_rebuild(using_connection=None, *, lowest=CompletenessLowest,
                                completeness=ProductCompleteness) -> None:
    """Each product's lowest locale score per channel taken afresh from the completeness rows,
    in two statements. (The models can be a migration's.)"""
    db = using_connection or connection
    quote = db.ops.quote_name
    t, c = quote(lowest._meta.db_table), quote(completeness._meta.db_table)
    with db.cursor() as cursor:
        cursor.execute(f"DELETE FROM {t}")
        cursor.execute(f"INSERT INTO {t} (product_id, channel_id, lowest) "
                       f"SELECT product_id, channel_id, MIN(score) FROM {c} "
                       "GROUP BY product_id, channel_id")


def _lowest_of(rows: list[tuple]) -> dict[int, int]:
    """Per channel id, the lowest score of a product's rows ``(category id, channel id,
    locale, complete, score)``."""
    lowest: dict[int, int] = {}
    for _, channel_id, _, _, score in rows:
        lowest[channel_id] = min(score, lowest.get(channel_id, score))
    return lowest


def _lowest_apply(product_id: int, old: list[tuple], new: list[tuple],
                  upserts: list[tuple], deletes: list[tuple]) -> None:
    """What changes in a product's lowest scores, from its old and new rows."""
    before, after = _lowest_of(old), _lowest_of(new)
    upserts.extend((product_id, channel_id, score) for channel_id, score in after.items()
                   if before.get(channel_id) != score)
    deletes.extend((product_id, channel_id) for channel_id in before if channel_id not in after)


def _lowest_write(cursor, upserts: list[tuple], deletes: list[tuple]) -> None:
    table = connection.ops.quote_name(CompletenessLowest._meta.db_table)
    if upserts:
        # One statement for the batch (a first import's batch holds a row per product and
        # channel), as many were a share of every batch's recompute.
        field = CompletenessLowest._meta.get_field
        rows_upsert(CompletenessLowest, [field("product"), field("channel"), field("lowest")],
                    upserts, conflict=[field("product"), field("channel")],
                    update=[field("lowest")])
    if deletes:
        cursor.executemany(f"DELETE FROM {table} WHERE product_id = %s AND channel_id = %s",
                           deletes)


def _write(to_create: list[tuple], to_update: list[tuple], to_delete: list[int],
           tally: TallyDeltas, lowest: tuple[list[tuple], list[tuple]] = ([], [])) -> None:
    """Plain multi-row statements: a full recompute writes hundreds of thousands of rows. New
    rows go by one COPY on PostgreSQL (an import's batch of 200 products is 2,200 rows: as
    many INSERTs, each parsed and run on its own, were the largest share of the server's time
    in a 10,000-style import), by one executemany elsewhere."""
    meta = ProductCompleteness._meta
    table = connection.ops.quote_name(meta.db_table)
    column = {f.name: connection.ops.quote_name(f.column) for f in meta.concrete_fields}
    inserted = ["product", "channel", "locale", "category", *_FIELDS, "updated_at"]
    updated = ["category", *_FIELDS, "updated_at"]
    with transaction.atomic(), connection.cursor() as cursor:
        if to_create:
            rows_copy(ProductCompleteness, [meta.get_field(n) for n in inserted], to_create)
        if to_update:
            cursor.executemany(
                f"UPDATE {table} SET {', '.join(f'{column[n]} = %s' for n in updated)} "
                f"WHERE {column['id']} = %s", to_update,
            )
        if to_delete:
            ProductCompleteness.objects.filter(pk__in=to_delete).delete()
        _lowest_write(cursor, *lowest)
        _tally_apply(tally)


def _recompute_batch(product_ids: list[int], context: CompletenessContext) -> RecomputeSummary:
    summary = RecomputeSummary()
    facts = load_facts(product_ids, context)
    channel_ids = [c.id for c in context.channels]
    codes = {c.id: c.code for c in context.channels}
    existing: dict[int, dict[tuple[int, str], tuple]] = {}
    for pk, product_id, channel_id, locale, category_id, *values in (
        ProductCompleteness.objects.filter(
            product_id__in=[f.id for f in facts], channel_id__in=channel_ids
        ).values_list("pk", "product_id", "channel_id", "locale", "category_id", *_FIELDS)
    ):
        existing.setdefault(product_id, {})[(channel_id, locale)] = (pk, category_id, values)
    failures_field = ProductCompleteness._meta.get_field("failures")
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    to_create, to_update, to_delete = [], [], []
    tally: TallyDeltas = {}
    lowest: tuple[list[tuple], list[tuple]] = ([], [])
    for product in facts:
        rows = existing.pop(product.id, {})
        old, new = [], []
        for (channel_id, locale), result in evaluate(product, context).items():
            if not result.complete:
                key = (codes[channel_id], locale)
                summary.incomplete[key] = summary.incomplete.get(key, 0) + 1
            new.append((product.category_id, channel_id, locale, result.complete, result.score))
            values = [result.score, result.passed, result.total, result.complete, result.failures]
            row = rows.pop((channel_id, locale), None)
            if row is not None:
                old.append((row[1], channel_id, locale, row[2][3], row[2][0]))
                if row[1:] == (product.category_id, values):
                    summary.rows_unchanged += 1
                    continue
            values[-1] = failures_field.get_db_prep_save(result.failures, connection)
            if row is None:
                to_create.append((product.id, channel_id, locale, product.category_id, *values,
                                  now))
            else:
                to_update.append((product.category_id, *values, now, row[0]))
        # Left over: locales a channel no longer publishes in.
        for (channel_id, locale), (pk, category_id, values) in rows.items():
            old.append((category_id, channel_id, locale, values[3], values[0]))
            to_delete.append(pk)
        if old != new:
            _tally_count(tally, old, -1)
            _tally_count(tally, new, +1)
            _lowest_apply(product.id, old, new, *lowest)
    _write(to_create, to_update, to_delete, tally, lowest)
    summary.products = len(facts)
    summary.rows_created, summary.rows_updated = len(to_create), len(to_update)
    summary.rows_deleted = len(to_delete)
    return summary


def completeness_recompute(
    *,
    product_ids: Iterable[int] | None = None,
    channels: Iterable[Channel] | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
) -> RecomputeSummary:
    """Recompute products (all when ``product_ids`` is None) for channels (all when None).

    ``progress`` is called with the number of products done after each batch.
    """
    channels = list(Channel.objects.all() if channels is None else channels)
    if not channels:
        return RecomputeSummary()
    context = CompletenessContext(channels=channels)
    if product_ids is None:
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(product_ids))
    summary = RecomputeSummary()
    for start in range(0, len(ids), batch_size):
        batch = ids[start:start + batch_size]
        summary.add(_recompute_batch(batch, context))
        if progress:
            progress(len(batch))
    return summary


def completeness_for(product: Product, channel: Channel) -> list[ProductCompleteness]:
    """The product's incomplete rows for a channel, one per locale, computed fresh now.

    Empty when the product is complete for the channel in every locale it publishes in.
    """
    completeness_recompute(product_ids=[product.pk], channels=[channel])
    return list(
        ProductCompleteness.objects.filter(product=product, channel=channel, complete=False)
        .order_by("locale")
    )


# Keeping it current --------------------------------------------------------------------
_state = threading.local()


def _pending(connection=None) -> set[int]:
    """Products waiting for the commit of the current transaction on this thread.

    When scheduling (``connection`` given) in another transaction than the pending set
    belongs to, the set is started afresh: what a rolled-back transaction left is dropped.
    """
    if connection is not None:
        blocks = connection.atomic_blocks
        key = id(blocks[0]) if blocks else None
        if getattr(_state, "key", None) != key:
            _state.key, _state.ids = key, set()
    if not hasattr(_state, "ids"):
        _state.ids = set()
    return _state.ids


def _flush() -> None:
    ids = sorted(_pending())
    _pending().clear()
    if not ids:
        return
    if len(ids) <= INLINE_LIMIT:
        completeness_recompute(product_ids=ids)
    else:
        from catalog.tasks import completeness_recompute_task

        completeness_recompute_task.delay(product_ids=ids)


def completeness_schedule(*, product_ids: Iterable[int]) -> None:
    """Recompute these products once, after the current transaction commits.

    However many changes a transaction makes, its products are recomputed together once.
    """
    ids = {pk for pk in product_ids if pk}
    if not ids:
        return
    _pending(transaction.get_connection()).update(ids)
    # The first flush after the commit takes every pending product; later ones find none.
    # (Registered each time: a rolled-back savepoint drops the callbacks made inside it.)
    transaction.on_commit(_flush)


def completeness_schedule_scope(*, channel_ids: list[int] | None = None,
                                category_paths: list[str] | None = None,
                                brand_id: int | None = None) -> None:
    """After the commit, recompute what a rule change touches, in a Celery task.

    ``channel_ids``: only these channels; ``category_paths``: only products under these
    categories; ``brand_id``: only the brand's products. Nothing given: the whole catalog.
    """
    from catalog.tasks import completeness_recompute_scope_task

    transaction.on_commit(lambda: completeness_recompute_scope_task.delay(
        channel_ids=channel_ids, category_paths=category_paths, brand_id=brand_id,
    ))


def completeness_recompute_scope(*, channel_ids: list[int] | None = None,
                                 category_paths: list[str] | None = None,
                                 brand_id: int | None = None) -> RecomputeSummary:
    products = Product.objects.all()
    if category_paths is not None:
        under = Q(pk__in=[])
        for path in category_paths:
            under |= Q(category__path__startswith=path)
        products = products.filter(under)
    if brand_id:
        products = products.filter(brand_id=brand_id)
    channels = Channel.objects.filter(pk__in=channel_ids) if channel_ids else None
    return completeness_recompute(
        product_ids=products.order_by("pk").values_list("pk", flat=True), channels=channels
    )
