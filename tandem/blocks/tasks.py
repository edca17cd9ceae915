"""Background work of the shared calendar (run by ``manage.py db_worker``)."""

from __future__ import annotations

from django.tasks import task

from tandem.blocks import reminders


@task()
def send_reminder(reminder_id: int) -> str:
    """Send one planned reminder, at most once (see ``reminders.handle``)."""
    return reminders.handle(reminder_id)


@task()
def send_due_reminders() -> dict[str, int]:
    """The catch-up sweep: every pending reminder that is due."""
    return reminders.send_due()
