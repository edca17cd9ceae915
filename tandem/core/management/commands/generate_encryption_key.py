"""``manage.py generate_encryption_key``: a new random key, ready for TANDEM_ENCRYPTION_KEYS."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tandem.core import crypto


class Command(BaseCommand):
    help = "Print a new random AES-256 key as an id:key entry for TANDEM_ENCRYPTION_KEYS."
    # Nothing to check: it only prints random bytes.
    requires_system_checks = []

    def add_arguments(self, parser) -> None:
        parser.add_argument("--id", help="The key id (default: k + today's date, e.g. k20260105).")

    def handle(self, *args, **options) -> None:
        key_id = options["id"] or f"k{timezone.now():%Y%m%d}"
        if not crypto.KEY_ID.match(key_id):
            raise CommandError("The key id must be 1-32 letters, digits, '-' or '_'.")
        # Only the entry on stdout, so `... >> keyfile` works; advice goes to stderr.
        self.stdout.write(f"{key_id}:{crypto.generate_key()}")
        self.stderr.write(
            "Put it first in TANDEM_ENCRYPTION_KEYS (newest first, comma-separated), keep the older keys after "
            "it, restart, then run `manage.py rotate_encryption_key`. Keep a copy of every key with your backups: "
            "without it, the backups can't be read."
        )
