"""Writing millions of synthetic rows quickly: plain rows, assigned keys, bulk inserts.

The machinery under ``synthetic.py``: a ``Row`` is the values of one row
(cheaper than a model instance), ``Ids`` hands out primary keys without a
round trip, ``Batch`` collects a chunk's rows per model, and ``insert``
writes them in bulk (``COPY`` on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import connection, models

from tandem.core.fields import EncryptedTextField


class Row:
    """One row to write: its values by column attribute name (``couple_id``, not ``couple``).

    Cheaper than a model instance (whose ``__init__`` dominated at millions
    of rows); anything else set on it (a user's ``zone``) is simply not written.
    """

    def __init__(self, model: type[models.Model], values: dict) -> None:
        self.__dict__.update(values)
        self._model = model

    @property
    def pk(self):
        return self.id


# Per model: (relation name, column attname) pairs and (attname, default) pairs.
_META: dict[type[models.Model], tuple[list[tuple[str, str]], list[tuple[str, object]]]] = {}


def row(model: type[models.Model], **values) -> Row:
    """A row of ``model`` like ``model(**values)`` would hold: relations by id, defaults filled in."""
    if model not in _META:
        fields = model._meta.local_concrete_fields
        relations = [(f.name, f.attname) for f in fields if f.is_relation]
        defaults = [(f.attname, f.default) for f in fields if f.has_default()]
        # As Field.get_default(): "" for text columns that are not nullable, else None.
        defaults += [
            (f.attname, None if f.null or not f.empty_strings_allowed else "") for f in fields if not f.has_default()
        ]
        _META[model] = (relations, defaults)
    relations, defaults = _META[model]
    for name, attname in relations:
        if name in values:
            target = values.pop(name)
            values[attname] = None if target is None else target.pk
    for attname, default in defaults:
        if attname not in values:
            values[attname] = default() if callable(default) else default
    return Row(model, values)


@dataclass
class Batch:
    """Rows of one chunk, per model."""

    rows: dict[type[models.Model], list] = field(default_factory=lambda: defaultdict(list))

    def add(self, obj):
        self.rows[obj._model if isinstance(obj, Row) else type(obj)].append(obj)
        return obj


class Ids:
    """Primary keys assigned here: deterministic, and no round trip to learn them."""

    def __init__(self) -> None:
        self._next: dict[type[models.Model], int] = {}

    def __call__(self, model: type[models.Model]) -> int:
        if model not in self._next:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self._next[model] = top + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value

    @property
    def models(self) -> Iterable[type[models.Model]]:
        return self._next.keys()


def _converter(field: models.Field) -> Callable | None:
    """How a Python value becomes what the driver takes (None: as it is).

    The same results as each field's ``get_db_prep_save`` for the values
    written here, computed directly: the generic path cost more than the
    rest of the seeding together. Encrypted fields keep their own path.
    """
    if isinstance(field, EncryptedTextField):
        return lambda value: field.get_db_prep_save(value, connection)
    target = field.target_field if field.is_relation else field
    postgres = connection.vendor == "postgresql"
    if isinstance(target, models.JSONField):
        if postgres:
            from psycopg.types.json import Jsonb

            return Jsonb
        return json.dumps
    if postgres:
        return None  # psycopg adapts UUID, date, time and aware datetime itself
    if isinstance(target, models.UUIDField):
        return lambda value: None if value is None else value.hex
    if isinstance(target, models.DateTimeField):
        # As Django's SQLite backend stores them: naive UTC, str() format.
        return lambda value: None if value is None else str(value.astimezone(dt.UTC).replace(tzinfo=None))
    if isinstance(target, (models.DateField, models.TimeField)):
        return lambda value: None if value is None else str(value)
    return None


def insert(model: type[models.Model], objs: list) -> None:
    """What ``bulk_create`` does for these rows, minus its per-value ORM overhead.

    ``bulk_create`` of model instances managed about 5,000 rows a second on
    the 2-core benchmark machine, which would put N=10,000 (~4 million rows)
    well past ten minutes. Here rows are plain values (``Row``), converted
    once per value (``_converter``; encryption through the field itself) and
    sent in bulk: ``COPY`` on PostgreSQL, ``executemany`` elsewhere.
    """
    fields = list(model._meta.local_concrete_fields)
    converters = [_converter(f) for f in fields]
    attnames = [f.attname for f in fields]
    rows = []
    for obj in objs:
        values = obj.__dict__
        rows.append(
            tuple(
                values[name] if convert is None else convert(values[name])
                for name, convert in zip(attnames, converters, strict=True)
            )
        )
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


class NoStyle:
    """sequence_reset_sql wants a style object; plain SQL is all we need."""

    def __getattr__(self, _name: str) -> Callable[[str], str]:
        return str
