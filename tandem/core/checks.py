"""Start-up proof that the configured keys open the data in the database.

Settings already refuse a missing or malformed key. A well-formed but *wrong*
key (a new key set without keeping the old one, a key from another server)
can only be caught against the data, so this reads the canary row. Key
rotation re-seals the canary last, after every other value opened, so a
canary that opens means no stored value needs a key that is not configured.

It is a ``database`` check: `migrate` and `check --database default` run it,
and so do `tandem/wsgi.py` and `tandem/asgi.py` before serving (see
``verify_encryption_keys``). ``check --deploy`` without a database stays
quiet, as it must on a build machine. When the database can't be reached or
has no canary table yet (before the first migrate), it reports nothing: the
next migrate writes the canary.
"""

from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from tandem.core import crypto
from tandem.core.models import CANARY_TEXT, EncryptionCanary

HINT = (
    "Set TANDEM_ENCRYPTION_KEYS (newest first) to include the key this database was written with. "
    "When rotating, keep the old key after the new one until `manage.py rotate_encryption_key` has finished."
)


def canary_problem(alias: str = DEFAULT_DB_ALIAS) -> str | None:
    """Why the configured keys can't open this database's data, or None (also when it can't be checked)."""

    try:
        canary = EncryptionCanary.objects.using(alias).order_by("pk").first()
    except crypto.EncryptionError as error:
        return f"TANDEM_ENCRYPTION_KEYS cannot decrypt the data in database {alias!r}: {str(error).rstrip('.')}."
    except DatabaseError:
        return None  # not migrated yet, or not reachable: nothing to prove against
    if canary is not None and canary.value != CANARY_TEXT:
        return f"The encryption canary in database {alias!r} decrypts to unexpected words."
    return None


@register(Tags.database)
def encryption_keys_fit_the_data(app_configs=None, databases=None, **kwargs) -> list[Error]:
    return [
        Error(problem, hint=HINT, id="core.E001")
        for alias in databases or []
        if (problem := canary_problem(alias)) is not None
    ]


def verify_encryption_keys() -> None:
    """For the web entry points: refuse to serve with keys that can't read the data."""
    try:
        problem = canary_problem()
    finally:
        # A server may fork workers after importing the application; they must
        # not share this connection. (Inside a transaction, as in tests, the
        # caller owns it.)
        if not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            connections[DEFAULT_DB_ALIAS].close()
    if problem:
        raise ImproperlyConfigured(f"{problem} {HINT}")


def write_canary(sender=None, using: str = DEFAULT_DB_ALIAS, apps=None, **kwargs) -> None:
    """After migrate (and a test flush): make sure the canary exists, sealed with the newest key."""
    from django.apps import apps as global_apps

    try:
        model = (apps or global_apps).get_model("core", "EncryptionCanary")
    except LookupError:
        return  # migrated to a state before the canary existed

    if not model.objects.using(using).exists():
        model.objects.using(using).create(value=CANARY_TEXT)
