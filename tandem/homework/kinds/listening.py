"""Reflective listening, in turns: role a speaks, role b says back what they
heard, a confirms ("that's it") or clarifies; then the roles swap. Complete
when both have been heard."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.db.models.lookups import In, IsNull
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.couples.visibility import Visibility
from tandem.homework.kinds.base import Action, Kind, Page, Seed
from tandem.homework.models import Assignment, Response
from tandem.homework.steps import HomeworkError, complete, locked, require_active

KEY = "listening"

Step = Response.Step


@dataclass(frozen=True)
class ListeningState:
    phase: int  # 1: role a speaks; 2: role b speaks; 3: both phases confirmed
    speaker_id: int | None
    listener_id: int | None
    waiting_for: str  # "message", "restatement", "confirmation" or "done"
    entries: list[Response]

    def my_turn(self, user) -> bool:
        if self.waiting_for in ("message", "confirmation"):
            return user.pk == self.speaker_id
        if self.waiting_for == "restatement":
            return user.pk == self.listener_id
        return False


# --- steps -----------------------------------------------------------------------------


def state(assignment: Assignment) -> ListeningState:
    parts = {p.role: p.user_id for p in assignment.parts.all()}
    entries = list(assignment.responses.filter(phase__in=[1, 2]).order_by("phase", "created_at", "pk"))
    for phase, (speaker, listener) in ((1, ("a", "b")), (2, ("b", "a"))):
        in_phase = [e for e in entries if e.phase == phase]
        last = in_phase[-1].step if in_phase else None
        if last == Step.CONFIRMATION:
            continue
        waiting = {None: "message", Step.MESSAGE: "restatement", Step.RESTATEMENT: "confirmation"}[last]
        return ListeningState(phase, parts[speaker], parts[listener], waiting, entries)
    return ListeningState(3, None, None, "done", entries)


def say(assignment: Assignment, user, step: str, body: str = "") -> Response:
    """Add the next turn: a message, a restatement, "that's it", or "not quite" (a new message)."""
    with transaction.atomic():
        assignment = locked(assignment)
        if assignment.kind != KEY:
            raise HomeworkError(_("This exercise is not a listening exercise."))
        require_active(assignment, user)
        turn = state(assignment)
        expected = turn.waiting_for
        # After a restatement the speaker may also clarify ("not quite"): a new message.
        allowed = {expected} | ({Step.MESSAGE} if expected == "confirmation" else set())
        if step not in allowed or not _is_turn(turn, user, step):
            raise HomeworkError(_("It's not your turn yet. Your partner's part comes first."))
        if step != Step.CONFIRMATION and not body.strip():
            raise HomeworkError(_("Write a few words first."))
        response = Response.objects.create(
            couple=assignment.couple,
            assignment=assignment,
            author=user,
            step=step,
            body=body.strip(),
            phase=turn.phase,
            # The partner must read it to restate it; that is the exercise.
            visibility=Visibility.SHARED,
        )
        if step == Step.CONFIRMATION and turn.phase == 2:
            complete(assignment)
    return response


# Whose move after the newest turn ("phase:step"; none yet: role a speaks first). The
# same walk as ``state``, as a table: ``tests/test_turns.py`` checks they agree.
NEXT_MOVE = {
    "a": ("1:restatement", "2:message"),  # a confirms (or clarifies); a restates b
    "b": ("1:message", "1:confirmation", "2:restatement"),  # b restates a; b speaks; b confirms
}


def turn() -> Q:
    """The speaker to speak or confirm, the listener to restate: one of the two, in turn."""
    newest = Subquery(
        Response.objects.filter(assignment=OuterRef("assignment"), phase__in=[1, 2])
        .order_by("-phase", "-created_at", "-pk")
        .annotate(key=Concat(Cast("phase", CharField()), Value(":"), "step", output_field=CharField()))
        .values("key")[:1],
        output_field=CharField(),
    )
    return (Q(role="a") & (Q(IsNull(newest, True)) | Q(In(newest, NEXT_MOVE["a"])))) | (
        Q(role="b") & Q(In(newest, NEXT_MOVE["b"]))
    )


def _is_turn(turn: ListeningState, user, step: str) -> bool:
    if step == Step.RESTATEMENT:
        return user.pk == turn.listener_id
    return user.pk == turn.speaker_id


# --- the page ----------------------------------------------------------------------------


def context(page: Page) -> dict:
    turn = state(page.assignment)
    return {"listening": turn, "my_turn": turn.my_turn(page.user), "turns": [r for r in page.readable if r.phase]}


KIND = Kind(
    key=KEY,
    label=gettext_lazy("Listening"),
    template="homework/kinds/listening.html",
    context=context,
    actions={
        "message": Action(lambda a, u, d: say(a, u, "message", d["body"]), gettext_lazy("Sent."), ask_first=True),
        # No wording hint: a restatement says back the partner's words ("you said you always…"),
        # so a hint about blaming ("you always") would scold the listener for listening well.
        "restatement": Action(lambda a, u, d: say(a, u, "restatement", d["body"]), gettext_lazy("Sent."), hint=False),
        "confirm": Action(
            lambda a, u, d: say(a, u, "confirmation"), gettext_lazy("Confirmed: you were heard."), needs_body=False
        ),
    },
    seed=Seed(responses=(("message", "a"), ("restatement", "b"), ("confirmation", "a"), ("message", "b")), phased=True),
    turn=turn,
    your_move=gettext_lazy("Your turn in a listening exercise"),
)
