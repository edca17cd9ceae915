"""Tell what newly waits, and send what is due (for cron, beside the worker)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tandem.notifications import delivery
from tandem.turns.tell import tell_everyone


class Command(BaseCommand):
    help = (
        "Queue a notification for each waiting item not told yet (a questionnaire that fell due, homework given "
        "on its day), then send due notifications whose task was lost or whose worker died. Never tells twice."
    )

    def handle(self, *args, **options) -> None:
        queued = tell_everyone()
        sent = delivery.send_due()
        noun = "notification" if queued == 1 else "notifications"
        self.stdout.write(f"Queued {queued} {noun}; sending due ones: {sent or 'none'}.")
