"""The reminder safety net, for cron or a systemd timer.

The task worker sends reminders on its own; this sweep covers the case
where queued tasks were lost (a queue emptied, a backend switched): it
plans any missing reminders and sends those that are due, exactly once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tandem.blocks import reminders
from tandem.blocks.models import Block


class Command(BaseCommand):
    help = "Plan missing block reminders and send the ones that are due (safe to run at any time)."

    def handle(self, *args, **options) -> None:
        wanted = Block.objects.active().filter(
            couple__memberships__user__calendar_settings__remind=True, couple__memberships__active=True
        )
        planned = 0
        for block in wanted.distinct().select_related("couple"):
            planned += len(reminders.plan(block))
        counts = reminders.send_due()
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())) or "nothing due"
        self.stdout.write(f"Planned {planned} reminders; {summary}.")
