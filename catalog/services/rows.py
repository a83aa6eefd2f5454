"""Writing many rows in few statements, for the batch paths (imports, publishing,
completeness, translations): Django's ``bulk_create`` and ``bulk_update`` compile a value per
row and column and ``bulk_update`` a CASE per field and row, which cost more than the
database's writing thousands of rows. Each path below was measured against them in its own
batch (bench/README.md)."""
from __future__ import annotations

import functools
import operator
import re
from datetime import datetime

from django.db import DEFAULT_DB_ALIAS, connections, models, router
from django.utils import timezone


@functools.cache
def _as_is(cls) -> type | None:
    """The type of value a field of ``cls`` stores as it is (str for text, int for numbers
    and keys), unless the class converts values its own way; None for other fields."""
    for base, kind in ((models.CharField, str), (models.TextField, str),
                       (models.IntegerField, int), (models.ForeignKey, int)):
        if issubclass(cls, base):
            return kind if _converts_as(cls, base) else None
    return None


def _converts_as(cls, base) -> bool:
    return all(getattr(cls, m) is getattr(base, m)
               for m in ("get_db_prep_save", "get_db_prep_value", "get_prep_value"))


def _converter(f, db):
    """``f.get_db_prep_save`` for one column, skipped for the text, numbers and keys that it
    returns unchanged, and for an aware datetime reduced to the backend's adapter (all that
    ``DateTimeField`` does with one): for a file's thousands of rows of dozens of columns,
    Django's conversion of each value would cost more than the database's writing them.
    None is stored as it is."""
    kind = _as_is(type(f))
    prepare = f.get_db_prep_save
    if kind is not None:
        return lambda value: value if value is None or type(value) is kind else prepare(
            value, db)
    if isinstance(f, models.DateTimeField) and _converts_as(type(f), models.DateTimeField):
        adapt = db.ops.adapt_datetimefield_value
        return lambda value: value if value is None else adapt(value) if (
            type(value) is datetime and value.tzinfo is not None) else prepare(value, db)
    return lambda value: value if value is None else prepare(value, db)


_LENGTH = re.compile(r"\(.*\)")


def _unnest(db, fields) -> str:
    """PostgreSQL: ``unnest`` of one array per column (its type without a length, so that a
    value too long is refused by the column, not cut by the cast)."""
    arrays = ", ".join(f"%s::{_LENGTH.sub('', f.db_type(db))}[]" for f in fields)
    return f"unnest({arrays})"


def _columns(db, fields, rows) -> tuple[str, list]:
    """:func:`_unnest` of `fields` and the arrays of `rows`, one per column."""
    return _unnest(db, fields), [list(column) for column in zip(*rows, strict=True)]


def _plain_pre_save(f) -> bool:
    """The field's ``pre_save`` only reads its attribute (no ``auto_now``, no cleaning)."""
    return type(f).pre_save is models.Field.pre_save


def rows_insert(model, objs: list, get=operator.attrgetter, *, same: dict | None = None) -> None:
    """Insert ``objs`` of ``model`` in one statement: on PostgreSQL from one array per
    column, elsewhere one INSERT run for every row. ``get(attname)`` reads a column's value
    from an object (its attribute by default, ``operator.itemgetter`` for dicts); ``same``:
    values every row shares, by attname. A file's thousands of stamps and history rows would
    cost Django's ``bulk_create`` more time compiling the statement than the database
    writing it (and PostgreSQL as much parsing a statement per row); the values are read a
    column at a time, each column's conversion looked up once."""
    db = connections[DEFAULT_DB_ALIAS]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = db.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} "
           f"({', '.join(quote(f.column) for f in fields)}) ")
    same = same or {}
    columns = []
    for f in fields:
        convert = _converter(f, db)
        if f.attname in same:
            columns.append([convert(same[f.attname])] * len(objs))
        else:
            columns.append([convert(value) for value in map(get(f.attname), objs)])
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(f"{sql}SELECT * FROM {_unnest(db, fields)}", columns)
        else:
            cursor.executemany(f"{sql}VALUES ({', '.join(['%s'] * len(fields))})",
                               list(zip(*columns, strict=True)))


def rows_update_with_history(objs: list, names: set[str], *, user, reason: str) -> None:
    """Store ``names`` of ``objs`` as a save would (each field's ``pre_save``: sanitised HTML,
    no bidirectional controls, ``auto_now``) in one statement (on PostgreSQL from one array
    per column, elsewhere one UPDATE run for every row), and their history rows in one
    insert. (Django's ``bulk_update`` builds a CASE per field and row: several times slower
    for a few hundred rows of many fields.)"""
    meta = objs[0]._meta
    db = connections[DEFAULT_DB_ALIAS]
    fields = [meta.get_field(name) for name in sorted(names)]
    quote = db.ops.quote_name
    sql = (f"UPDATE {quote(meta.db_table)} SET "
           f"{', '.join(f'{quote(f.column)} = %s' for f in fields)} "
           f"WHERE {quote(meta.pk.column)} = %s")
    columns = [(f, _converter(f, db)) for f in fields]
    rows = [[*(convert(f.pre_save(obj, False)) for f, convert in columns), obj.pk]
            for obj in objs]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            unnest, arrays = _columns(db, [*fields, meta.pk], rows)
            names = [quote(f.column) for f in fields]
            pk = quote(meta.pk.column)
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS t SET "
                f"{', '.join(f'{name} = v.{name}' for name in names)} "
                f"FROM {unnest} AS v({', '.join([*names, pk])}) WHERE t.{pk} = v.{pk}", arrays)
        else:
            cursor.executemany(sql, rows)
    history_rows_insert(objs, update=True, user=user, reason=reason)


def rows_create(objs: list) -> None:
    """Insert new ``objs`` of one model and give them their ids, as ``bulk_create`` does
    (each field's ``pre_save``: ``auto_now_add``, sanitised HTML; keys from the related
    objects), with each column's conversion looked up once (:func:`_converter`): on
    PostgreSQL from one array per column, elsewhere in as few statements as SQLite's
    parameter limit allows. ``bulk_create`` compiles every value of every row, which cost a
    first import more than the database's writing them. A model whose ids are not made by
    the database, or with parents, goes through ``bulk_create``."""
    model = type(objs[0])
    meta = model._meta
    if meta.parents or not getattr(meta.pk, "db_returning", False):
        model.objects.bulk_create(objs)
        return
    db = connections[router.db_for_write(model)]
    fields = [f for f in meta.concrete_fields if not f.primary_key and not f.generated]
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="bulk_create")
    # A column at a time; a field whose pre_save only reads its attribute is read directly.
    columns = []
    for f in fields:
        convert = _converter(f, db)
        values = (map(operator.attrgetter(f.attname), objs) if _plain_pre_save(f)
                  else (f.pre_save(obj, True) for obj in objs))
        columns.append([convert(value) for value in values])
    quote = db.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} "
           f"({', '.join(quote(f.column) for f in fields)}) ")
    returning = f" RETURNING {quote(meta.pk.column)}"
    ids = []
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(f"{sql}SELECT * FROM {_unnest(db, fields)}{returning}", columns)
            ids = [row[0] for row in cursor.fetchall()]
        else:
            rows = list(zip(*columns, strict=True))
            size = max(1, db.features.max_query_params // len(fields))
            one = f"({', '.join(['%s'] * len(fields))})"
            for start in range(0, len(rows), size):
                chunk = rows[start:start + size]
                cursor.execute(f"{sql}VALUES {', '.join([one] * len(chunk))}{returning}",
                               [value for row in chunk for value in row])
                ids += [row[0] for row in cursor.fetchall()]
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = db.alias


def rows_create_with_history(objs: list, *, user, reason: str | None) -> None:
    """Insert new ``objs`` of one model (:func:`rows_create`, which gives them their ids)
    and their history rows in one statement: what ``bulk_create_with_history`` stores,
    without a model instance and a compiled value per history row and column."""
    rows_create(objs)
    history_rows_insert(objs, update=False, user=user, reason=reason)


def history_rows_insert(objs: list, *, update: bool, user, reason: str | None) -> None:
    """The history rows of saved ``objs`` (one model), as django-simple-history records them
    ("+" created, "~" changed), in one insert."""
    model = type(objs[0])
    history = model.history.model
    now = timezone.now()
    kept = {"history_date": now, "history_change_reason": reason or None,
            "history_type": "~" if update else "+",
            "history_user_id": getattr(user, "pk", None)}
    if {f.attname for f in history._meta.concrete_fields if not f.primary_key} == (
            set(kept) | {f.attname for f in history.tracked_fields}):
        rows_insert(history, objs, same=kept)
    else:  # history rows of another shape: django-simple-history's own bulk insert
        model.history.bulk_history_create(objs, update=update, default_user=user,
                                          default_change_reason=reason or None,
                                          default_date=now)


def rows_upsert(model, fields: list, rows: list[list], *, conflict: list, update: list) -> None:
    """Insert `rows` (values of `fields`, prepared for the database), a row whose `conflict`
    fields are taken setting its `update` fields instead: on PostgreSQL in one statement from
    one array per column, elsewhere one statement run for every row. The rows' conflict
    values must differ (PostgreSQL cannot update a row twice in one statement)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(model._meta.db_table)} "
           f"({', '.join(quote(f.column) for f in fields)}) ")
    upsert = (f" ON CONFLICT ({', '.join(quote(f.column) for f in conflict)}) DO UPDATE SET "
              + ", ".join(f"{quote(f.column)} = excluded.{quote(f.column)}" for f in update))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            unnest, arrays = _columns(connection, fields, rows)
            cursor.execute(f"{sql}SELECT * FROM {unnest}{upsert}", arrays)
        else:
            cursor.executemany(f"{sql}VALUES ({', '.join(['%s'] * len(fields))}){upsert}",
                               rows)


def rows_copy(model, fields: list, rows: list[list]) -> None:
    """Insert `rows` (values of `fields`, prepared for the database): by one COPY on
    PostgreSQL (measured about twice as fast as an executemany of a batch's 2,200 snapshots,
    server time included), by one executemany elsewhere. A COPY goes to the driver's cursor,
    so Django's query log does not list it."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows_copy_into(connection, cursor, quote(model._meta.db_table),
                       [quote(f.column) for f in fields], rows)
            return
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "
                           f"VALUES ({', '.join(['%s'] * len(fields))})", rows)


def rows_copy_into(connection, cursor, table: str, columns: list[str], rows: list[list]) -> None:
    """`rows` into `table` by one COPY (PostgreSQL), through the driver's cursor."""
    with connection.wrap_database_errors, cursor.cursor.copy(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
