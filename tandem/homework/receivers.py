"""How homework reacts to events elsewhere (connected in ``HomeworkConfig.ready``)."""

from __future__ import annotations

from django.db.models import F

from tandem.homework import holds
from tandem.homework.models import Assignment
from tandem.homework.programs import advance, advance_running
from tandem.homework.services import plan_lapse


def on_homework_completed(sender, assignment, **kwargs) -> None:
    """A program moves on once both partners completed its current step."""
    if assignment.program_run_id:
        advance(assignment.program_run)


def on_holds_changed(sender, couple, lifted: bool, **kwargs) -> None:
    """A lifted hold may open the next step of a running program."""
    if lifted:
        advance_running(couple)


def on_season_ended(sender, season, **kwargs) -> None:
    """Held homework resumes where it stopped: its due date moves on by the
    length of the season, so nothing lapses because of it."""
    moving = Assignment.objects.open().filter(holds.intimate(), couple=season.couple, due_at__gt=season.started_at)
    moved = list(moving)
    moving.update(due_at=F("due_at") + (season.ended_at - season.started_at))
    for assignment in Assignment.objects.filter(pk__in=[a.pk for a in moved]):
        plan_lapse(assignment)  # the worker lapses it at its new due date
