"""The privacy deadlines, for cron or a systemd timer (daily is enough).

Narrows closed couple spaces past ``BREAKUP_READ_DAYS`` to each partner's own
entries and empties those past ``CLOSED_SPACE_RETENTION_DAYS`` or with no
partner left (see ``tandem/privacy/retention.py``). Safe to run at any time.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tandem.privacy import retention


class Command(BaseCommand):
    help = "Carry out the break-up and closed-space retention deadlines that have passed."

    def handle(self, *args, **options) -> None:
        done = retention.purge_due()
        self.stdout.write(f"Narrowed {done['narrowed']} closed spaces; emptied {done['emptied']}.")
