"""Doing something together: one partner plans it this time (the planning
alternates), both say "we did it", and it is done."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.couples.visibility import Visibility
from tandem.homework.kinds.base import Action, Kind, Page, Seed
from tandem.homework.models import Assignment, Response
from tandem.homework.steps import (
    NOT_DONE_TOGETHER,
    HomeworkError,
    locked,
    part_done,
    partner_done_first,
    require_active,
    require_kind,
    write_mine,
    wrote,
)

KEY = "activity"


def next_planner(couple, ordered: list):
    """Alternate the planning load: whoever planned the last activity rests now."""
    last = (
        Assignment.objects.filter(couple=couple, exercise__kind=KEY, planner__isnull=False)
        .order_by("-created_at")
        .values_list("planner_id", flat=True)
        .first()
    )
    if last is None:
        return ordered[0]
    return next((p for p in ordered if p.pk != last), ordered[0])


# --- steps -----------------------------------------------------------------------------


def plan(assignment: Assignment, user, body: str) -> Response:
    """The planner shares the plan (what, when, where). Only the planner plans."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        require_active(assignment, user)
        if assignment.planner_id != user.pk:
            raise HomeworkError(_("Your partner is planning this one; you plan the next."))
        return write_mine(assignment, user, Response.Step.PLAN, body, Visibility.SHARED)


def mark_done(assignment: Assignment, user) -> Assignment:
    """ "We did it" from one partner; the homework completes when both have said so."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY, NOT_DONE_TOGETHER)
        part = require_active(assignment, user)
        part_done(assignment, part)
    return assignment


def turn() -> Q:
    """The planner, until the plan is shared; then whoever has not said "we did it" after the other."""
    planning = Q(assignment__planner=F("user")) & ~Q(wrote(Response.Step.PLAN, mine=True))
    return planning | partner_done_first()


# --- the page ----------------------------------------------------------------------------


def context(page: Page) -> dict:
    return {
        "plan": next((r for r in page.readable if r.step == "plan"), None),
        "i_plan": page.assignment.planner_id == page.user.pk,
    }


KIND = Kind(
    key=KEY,
    label=gettext_lazy("Together"),
    template="homework/kinds/activity.html",
    context=context,
    actions={
        "plan": Action(lambda a, u, d: plan(a, u, d["body"]), gettext_lazy("Your plan is shared.")),
        "done": Action(lambda a, u, d: mark_done(a, u), gettext_lazy("Marked as done."), needs_body=False),
    },
    seed=Seed(responses=(("plan", "a"),)),
    planner=next_planner,
    turn=turn,
    your_move=gettext_lazy("Your turn in something you do together"),
)
