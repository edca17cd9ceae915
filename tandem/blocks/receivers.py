"""How the calendar reacts to events elsewhere (connected in ``BlocksConfig.ready``)."""

from __future__ import annotations

from tandem.blocks.reminders import cancel_held, replan_couple


def on_holds_changed(sender, couple, lifted: bool, **kwargs) -> None:
    """Nothing intimate lands in an inbox while held; reminders come back when lifted."""
    if lifted:
        replan_couple(couple)
    else:
        cancel_held(couple)
