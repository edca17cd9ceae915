"""A text field that is encrypted at rest, transparently (see ``tandem.core.crypto``).

Code reads and writes plain ``str`` as with any TextField; the database only
ever holds ``enc1:<key id>:...`` tokens. Two deliberate limits follow:

* **Not searchable.** Each value has a random nonce, so the database can't
  compare, search or sort the words. Only ``isnull`` and ``exact`` with the
  empty string are allowed as lookups (other lookups and transforms raise
  ``FieldError`` instead of silently matching nothing). ``order_by`` on such a
  field would sort ciphertext: don't; sort in Python if ever needed.
* **Emptiness is not secret.** ``""`` is stored as ``""``, so ``blank=True``,
  "left empty" filters and forms work as before. That a note is empty tells
  nothing about what anyone wrote.

``max_length`` stays a limit on the *plaintext*: forms get it (``maxlength``
and validation) and ``full_clean`` checks it, while the column is ``text``
because a token is longer than the words it seals.

The column label (``app_label.model.field``) is part of the authenticated
data, so renaming the model or the field needs a data migration that opens
values with the old label and seals them with the new one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django import forms
from django.apps import apps as global_apps
from django.core import validators
from django.core.exceptions import FieldError
from django.db import migrations, models
from django.db.models.lookups import Exact, IsNull

from tandem.core import crypto


def column_label(model: type[models.Model], field_name: str) -> str:
    return f"{model._meta.label_lower}.{field_name}"


class EmptyOnlyExact(Exact):
    """``field=""`` works (empty is stored as empty); any other value can't match a random-nonce token."""

    def get_prep_lookup(self):
        if self.rhs != "":
            raise FieldError(
                f"{self.lhs.output_field.__class__.__name__} is encrypted: it can only be compared with '' "
                "(or isnull). Filter on other columns and compare the words in Python."
            )
        return super().get_prep_lookup()


class EncryptedTextField(models.TextField):
    description = "Text, encrypted at rest (AES-256-GCM)"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.max_length is not None:
            # TextField leaves max_length to forms; keep the model-level check
            # CharField gave the fields converted from CharField.
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    @property
    def label(self) -> str:
        return column_label(self.model, self.name)

    # --- database round trip ---------------------------------------------------

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        # Always seal, even a value that is already a valid token for this
        # column. Passing such tokens through would let someone holding a
        # stolen dump (but no key) paste another person's token into their
        # own form and have the app decrypt it for them. Rotation and the
        # migrations write tokens with raw SQL, so they never need this.
        return crypto.encrypt(value, self.label)

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        if not crypto.is_token(value):
            # Never show plaintext found where only tokens belong as if all
            # were well: it means a write bypassed the field (raw SQL) or a
            # migration was skipped. `rotate_encryption_key` seals such values.
            raise crypto.EncryptionError(
                f"a value in {self.label} is stored unencrypted; run `manage.py migrate` and "
                "`manage.py rotate_encryption_key` to encrypt it"
            )
        return crypto.decrypt(value, self.label)

    # --- what the database can't do on ciphertext ------------------------------

    @classmethod
    def get_class_lookups(cls):
        # Only these: any other lookup or transform (icontains, in, lower, ...)
        # raises FieldError ("Unsupported lookup ...") instead of comparing
        # ciphertext and silently matching nothing.
        return {"exact": EmptyOnlyExact, "isnull": IsNull}


class EncryptedCharField(EncryptedTextField):
    """A one-line encrypted field: same storage, but a one-line input in forms (as CharField had)."""

    def __init__(self, *args, **kwargs) -> None:
        if kwargs.get("max_length") is None:
            raise TypeError("EncryptedCharField needs max_length (it limits the plaintext, as CharField did).")
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        # Skip TextField.formfield, which would make it a <textarea>.
        return models.Field.formfield(self, **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs})


# --- whole-column work: migrations and key rotation -----------------------------


@dataclass(frozen=True)
class EncryptedColumn:
    model: type[models.Model]
    field: EncryptedTextField

    @property
    def label(self) -> str:
        return column_label(self.model, self.field.name)

    @property
    def name(self) -> str:
        return f"{self.model._meta.label}.{self.field.name}"


def encrypted_columns(app_registry=global_apps) -> Iterator[EncryptedColumn]:
    """Every concrete column that holds tokens, in a stable order."""
    for model in sorted(app_registry.get_models(), key=lambda m: m._meta.label):
        meta = model._meta
        if meta.abstract or meta.proxy or not meta.managed:
            continue
        for field in meta.local_concrete_fields:
            if isinstance(field, EncryptedTextField):
                yield EncryptedColumn(model, field)


def _pending(connection, column: EncryptedColumn, *, after=None, skip_prefix: str | None = None):
    q = connection.ops.quote_name
    table, pk, col = q(column.model._meta.db_table), q(column.model._meta.pk.column), q(column.field.column)
    where, params = [f"{col} IS NOT NULL", f"{col} <> ''"], []
    if after is not None:
        where.append(f"{pk} > %s")
        params.append(after)
    if skip_prefix:
        # SUBSTR, not LIKE: LIKE is case-insensitive on SQLite and treats "_" (allowed in key ids) as a wildcard.
        where.append(f"SUBSTR({col}, 1, {len(skip_prefix)}) <> %s")
        params.append(skip_prefix)
    return table, pk, col, " AND ".join(where), params


def raw_rows(connection, column: EncryptedColumn, *, after, batch_size: int, skip_prefix: str | None = None):
    """Up to ``batch_size`` (pk, stored value) pairs with pk > ``after``, read past the field.

    Raw SQL on purpose: the ORM would decrypt, and the point here is to see
    (and compare against) what is really stored. ``skip_prefix`` leaves out
    values that already start with it (already sealed with the newest key)."""
    table, pk, col, where, params = _pending(connection, column, after=after, skip_prefix=skip_prefix)
    sql = f"SELECT {pk}, {col} FROM {table} WHERE {where} ORDER BY {pk} LIMIT {int(batch_size)}"  # noqa: S608 -- quoted identifiers, values as parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def count_raw(connection, column: EncryptedColumn, *, skip_prefix: str | None = None) -> int:
    table, _, _, where, params = _pending(connection, column, skip_prefix=skip_prefix)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} WHERE {where}", params)  # noqa: S608
        return cursor.fetchone()[0]


def write_raw(connection, column: EncryptedColumn, pk, old: str, new: str) -> bool:
    """Replace one stored value, only if it is still ``old``; False if the row changed meanwhile.

    The condition keeps a concurrent edit (already sealed with the newest key
    by the field) from being overwritten with the older words."""
    q = connection.ops.quote_name
    table, pk_col, col = q(column.model._meta.db_table), q(column.model._meta.pk.column), q(column.field.column)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {col} = %s WHERE {pk_col} = %s AND {col} = %s", [new, pk, old])  # noqa: S608
        return cursor.rowcount == 1


def _rewrite_columns(
    app_label: str, model_name: str, fields: tuple[str, ...], change: Callable[[str, str], str | None]
):
    def run(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        connection = schema_editor.connection
        for name in fields:
            column = EncryptedColumn(model, model._meta.get_field(name))
            after = None
            while rows := raw_rows(connection, column, after=after, batch_size=500):
                for pk, stored in rows:
                    if (new := change(stored, column.label)) is not None:
                        write_raw(connection, column, pk, stored, new)
                after = rows[-1][0]

    return run


def _seal(stored: str, label: str) -> str | None:
    return None if crypto.try_decrypt(stored, label) is not None else crypto.encrypt(stored, label)


def _open(stored: str, label: str) -> str | None:
    return crypto.decrypt(stored, label) if crypto.is_token(stored) else None


def encrypt_existing_rows(app_label: str, model_name: str, *fields: str) -> migrations.RunPython:
    """A migration step that seals plaintext already in these columns (and opens it again on reverse).

    Fresh installs have nothing to seal; existing deployments do. Runs in
    batches by primary key so a large table is never loaded at once."""
    return migrations.RunPython(
        _rewrite_columns(app_label, model_name, fields, _seal),
        _rewrite_columns(app_label, model_name, fields, _open),
    )


def relabel_existing_rows(app_label: str, model_name: str, old_model_label: str, *fields: str) -> migrations.RunPython:
    """A migration step for a model that moved to another app: its sealed
    values name the old ``app.model`` in their authenticated data, so each is
    opened with the old label and sealed again with the new one (and back on
    reverse). In batches by primary key, like ``encrypt_existing_rows``."""

    def change(to_new: bool) -> Callable[[str, str], str | None]:
        def relabel(stored: str, label: str) -> str | None:
            if not crypto.is_token(stored):
                return None
            field = label.rpartition(".")[2]
            old = f"{old_model_label.lower()}.{field}"
            source, target = (old, label) if to_new else (label, old)
            return crypto.encrypt(crypto.decrypt(stored, source), target)

        return relabel

    return migrations.RunPython(
        _rewrite_columns(app_label, model_name, fields, change(True)),
        _rewrite_columns(app_label, model_name, fields, change(False)),
    )
