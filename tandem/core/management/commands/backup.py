"""``manage.py backup``: a consistent, timestamped copy of the database."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tandem.core import backup


class Command(BaseCommand):
    help = "Write a timestamped backup of the database (SQLite online backup, or pg_dump on PostgreSQL)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dir", default=str(settings.BACKUP_DIR), help="Where to write (default: BACKUP_DIR).")

    def handle(self, *args, **options) -> None:
        try:
            path = backup.backup(Path(options["dir"]), echo=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Backup written: {path}"))
