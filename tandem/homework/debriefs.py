"""The debrief: each partner's private reflection once an assignment is done,
whatever its kind. A staged kind (touch) also asks whether the stage felt
comfortable, which is what its next stage waits for."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.couples.visibility import Visibility
from tandem.drafts import services as drafts
from tandem.drafts.models import slot
from tandem.homework import kinds
from tandem.homework.models import Assignment, Debrief
from tandem.homework.programs import advance_running
from tandem.homework.steps import HomeworkError, locked, my_part


def debrief(
    assignment: Assignment,
    user,
    *,
    feeling: int,
    word: str = "",
    note: str = "",
    visibility: str = Visibility.PRIVATE,
    comfortable: bool | None = None,
) -> Debrief:
    with transaction.atomic():
        assignment = locked(assignment)
        part = my_part(assignment, user)
        if assignment.status != Assignment.Status.COMPLETED:
            raise HomeworkError(_("The debrief opens once you have both done your parts."))
        staged = kinds.get(assignment.kind).staged
        if staged and comfortable is None:
            raise HomeworkError(_("Say whether this stage felt comfortable; the next one waits for both of you."))
        entry, _created = Debrief.objects.update_or_create(
            assignment=assignment,
            author=user,
            defaults={
                "couple": assignment.couple,
                "feeling": feeling,
                "word": word,
                "note": note,
                "visibility": visibility,
                "comfortable": comfortable if staged else None,
            },
        )
        part.debriefed_at = timezone.now()
        part.save(update_fields=["debriefed_at"])
        drafts.discard(user, assignment.couple, slot("debrief", assignment.pk))
        if entry.comfortable:
            # A "comfortable" may be what the next program stage waits for.
            advance_running(assignment.couple)
    return entry
