"""Backups: an online copy of the database, and a check that a copy restores.

SQLite uses its online backup API, so a copy can be taken while the site
runs and is always consistent. PostgreSQL uses ``pg_dump`` in its custom
format (compressed, restorable table by table with ``pg_restore``).

A backup is only as good as its restore, so ``restore --verify`` restores a
backup into a scratch database (never the live one) and checks it: the
archive opens, the schema is there, migrations are recorded, and rows can be
counted in every table.

Backups hold everything the database holds. Free text is encrypted at rest,
but names, e-mail addresses and the shape of each couple's activity are not:
store backups as carefully as the database itself (the files are written
readable by their owner only).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection
from django.utils import timezone


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class Verified:
    tables: int
    rows: int
    migrations: int


def _stamp(now: dt.datetime | None = None) -> str:
    return (now or timezone.now()).strftime("%Y%m%d-%H%M%S")


def _private(path: Path) -> None:
    path.chmod(0o600)


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def pg_env() -> dict[str, str]:
    """libpq environment for the configured database (password never on a command line)."""
    db = connection.settings_dict
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    sslmode = (db.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return env


def pg_dump_command(target: Path) -> list[str]:
    return ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}", _db_name()]


def _db_name() -> str:
    return str(connection.settings_dict["NAME"])


def backup(directory: Path, *, now: dt.datetime | None = None, echo=print) -> Path:
    """Write a timestamped backup into ``directory`` and return its path."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    if is_postgres():
        target = _new_private_file(directory / f"tandem-{_stamp(now)}.pgdump")
        command = pg_dump_command(target)
        echo("Running: " + " ".join(command))
        try:
            result = subprocess.run(command, env=pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        except BaseException:
            target.unlink(missing_ok=True)  # a partial dump is no backup
            raise
    else:
        target = _new_private_file(directory / f"tandem-{_stamp(now)}.sqlite3")
        connection.ensure_connection()
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                connection.connection.backup(copy)  # consistent even while the site writes
        finally:
            copy.close()
    _private(target)
    return target


def _new_private_file(path: Path) -> Path:
    """Create ``path`` empty and readable by its owner only, before a byte is written.

    Setting the mode afterwards would leave a window (and, if the dump
    fails half-way, a partial file) readable by anyone on the machine.
    """
    os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    return path


def verify(path: Path, *, echo=print) -> Verified:
    """Restore ``path`` into a scratch database and check it. Never touches the live database."""
    if not path.exists():
        raise BackupError(f"No such backup: {path}")
    if path.suffix == ".pgdump":
        return _verify_postgres(path, echo)
    return _verify_sqlite(path, echo)


def _verify_sqlite(path: Path, echo) -> Verified:
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "restore.sqlite3"
        shutil.copyfile(path, copy)  # the check runs on a copy: the backup stays untouched
        db = sqlite3.connect(str(copy))
        try:
            if db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError("The backup is damaged (SQLite integrity check failed).")
            tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
            return _counts(tables, lambda table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0], echo)  # noqa: S608
        except sqlite3.DatabaseError as error:
            raise BackupError(f"The backup can't be read as a database: {error}") from error
        finally:
            db.close()


def _counts(tables: list[str], count, echo) -> Verified:
    if "django_migrations" not in tables:
        raise BackupError("The backup has no migration history: it is not a Tandem database.")
    rows = 0
    for table in sorted(tables):
        rows += count(table)
    migrations = count("django_migrations")
    echo(f"Restored copy is sound: {len(tables)} tables, {rows} rows, {migrations} migrations recorded.")
    return Verified(len(tables), rows, migrations)


def _verify_postgres(path: Path, echo) -> Verified:
    import psycopg

    listing = subprocess.run(["pg_restore", "--list", str(path)], capture_output=True, text=True, check=False)  # noqa: S603,S607
    if listing.returncode != 0:
        raise BackupError(f"pg_restore can't read the archive: {listing.stderr.strip()}")
    scratch = f"tandem_verify_{_stamp()}".replace("-", "_")
    env = pg_env()
    db = connection.settings_dict
    params = {k.lower(): db[k] for k in ("HOST", "PORT", "USER", "PASSWORD") if db.get(k)}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{scratch}"')
    try:
        result = subprocess.run(  # noqa: S603
            ["pg_restore", "--no-owner", "--no-privileges", f"--dbname={scratch}", str(path)],  # noqa: S607
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
        with psycopg.connect(dbname=scratch, **params) as restored:
            tables = [
                row[0]
                for row in restored.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
            ]
            return _counts(
                tables,
                lambda table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0],  # noqa: S608
                echo,
            )
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
