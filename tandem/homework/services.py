"""Homework actions that touch several rows at once.

Each raises :class:`HomeworkError` with a sentence for the person when the
action can't happen; nothing is changed then. Nothing here ever records or
reveals *which* partner declined, paused or has not done their part yet.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.couples.models import Couple
from tandem.couples.visibility import Visibility
from tandem.homework import holds
from tandem.homework.content import ExerciseSpec
from tandem.homework.models import Assignment, Exercise, Part, Pause, Response

# What a write-then-share answer may become at the reveal: it must at least
# reach the partner, or the exercise can't work.
REVEAL_CHOICES = (Visibility.SHARED, Visibility.CARE_TEAM)


class HomeworkError(Exception):
    """A homework action that can't be done, with the reason to show."""


def propose(
    couple: Couple,
    spec: ExerciseSpec,
    by,
    *,
    source: str = Assignment.Source.COUPLE,
    due_at: datetime | None = None,
    message: str = "",
    program_step: tuple | None = None,
) -> Assignment:
    """Suggest homework to a couple.

    A partner who proposes is counted as in; the other still decides. Steps
    of a program (``program_step=(run, index)``) wait for a fresh yes from
    *both* partners, however long ago the program was started.
    """
    facts = holds.of_couple(couple)
    if not facts.complete:
        raise HomeworkError(_("Homework needs both partners in an open couple space."))
    if code := facts.spec(spec, run=program_step[0] if program_step else None):
        # Never say whose level is lower or whose "no"; a therapist reads "this couple".
        is_partner = any(p.pk == getattr(by, "pk", None) for p in couple.partners())
        raise HomeworkError(facts.reason(code, therapist=not is_partner))
    done_before = set(
        Assignment.objects.filter(couple=couple, status=Assignment.Status.COMPLETED).values_list(
            "exercise__slug", flat=True
        )
    )
    if spec.kind != "touch" and (missing := [p for p in spec.prerequisites if p not in done_before]):
        from tandem.homework.content import library

        first = library().exercise(missing[0])
        raise HomeworkError(
            _("Do “%(title)s” together first; this one builds on it.") % {"title": first.title if first else missing[0]}
        )
    if due_at is not None and due_at <= timezone.now():
        raise HomeworkError(_("The due date is in the past. Pick a date from today on."))
    partners = couple.partners()
    proposer_is_partner = program_step is None and any(p.pk == getattr(by, "pk", None) for p in partners)
    # Role a goes to the proposer (e.g. the first speaker); otherwise slot order.
    if proposer_is_partner:
        ordered = sorted(partners, key=lambda p: p.pk != by.pk)
    elif program_step is not None and program_step[1] % 2:
        ordered = partners[::-1]  # program steps take turns at going first
    else:
        ordered = partners
    with transaction.atomic():
        assignment = Assignment.objects.create(
            couple=couple,
            exercise=Exercise.objects.snapshot(spec),
            source=source,
            proposed_by=by,
            due_at=due_at,
            message=message,
            planner=_next_planner(couple, spec, ordered) if spec.kind == "activity" else None,
            program_run=program_step[0] if program_step else None,
            step_index=program_step[1] if program_step else None,
        )
        now = timezone.now()
        for role, person in zip(("a", "b"), ordered, strict=True):
            # Choosing it is the proposer's own opt-in; the other partner still decides.
            opted = now if proposer_is_partner and person.pk == by.pk else None
            Part.objects.create(assignment=assignment, user=person, role=role, opted_in_at=opted)
    return assignment


def _next_planner(couple: Couple, spec: ExerciseSpec, ordered: list):
    """Alternate the planning load: whoever planned the last activity rests now."""
    last = (
        Assignment.objects.filter(couple=couple, exercise__kind="activity", planner__isnull=False)
        .order_by("-created_at")
        .values_list("planner_id", flat=True)
        .first()
    )
    if last is None:
        return ordered[0]
    return next((p for p in ordered if p.pk != last), ordered[0])


def _locked(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().select_related("exercise").get(pk=assignment.pk)


def _part(assignment: Assignment, user) -> Part:
    try:
        return assignment.parts.get(user=user)
    except Part.DoesNotExist:
        raise HomeworkError(_("Only the two partners have a part in this homework.")) from None


def opt_in(assignment: Assignment, user) -> Assignment:
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.status != Assignment.Status.PROPOSED:
            raise HomeworkError(_("This suggestion is no longer waiting for an answer."))
        part = _part(assignment, user)
        if code := holds.of_couple(assignment.couple).assignment(assignment):
            raise HomeworkError(holds.reason(code))
        if part.opted_in_at is None:
            part.opted_in_at = timezone.now()
            part.save(update_fields=["opted_in_at"])
        if not assignment.parts.filter(opted_in_at__isnull=True).exists():
            assignment.status = Assignment.Status.ACTIVE
            assignment.activated_at = timezone.now()
            assignment.save(update_fields=["status", "activated_at"])
    return assignment


def set_aside(assignment: Assignment, user) -> None:
    """Either partner can set a suggestion aside; who did it is not recorded."""
    with transaction.atomic():
        assignment = _locked(assignment)
        _part(assignment, user)
        if assignment.status != Assignment.Status.PROPOSED:
            raise HomeworkError(_("Only a suggestion that hasn't started can be set aside; pause it instead."))
        assignment.status = Assignment.Status.SET_ASIDE
        assignment.save(update_fields=["status"])


def pause(assignment: Assignment, user) -> None:
    with transaction.atomic():
        assignment = _locked(assignment)
        _part(assignment, user)
        if assignment.status not in (Assignment.Status.PROPOSED, Assignment.Status.ACTIVE):
            raise HomeworkError(_("Only homework that is still open can be paused."))
        Pause.objects.get_or_create(assignment=assignment, user=user)


def resume(assignment: Assignment, user) -> None:
    """Lift *your own* pause; the partner's pause stays until they lift it."""
    deleted, _rows = Pause.objects.filter(assignment=assignment, user=user).delete()
    if not deleted:
        raise HomeworkError(_("There is no pause of yours to lift here."))


def renew(assignment: Assignment, user, due_at: datetime | None = None) -> Assignment:
    """Give lapsed homework a new chance, as a fresh proposal of the same version.

    The lapsed row is retired under a lock, so a double click (or both
    partners at once) renews it exactly once.
    """
    with transaction.atomic():
        assignment = _locked(assignment)
        _part(assignment, user)
        if assignment.status != Assignment.Status.LAPSED:
            raise HomeworkError(_("Only homework that lapsed can be renewed (this one may have been renewed already)."))
        run = assignment.program_run
        if run is not None and (run.finished_at or run.stopped_at):
            raise HomeworkError(_("This step belongs to a program that has ended."))
        assignment.status = Assignment.Status.SET_ASIDE
        assignment.save(update_fields=["status"])
        program_step = (run, assignment.step_index) if run is not None else None
        return propose(
            assignment.couple, assignment.spec, user, source=assignment.source, due_at=due_at, program_step=program_step
        )


def _require_active(assignment: Assignment, user) -> Part:
    part = _part(assignment, user)
    if assignment.status != Assignment.Status.ACTIVE:
        raise HomeworkError(_("This homework isn't under way, so nothing can be added now."))
    if code := holds.of_couple(assignment.couple).assignment(assignment):
        raise HomeworkError(holds.reason(code))
    if assignment.due_at and assignment.due_at < timezone.now():
        # The views lapse it on the next page load; nothing is written here,
        # since this runs inside the transaction that is being refused.
        raise HomeworkError(_("This homework wasn't done in time. That's fine: you can give it a new start."))
    return part


def submit_answer(assignment: Assignment, user, body: str, reveal_as: str = Visibility.SHARED) -> Response:
    """Write (or rewrite) my answer; reveal both when the second one arrives.

    The assignment row is locked so that two answers arriving at the same
    moment reveal exactly once and both are kept.
    """
    if reveal_as not in REVEAL_CHOICES:
        raise HomeworkError(_("Choose who sees your answer once both are in: your partner, or also your therapist."))
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.kind != "write_then_share":
            raise HomeworkError(_("This exercise has no written answer."))
        if assignment.revealed_at:
            raise HomeworkError(_("Both answers are already shared; you can add a reply instead."))
        part = _require_active(assignment, user)
        response, _created = Response.objects.update_or_create(
            assignment=assignment,
            author=user,
            step=Response.Step.ANSWER,
            defaults={
                "couple": assignment.couple,
                "body": body,
                "visibility": Visibility.SEALED,
                "reveal_as": reveal_as,
            },
        )
        part.done_at = timezone.now()
        part.save(update_fields=["done_at"])
        answers = list(assignment.responses.filter(step=Response.Step.ANSWER))
        if len(answers) == 2:
            _reveal(assignment, answers)
            response.refresh_from_db()
    return response


def _reveal(assignment: Assignment, answers: list[Response]) -> None:
    """Both answers are in: each takes on the visibility its writer chose."""
    now = timezone.now()
    for answer in answers:
        answer.visibility = answer.reveal_as
        answer.save(update_fields=["visibility", "updated_at"])
    assignment.revealed_at = now
    assignment.status = Assignment.Status.COMPLETED
    assignment.completed_at = now
    assignment.save(update_fields=["revealed_at", "status", "completed_at"])
    on_completed(assignment)


def on_completed(assignment: Assignment) -> None:
    """A program moves on once both partners completed its current step, and
    a completion may be a milestone worth celebrating."""
    if assignment.program_run_id:
        from tandem.homework.programs import advance

        advance(assignment.program_run)
    from tandem.wins.services import record_milestones

    record_milestones(assignment.couple)


def submit_reply(assignment: Assignment, user, body: str) -> Response:
    with transaction.atomic():
        assignment = _locked(assignment)
        _part(assignment, user)
        if assignment.kind != "write_then_share":
            raise HomeworkError(_("This exercise has no replies."))
        if not assignment.revealed_at:
            raise HomeworkError(_("Replies open once both answers are shared."))
        mine = assignment.responses.get(step=Response.Step.ANSWER, author=user)
        reply, _created = Response.objects.update_or_create(
            assignment=assignment,
            author=user,
            step=Response.Step.REPLY,
            defaults={"couple": assignment.couple, "body": body, "visibility": mine.visibility},
        )
    return reply
