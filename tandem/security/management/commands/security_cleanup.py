"""Delete throttle attempts past their window and records of expired sessions.

Safe to run as often as you like (cron, with ``send_reminders``); attempts
are also dropped as new ones are written, so this only keeps tables small.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tandem.security import sessions, throttle


class Command(BaseCommand):
    help = "Delete expired throttle attempts and session records."

    def handle(self, *args, **options) -> None:
        attempts = throttle.clean_up()
        records = sessions.clean_up()
        self.stdout.write(f"Deleted {attempts} old attempts and {records} expired session records.")
