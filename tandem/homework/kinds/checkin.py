"""A check-in as a homework step: each partner writes a few words, visible at
once by each one's choice; done when both have checked in."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy

from tandem.couples.visibility import Visibility
from tandem.homework.kinds.base import Action, Kind, Page, Seed
from tandem.homework.models import Assignment, Response
from tandem.homework.steps import locked, part_done, partner_done_first, require_active, require_kind, write_mine

KEY = "checkin"


def answer(assignment: Assignment, user, body: str, visibility: str = Visibility.SHARED) -> Response:
    """A short check-in as a homework step: visible at once, by each one's choice."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        part = require_active(assignment, user)
        response = write_mine(assignment, user, Response.Step.ANSWER, body, visibility)
        part_done(assignment, part)
    return response


def turn():
    """My check-in is the one missing: my partner's is in."""
    return partner_done_first()


def context(page: Page) -> dict:
    return {"checkins": [r for r in page.readable if r.step == "answer"]}


KIND = Kind(
    key=KEY,
    label=gettext_lazy("Check-in"),
    template="homework/kinds/checkin.html",
    context=context,
    actions={"checkin": Action(lambda a, u, d: answer(a, u, d["body"]), gettext_lazy("Checked in."))},
    seed=Seed(),
    turn=turn,
    your_move=gettext_lazy("Your partner has checked in: your turn"),
)
