"""Lapse homework whose due date has passed (for cron, beside the worker)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tandem.homework.services import lapse_all_due


class Command(BaseCommand):
    help = "Lapse open homework past its due date (not held by a hard season). Safe to run at any time."

    def handle(self, *args, **options) -> None:
        self.stdout.write(f"Lapsed {lapse_all_due.call()} homework.")
