"""Offer every therapist-scheduled homework that has come due (for cron)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tandem.clinic import schedules


class Command(BaseCommand):
    help = "Offer scheduled homework that has come due. Safe to run at any time; nothing is offered twice."

    def handle(self, *args, **options) -> None:
        given = schedules.give_due()
        self.stdout.write(f"Offered {given} scheduled homework.")
