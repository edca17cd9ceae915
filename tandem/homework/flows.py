"""The step-by-step flows of each exercise kind beyond write-then-share.

``services.py`` holds the lifecycle every kind shares (propose, opt in,
pause, lapse) and the write-then-share reveal; this module holds what the
other kinds do while an assignment is under way. Every function locks the
assignment row first, so two partners acting at once can't skip or repeat a
step, and raises ``HomeworkError`` with the sentence to show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.couples.visibility import Visibility
from tandem.homework.models import Assignment, Debrief, Part, Response
from tandem.homework.services import HomeworkError, _locked, _part, _require_active, on_completed

Step = Response.Step

# --- reflective listening ------------------------------------------------------

# Absolutes and blame that tend to start a fight rather than a conversation.
_BLAME = re.compile(
    r"\byou\s+(always|never|should(?:n't| not)?|make me|don't even|didn't even)\b|\bit'?s\s+(all\s+)?your\s+fault\b",
    re.IGNORECASE,
)


def blame_hint(text: str) -> str | None:
    """A gentle suggestion when a message blames; never blocks anything."""
    match = _BLAME.search(text or "")
    if not match:
        return None
    return _(
        "“%(words)s” can sound like blame. You could try an I-statement instead, "
        "such as “I feel … when … because …”. It's only a suggestion: send it as you like."
    ) % {"words": match.group(0)}


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


def listening_state(assignment: Assignment) -> ListeningState:
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


def listening_say(assignment: Assignment, user, step: str, body: str = "") -> Response:
    """Add the next turn: a message, a restatement, "that's it", or "not quite" (a new message)."""
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.kind != "listening":
            raise HomeworkError(_("This exercise is not a listening exercise."))
        _require_active(assignment, user)
        state = listening_state(assignment)
        expected = state.waiting_for
        # After a restatement the speaker may also clarify ("not quite"): a new message.
        allowed = {expected} | ({Step.MESSAGE} if expected == "confirmation" else set())
        if step not in allowed or not _is_turn(state, user, step):
            raise HomeworkError(_("It's not your turn yet. Your partner's part comes first."))
        if step != Step.CONFIRMATION and not body.strip():
            raise HomeworkError(_("Write a few words first."))
        response = Response.objects.create(
            couple=assignment.couple,
            assignment=assignment,
            author=user,
            step=step,
            body=body.strip(),
            phase=state.phase,
            # The partner must read it to restate it; that is the exercise.
            visibility=Visibility.SHARED,
        )
        if step == Step.CONFIRMATION and state.phase == 2:
            _complete(assignment)
    return response


def _is_turn(state: ListeningState, user, step: str) -> bool:
    if step == Step.RESTATEMENT:
        return user.pk == state.listener_id
    return user.pk == state.speaker_id


# --- joint journal -------------------------------------------------------------


def journal_perspective(assignment: Assignment, user, body: str) -> Response:
    """My side of the story; sealed until both sides are in, like write-then-share."""
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_kind(assignment, "joint_journal")
        _require_active(assignment, user)
        if assignment.revealed_at:
            raise HomeworkError(_("Both perspectives are already shared; restate your partner's now."))
        response, _created = Response.objects.update_or_create(
            assignment=assignment,
            author=user,
            step=Step.PERSPECTIVE,
            defaults={"couple": assignment.couple, "body": body, "visibility": Visibility.SEALED},
        )
        perspectives = list(assignment.responses.filter(step=Step.PERSPECTIVE))
        if len(perspectives) == 2:
            for perspective in perspectives:
                perspective.visibility = Visibility.SHARED
                perspective.save(update_fields=["visibility", "updated_at"])
            assignment.revealed_at = timezone.now()
            assignment.save(update_fields=["revealed_at"])
            response.refresh_from_db()
    return response


def journal_restate(assignment: Assignment, user, body: str) -> Response:
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_kind(assignment, "joint_journal")
        _require_active(assignment, user)
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


def journal_next_time(assignment: Assignment, user, body: str) -> Response:
    """Add a line to "what we'll try next time"; each line keeps its author."""
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_kind(assignment, "joint_journal")
        _require_active(assignment, user)
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


def journal_done(assignment: Assignment, user) -> Assignment:
    """I'm happy with our list; complete when both are."""
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_kind(assignment, "joint_journal")
        part = _require_active(assignment, user)
        if not assignment.responses.filter(step=Step.NEXT_TIME).exists():
            raise HomeworkError(_("Add at least one thing you'll try next time first."))
        _mark_done(assignment, part)
    return assignment


# --- activities ----------------------------------------------------------------


def activity_plan(assignment: Assignment, user, body: str) -> Response:
    """The planner shares the plan (what, when, where). Only the planner plans."""
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_kind(assignment, "activity")
        _require_active(assignment, user)
        if assignment.planner_id != user.pk:
            raise HomeworkError(_("Your partner is planning this one; you plan the next."))
        response, _created = Response.objects.update_or_create(
            assignment=assignment,
            author=user,
            step=Step.PLAN,
            defaults={"couple": assignment.couple, "body": body, "visibility": Visibility.SHARED},
        )
    return response


def mark_done(assignment: Assignment, user) -> Assignment:
    """ "We did it" from one partner; the homework completes when both have said so."""
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.kind not in ("activity", "touch"):
            raise HomeworkError(_("This exercise completes when both parts are written."))
        part = _require_active(assignment, user)
        if assignment.kind == "touch" and assignment.session_opened_at is None:
            raise HomeworkError(_("The session starts when both of you are ready on the same day."))
        _mark_done(assignment, part)
    return assignment


# --- touch (sensate focus) -----------------------------------------------------


def today_for(user) -> date:
    """Today in the partner's own time zone: "ready today" means their today."""
    return user.today()


def ready_today(assignment: Assignment, user) -> Part:
    """Privately say "ready today". Saying nothing is "another day"."""
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_kind(assignment, "touch")
        part = _require_active(assignment, user)
        part.ready_on = today_for(user)
        part.save(update_fields=["ready_on"])
        if assignment.session_opened_at is None and touch_session_open(assignment):
            # Remember that the session began, so "we did it" still works after midnight.
            assignment.session_opened_at = timezone.now()
            assignment.save(update_fields=["session_opened_at"])
    return part


def not_today(assignment: Assignment, user) -> Part:
    """Withdraw today's "ready"; the partner only ever sees "another day"."""
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_kind(assignment, "touch")
        part = _part(assignment, user)
        if assignment.status != Assignment.Status.ACTIVE or assignment.session_opened_at:
            raise HomeworkError(_("Today's session has already started; you can still stop at any moment."))
        part.ready_on = None
        part.save(update_fields=["ready_on"])
    return part


def touch_session_open(assignment: Assignment, today=today_for, parts: list | None = None) -> bool:
    """Both partners said "ready" for their own today.

    ``parts``: the assignment's parts with their users, when the caller has them."""
    if parts is None:
        parts = list(assignment.parts.select_related("user"))
    return len(parts) == 2 and all(p.ready_on is not None and p.ready_on == today(p.user) for p in parts)


# --- debriefs ----------------------------------------------------------------------


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
        assignment = _locked(assignment)
        part = _part(assignment, user)
        if assignment.status != Assignment.Status.COMPLETED:
            raise HomeworkError(_("The debrief opens once you have both done your parts."))
        if assignment.kind == "touch" and comfortable is None:
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
                "comfortable": comfortable if assignment.kind == "touch" else None,
            },
        )
        part.debriefed_at = timezone.now()
        part.save(update_fields=["debriefed_at"])
        if entry.comfortable:
            # A "comfortable" may be what the next program stage waits for.
            from tandem.homework.programs import advance_running

            advance_running(assignment.couple)
    return entry


# --- check-in step -------------------------------------------------------------------


def checkin_answer(assignment: Assignment, user, body: str, visibility: str = Visibility.SHARED) -> Response:
    """A short check-in as a homework step: visible at once, by each one's choice."""
    with transaction.atomic():
        assignment = _locked(assignment)
        _require_kind(assignment, "checkin")
        part = _require_active(assignment, user)
        response, _created = Response.objects.update_or_create(
            assignment=assignment,
            author=user,
            step=Step.ANSWER,
            defaults={"couple": assignment.couple, "body": body, "visibility": visibility},
        )
        _mark_done(assignment, part)
    return response


# --- shared helpers --------------------------------------------------------------------


def _require_kind(assignment: Assignment, kind: str) -> None:
    if assignment.kind != kind:
        raise HomeworkError(_("That step doesn't belong to this exercise."))


def _mark_done(assignment: Assignment, part: Part) -> None:
    if part.done_at is None:
        part.done_at = timezone.now()
        part.save(update_fields=["done_at"])
    if not assignment.parts.filter(done_at__isnull=True).exists():
        _complete(assignment)


def _complete(assignment: Assignment) -> None:
    now = timezone.now()
    assignment.parts.filter(done_at__isnull=True).update(done_at=now)
    assignment.status = Assignment.Status.COMPLETED
    assignment.completed_at = now
    assignment.save(update_fields=["status", "completed_at"])
    on_completed(assignment)
