"""Backups are consistent copies, and `restore --verify` proves they restore."""

import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase

from tandem.testkit.base import make_couple, make_person


class BackupTests(TransactionTestCase):
    def setUp(self):
        self.dir = Path(tempfile.mkdtemp())
        make_couple(make_person("b1@example.org", "Ash"), make_person("b2@example.org", "Bea"))

    def run_backup(self) -> Path:
        out = StringIO()
        call_command("backup", dir=str(self.dir), stdout=out)
        (path,) = self.dir.iterdir()
        self.assertIn(f"Backup written: {path}", out.getvalue())
        return path

    def test_backup_then_verify_on_a_scratch_copy(self):
        path = self.run_backup()
        self.assertEqual(path.stat().st_mode & 0o777, 0o600)  # readable by its owner only
        out = StringIO()
        call_command("restore", str(path), verify=True, stdout=out)
        self.assertIn("The backup restores and reads back.", out.getvalue())
        self.assertIn("migrations recorded", out.getvalue())

    def test_a_failed_backup_leaves_no_readable_file_and_the_directory_is_private(self):
        from unittest import mock

        from tandem.core import backup

        target = self.dir / "new"
        modes = []

        def fail(*args, **kwargs):
            # Whatever was created so far is already owner-only.
            modes.extend(p.stat().st_mode & 0o777 for p in target.iterdir())
            raise backup.BackupError("disk full")

        with (
            mock.patch.object(backup, "is_postgres", return_value=True),
            mock.patch.object(backup.subprocess, "run", side_effect=fail),
            self.assertRaises(backup.BackupError),
        ):
            backup.backup(target, echo=lambda _line: None)
        self.assertEqual(modes, [0o600])
        self.assertEqual(list(target.iterdir()), [])  # and the partial file is gone
        self.assertEqual(target.stat().st_mode & 0o777, 0o700)

    def test_a_damaged_backup_is_refused(self):
        path = self.run_backup()
        data = bytearray(path.read_bytes())
        damaged = self.dir / ("damaged" + path.suffix)
        damaged.write_bytes(bytes(data[: len(data) // 3]))
        with self.assertRaises(CommandError):
            call_command("restore", str(damaged), verify=True, stdout=StringIO())

    def test_a_missing_file_is_refused_clearly(self):
        with self.assertRaisesMessage(CommandError, "No such backup"):
            call_command("restore", str(self.dir / "nope.sqlite3"), verify=True, stdout=StringIO())

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump runs against PostgreSQL (CI runs it)")
    def test_postgres_prints_the_command_it_runs(self):
        out = StringIO()
        call_command("backup", dir=str(self.dir), stdout=out)
        self.assertIn("Running: pg_dump --format=custom --no-owner --no-privileges", out.getvalue())
