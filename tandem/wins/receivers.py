"""How wins react to events elsewhere (connected in ``WinsConfig.ready``)."""

from __future__ import annotations

from tandem.wins.services import record_milestones


def on_season_ended(sender, season, **kwargs) -> None:
    """A hard season weathered together is a milestone."""
    record_milestones(season.couple)


def on_homework_completed(sender, assignment, **kwargs) -> None:
    """A completed homework may be a milestone worth celebrating."""
    record_milestones(assignment.couple)
