"""How homework reacts to events elsewhere (connected in ``HomeworkConfig.ready``)."""

from __future__ import annotations

from django.db.models import F

from tandem.homework import holds
from tandem.homework.models import Assignment
from tandem.homework.programs import advance_running


def on_holds_changed(sender, couple, lifted: bool, **kwargs) -> None:
    """A lifted hold may open the next step of a running program."""
    if lifted:
        advance_running(couple)


def on_season_ended(sender, season, **kwargs) -> None:
    """Held homework resumes where it stopped: its due date moves on by the
    length of the season, so nothing lapses because of it."""
    Assignment.objects.open().filter(holds.intimate(), couple=season.couple, due_at__gt=season.started_at).update(
        due_at=F("due_at") + (season.ended_at - season.started_at)
    )
