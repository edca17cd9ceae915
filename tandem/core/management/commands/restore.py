"""``manage.py restore --verify FILE``: prove a backup restores, on a scratch copy.

Restoring over the live database is deliberately not a command: it is done
by hand, with the site stopped (the README says how), after this check.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tandem.core import backup


class Command(BaseCommand):
    help = "Restore a backup into a scratch database and check it (the live database is never touched)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="A file written by `manage.py backup`.")
        parser.add_argument("--verify", action="store_true", required=True, help="Restore to a scratch copy and check.")

    def handle(self, *args, **options) -> None:
        try:
            backup.verify(Path(options["file"]), echo=self.stdout.write)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS("The backup restores and reads back."))
