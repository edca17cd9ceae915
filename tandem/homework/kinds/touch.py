"""Touch (sensate focus), in stages: each partner privately says "ready
today"; the session opens when both did for their own today; both say "we
did it". A stage opens once both marked the stage before as comfortable in
their debriefs (and, when the linked therapist asked for it, the therapist
approved it)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.homework.kinds.base import Action, Kind, Page, Seed
from tandem.homework.models import Assignment, Part
from tandem.homework.steps import (
    NOT_DONE_TOGETHER,
    HomeworkError,
    locked,
    my_part,
    part_done,
    partner_done_first,
    require_active,
    require_kind,
)

KEY = "touch"


def today_for(user) -> date:
    """Today in the partner's own time zone: "ready today" means their today."""
    return user.today()


def session_open(assignment: Assignment, today=today_for, parts: list | None = None) -> bool:
    """Both partners said "ready" for their own today.

    ``parts``: the assignment's parts with their users, when the caller has them."""
    if parts is None:
        parts = list(assignment.parts.select_related("user"))
    return len(parts) == 2 and all(p.ready_on is not None and p.ready_on == today(p.user) for p in parts)


# --- steps -----------------------------------------------------------------------------


def ready_today(assignment: Assignment, user) -> Part:
    """Privately say "ready today". Saying nothing is "another day"."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        part = require_active(assignment, user)
        part.ready_on = today_for(user)
        part.save(update_fields=["ready_on"])
        if assignment.session_opened_at is None and session_open(assignment):
            # Remember that the session began, so "we did it" still works after midnight.
            assignment.session_opened_at = timezone.now()
            assignment.save(update_fields=["session_opened_at"])
    return part


def not_today(assignment: Assignment, user) -> Part:
    """Withdraw today's "ready"; the partner only ever sees "another day"."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        part = my_part(assignment, user)
        if assignment.status != Assignment.Status.ACTIVE or assignment.session_opened_at:
            raise HomeworkError(_("Today's session has already started; you can still stop at any moment."))
        part.ready_on = None
        part.save(update_fields=["ready_on"])
    return part


def mark_done(assignment: Assignment, user) -> Assignment:
    """ "We did it" from one partner; the homework completes when both have said so."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY, NOT_DONE_TOGETHER)
        part = require_active(assignment, user)
        if assignment.session_opened_at is None:
            raise HomeworkError(_("The session starts when both of you are ready on the same day."))
        part_done(assignment, part)
    return assignment


def turn() -> Q:
    """ "We did it" from my partner, once the session began. A "ready today" is
    private until both said it: it never makes anyone's turn."""
    return Q(assignment__session_opened_at__isnull=False) & partner_done_first()


# --- the page ----------------------------------------------------------------------------


def context(page: Page) -> dict:
    return {
        "i_am_ready": page.mine.ready_on == today_for(page.user),
        "session_open": session_open(page.assignment, parts=page.parts),
    }


KIND = Kind(
    key=KEY,
    label=gettext_lazy("Touch"),
    template="homework/kinds/touch.html",
    context=context,
    actions={
        "ready": Action(lambda a, u, d: ready_today(a, u), gettext_lazy("Noted: ready today."), needs_body=False),
        "not-today": Action(lambda a, u, d: not_today(a, u), gettext_lazy("Another day, then."), needs_body=False),
        "done": Action(lambda a, u, d: mark_done(a, u), gettext_lazy("Marked as done."), needs_body=False),
    },
    seed=Seed(),
    staged=True,
    turn=turn,
    your_move=gettext_lazy("Your turn to mark it done"),
)
