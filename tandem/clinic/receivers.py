"""How the clinic reacts to events elsewhere (connected in ``ClinicConfig.ready``)."""

from __future__ import annotations

from django.db import transaction

from tandem.clinic.schedules import give_due_for


def on_holds_changed(sender, couple, lifted: bool, **kwargs) -> None:
    """Scheduled homework that waited for a hold is offered once the hold lifts."""
    if lifted:
        couple_id = str(couple.pk)  # task arguments travel as JSON
        transaction.on_commit(lambda: give_due_for.enqueue(couple_id))
