"""The joint journal: one partner (role a) names the moment, the other sees it
and agrees to it or suggests another; then each writes their side of it,
sealed until both are in; each restates the other's side; together they list
what they'll try next time, and it is done when both are happy with the list."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.couples.visibility import Visibility
from tandem.homework.kinds.base import Action, Kind, Page, Seed
from tandem.homework.models import Assignment, Response
from tandem.homework.steps import (
    HomeworkError,
    locked,
    part_done,
    partner_done_first,
    require_active,
    require_kind,
    write_mine,
    wrote,
)

KEY = "joint_journal"

Step = Response.Step


# --- steps -----------------------------------------------------------------------------


def agree_on(assignment: Assignment, moment: str = "The moment we look at") -> None:
    """The partner who chooses (role a) names the moment and the other agrees: the
    journal's first two steps, for tests and the demo."""
    parts = {part.role: part.user for part in assignment.parts.select_related("user")}
    suggest_moment(assignment, parts["a"], moment)
    agree_moment(assignment, parts["b"])


def moment_state(responses) -> tuple[Response | None, bool]:
    """The moment suggested last (or None) and whether the other partner agreed to it."""
    moments = [r for r in responses if r.step == Step.MOMENT]
    latest = max(moments, key=lambda r: r.pk) if moments else None
    agreed = latest is not None and any(
        r.step == Step.MOMENT_OK and r.pk > latest.pk and r.author_id != latest.author_id for r in responses
    )
    return latest, agreed


def suggest_moment(assignment: Assignment, user, body: str) -> Response:
    """Name the moment to look at (role a first); the other may suggest another instead.

    Shared at once: the other partner must read it to agree to it."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        part = require_active(assignment, user)
        latest, agreed = moment_state(list(assignment.responses.filter(step__in=[Step.MOMENT, Step.MOMENT_OK])))
        if agreed or assignment.responses.filter(step=Step.PERSPECTIVE).exists():
            raise HomeworkError(_("You have already agreed on what you look at; write your side now."))
        if latest is None and part.role != "a":
            raise HomeworkError(_("Your partner suggests what you look at first; you'll see it here."))
        if latest is not None and latest.author_id == user.pk:
            raise HomeworkError(_("Your partner agrees to what you suggested, or suggests something else."))
        return Response.objects.create(
            couple=assignment.couple,
            assignment=assignment,
            author=user,
            step=Step.MOMENT,
            body=body,
            visibility=Visibility.SHARED,
        )


def agree_moment(assignment: Assignment, user) -> Response:
    """The moment the partner suggested is all right with me."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        require_active(assignment, user)
        latest, agreed = moment_state(list(assignment.responses.filter(step__in=[Step.MOMENT, Step.MOMENT_OK])))
        if latest is None:
            raise HomeworkError(_("There is nothing to agree to yet."))
        if agreed:
            raise HomeworkError(_("You have already agreed on what you look at; write your side now."))
        if latest.author_id == user.pk:
            raise HomeworkError(_("Your partner agrees to what you suggested, or suggests something else."))
        return Response.objects.create(
            couple=assignment.couple,
            assignment=assignment,
            author=user,
            step=Step.MOMENT_OK,
            body="",
            visibility=Visibility.SHARED,
        )


def perspective(assignment: Assignment, user, body: str) -> Response:
    """My side of the story; sealed until both sides are in, like write-then-share."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        require_active(assignment, user)
        if assignment.revealed_at:
            raise HomeworkError(_("Both perspectives are already shared; restate your partner's now."))
        # Both write about the same moment: not before it is agreed. A side already
        # in means a journal begun before the moment was asked for (it reads as agreed).
        sides = assignment.responses.filter(step=Step.PERSPECTIVE)
        _latest, agreed = moment_state(list(assignment.responses.filter(step__in=[Step.MOMENT, Step.MOMENT_OK])))
        if not agreed and not sides.exists():
            raise HomeworkError(_("First agree together on the moment you look at; then write your side of it."))
        response = write_mine(assignment, user, Step.PERSPECTIVE, body, Visibility.SEALED)
        perspectives = list(sides)
        if len(perspectives) == 2:
            for each in perspectives:
                each.visibility = Visibility.SHARED
                each.save(update_fields=["visibility", "updated_at"])
            assignment.revealed_at = timezone.now()
            assignment.save(update_fields=["revealed_at"])
            response.refresh_from_db()
    return response


def restate(assignment: Assignment, user, body: str) -> Response:
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        require_active(assignment, user)
        if not assignment.revealed_at:
            raise HomeworkError(_("You can restate your partner's side once both perspectives are in."))
        if assignment.responses.filter(step=Step.RESTATEMENT, author=user).exists():
            raise HomeworkError(_("You have already restated your partner's perspective."))
        return Response.objects.create(
            couple=assignment.couple,
            assignment=assignment,
            author=user,
            step=Step.RESTATEMENT,
            body=body,
            visibility=Visibility.SHARED,
        )


def next_time(assignment: Assignment, user, body: str) -> Response:
    """Add a line to "what we'll try next time"; each line keeps its author."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        require_active(assignment, user)
        if assignment.responses.filter(step=Step.RESTATEMENT).count() < 2:
            raise HomeworkError(_("First each of you restates the other's perspective; then plan next time together."))
        return Response.objects.create(
            couple=assignment.couple,
            assignment=assignment,
            author=user,
            step=Step.NEXT_TIME,
            body=body,
            visibility=Visibility.SHARED,
        )


def done(assignment: Assignment, user) -> Assignment:
    """I'm happy with our list; complete when both are."""
    with transaction.atomic():
        assignment = locked(assignment)
        require_kind(assignment, KEY)
        part = require_active(assignment, user)
        if not assignment.responses.filter(step=Step.NEXT_TIME).exists():
            raise HomeworkError(_("Add at least one thing you'll try next time first."))
        part_done(assignment, part)
    return assignment


def turn() -> Q:
    """My side, once my partner's sealed side is in; restating theirs, once both are
    shared; saying "happy with our list" once my partner has."""
    sealed = Q(assignment__revealed_at__isnull=True)
    my_side = sealed & ~Q(wrote(Step.PERSPECTIVE, mine=True)) & Q(wrote(Step.PERSPECTIVE, mine=False))
    restating = ~sealed & ~Q(wrote(Step.RESTATEMENT, mine=True))
    return my_side | restating | partner_done_first()


# --- the page ----------------------------------------------------------------------------


def context(page: Page) -> dict:
    moment, agreed = moment_state(page.readable)
    my_perspective = page.one(page.user, "perspective")
    partner_has_perspective = page.partner_has("perspective")
    return {
        "moment": moment,
        # Journals begun before the moment was asked for go straight to the sides.
        "moment_agreed": agreed or bool(my_perspective) or partner_has_perspective,
        "moment_mine": moment is not None and moment.author_id == page.user.pk,
        "i_choose": page.mine.role == "a",
        "my_perspective": my_perspective,
        "partner_perspective": page.one(page.partner, "perspective"),
        "partner_has_perspective": partner_has_perspective,
        "my_restatement": page.one(page.user, "restatement"),
        "partner_restatement": page.one(page.partner, "restatement"),
        "next_time": [r for r in page.readable if r.step == "next_time"],
    }


KIND = Kind(
    key=KEY,
    label=gettext_lazy("Joint journal"),
    template="homework/kinds/joint_journal.html",
    context=context,
    actions={
        "moment": Action(lambda a, u, d: suggest_moment(a, u, d["body"]), gettext_lazy("Suggested.")),
        "moment-ok": Action(lambda a, u, d: agree_moment(a, u), gettext_lazy("Agreed."), needs_body=False),
        "perspective": Action(lambda a, u, d: perspective(a, u, d["body"]), gettext_lazy("Saved.")),
        "restate": Action(lambda a, u, d: restate(a, u, d["body"]), gettext_lazy("Saved.")),
        "next-time": Action(lambda a, u, d: next_time(a, u, d["body"]), gettext_lazy("Added to your list.")),
        "journal-done": Action(lambda a, u, d: done(a, u), gettext_lazy("Noted."), needs_body=False),
    },
    # The moment steps are left out: the synthetic data keeps the shape the
    # benchmarks know, and a journal with sides but no moment reads as agreed.
    seed=Seed(responses=(("perspective", "a"), ("perspective", "b"), ("next_time", "a"))),
    turn=turn,
    your_move=gettext_lazy("Your turn in your joint journal"),
)
