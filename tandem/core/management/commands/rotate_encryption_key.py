"""``manage.py rotate_encryption_key``: re-seal every encrypted value with the newest key.

Put the new key first in TANDEM_ENCRYPTION_KEYS (keeping the old ones after
it), restart, run this, then drop the old keys. New writes already use the
new key from the restart on; this moves what was written before.

Batches of ``--batch-size`` rows are committed one at a time, by primary key,
so a large table never sits in one transaction and an interrupted run simply
continues where it stopped: values already under the newest key are not
selected again. A row edited while the command runs is left alone (the edit
was sealed with the newest key already). Plaintext found where tokens belong
(a write that bypassed the field) is sealed too.

A value that no configured key opens is reported by model, field and primary
key (never its words), the others are still rotated, and the command exits
non-zero.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from tandem.core import crypto
from tandem.core.fields import EncryptedColumn, count_raw, encrypted_columns, raw_rows, write_raw

CANARY_COLUMN = "core.EncryptionCanary.value"


class Command(BaseCommand):
    help = "Re-encrypt every encrypted value with the newest key in TANDEM_ENCRYPTION_KEYS (resumable, in batches)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=500, help="Rows per committed batch (default 500).")
        parser.add_argument("--dry-run", action="store_true", help="Only count the values still to re-encrypt.")
        parser.add_argument(
            "--max-batches",
            type=int,
            default=0,
            help="Stop after this many batches (0: no limit); run again to continue.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, batch_size: int, dry_run: bool, max_batches: int, database: str, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        ring = crypto.current_ring()
        prefix = f"{crypto.PREFIX}{ring.newest_id}:"
        connection = connections[database]
        # The canary goes last, and only after every other value opened: the
        # start-up check reads the canary alone, so a canary under the newest
        # key must mean that nothing needs an older key any more. Until then
        # dropping an old key keeps failing at start-up instead of page by page.
        columns = sorted(encrypted_columns(), key=lambda column: column.name == CANARY_COLUMN)
        self.stdout.write(f"Newest key: {ring.newest_id!r} (configured: {', '.join(ring.ids)}).")

        if dry_run:
            total = 0
            for column in columns:
                pending = count_raw(connection, column, skip_prefix=prefix)
                total += pending
                if pending:
                    self.stdout.write(f"{column.name}: {pending} to re-encrypt")
            self.stdout.write(f"{total} values to re-encrypt with {ring.newest_id!r}.")
            return

        self.failures: list[str] = []
        self.batches = 0
        rotated = 0
        for column in columns:
            if column.name == CANARY_COLUMN and self.failures:
                self.stdout.write("The canary keeps its key until every value opens: start-up still needs the old key.")
                continue
            done, stopped = self._rotate(connection, column, ring, prefix, batch_size, max_batches)
            rotated += done
            if stopped:
                self.stdout.write(
                    f"Stopped after {self.batches} batches ({rotated} values re-encrypted); run again to continue."
                )
                break
        else:
            self.stdout.write(f"{rotated} values re-encrypted with {ring.newest_id!r}.")
        if self.failures:
            listing = "\n".join(f"  {failure}" for failure in self.failures)
            raise CommandError(
                f"{len(self.failures)} values could not be decrypted with any configured key:\n{listing}"
            )

    def _rotate(self, connection, column: EncryptedColumn, ring, prefix: str, batch_size: int, max_batches: int):
        done, after = 0, None
        while rows := raw_rows(connection, column, after=after, batch_size=batch_size, skip_prefix=prefix):
            with transaction.atomic(using=connection.alias):
                for pk, stored in rows:
                    if crypto.is_token(stored):
                        try:
                            plain = crypto.decrypt(stored, column.label, ring=ring)
                        except crypto.EncryptionError as error:
                            # The error names the column and key id, never the words.
                            self.failures.append(f"{column.name} pk={pk}: {error}")
                            continue
                    else:
                        plain = stored  # stored unencrypted by a write that bypassed the field
                    if write_raw(connection, column, pk, stored, crypto.encrypt(plain, column.label, ring=ring)):
                        done += 1
            after = rows[-1][0]
            self.batches += 1
            self.stdout.write(f"{column.name}: {done} re-encrypted (up to pk {after})")
            if max_batches and self.batches >= max_batches:
                return done, True
        return done, False
