"""The lifecycle every homework shares, whatever its kind: propose, opt in,
set aside, pause, resume, renew. What happens while it is under way lives
with each kind (``homework/kinds/``), on the helpers in ``steps.py``.

Each raises :class:`HomeworkError` with a sentence for the person when the
action can't happen; nothing is changed then. Nothing here ever records or
reveals *which* partner declined, paused or has not done their part yet.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.couples.models import Couple
from tandem.homework import holds, kinds
from tandem.homework.content import library
from tandem.homework.models import Assignment, Exercise, Part, Pause
from tandem.homework.specs import ExerciseSpec
from tandem.homework.steps import HomeworkError, locked, my_part


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
        first = library().exercise(missing[0])
        title = first.title if first else missing[0]
        if by is not None and not any(p.pk == by.pk for p in couple.partners()):
            # A therapist reads about this couple, not "you two".
            raise HomeworkError(
                _("This builds on “%(title)s”, which this couple hasn't done yet. Give that one first.")
                % {"title": title}
            )
        raise HomeworkError(_("Do “%(title)s” together first; this one builds on it.") % {"title": title})
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
    planner = kinds.get(spec.kind).planner
    with transaction.atomic():
        assignment = Assignment.objects.create(
            couple=couple,
            exercise=Exercise.objects.snapshot(spec),
            source=source,
            proposed_by=by,
            due_at=due_at,
            message=message,
            planner=planner(couple, ordered) if planner else None,
            program_run=program_step[0] if program_step else None,
            step_index=program_step[1] if program_step else None,
        )
        now = timezone.now()
        for role, person in zip(("a", "b"), ordered, strict=True):
            # Choosing it is the proposer's own opt-in; the other partner still decides.
            opted = now if proposer_is_partner and person.pk == by.pk else None
            Part.objects.create(assignment=assignment, user=person, role=role, opted_in_at=opted)
    plan_lapse(assignment)
    return assignment


def opt_in(assignment: Assignment, user) -> Assignment:
    with transaction.atomic():
        assignment = locked(assignment)
        if assignment.status != Assignment.Status.PROPOSED:
            raise HomeworkError(_("This suggestion is no longer waiting for an answer."))
        part = my_part(assignment, user)
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
        assignment = locked(assignment)
        my_part(assignment, user)
        if assignment.status != Assignment.Status.PROPOSED:
            raise HomeworkError(_("Only a suggestion that hasn't started can be set aside; pause it instead."))
        assignment.status = Assignment.Status.SET_ASIDE
        assignment.save(update_fields=["status"])


def pause(assignment: Assignment, user) -> None:
    with transaction.atomic():
        assignment = locked(assignment)
        my_part(assignment, user)
        if not assignment.is_open:
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
        assignment = locked(assignment)
        my_part(assignment, user)
        # Overdue homework is lapsed to everyone who reads it, even before
        # the worker has written it (``Assignment.as_read``).
        overdue = Assignment.objects.filter(pk=assignment.pk).overdue().exists()
        if assignment.status != Assignment.Status.LAPSED and not overdue:
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


# --- lapsing: the worker's job ------------------------------------------------------


def plan_lapse(assignment: Assignment) -> None:
    """Ask the worker to lapse this homework once its due date passes (if it
    is still open then and no hard season holds it). Until the worker runs,
    pages already read it as lapsed (``Assignment.as_read``)."""
    if assignment.due_at is None:
        return
    assignment_id, run_after = assignment.pk, assignment.due_at
    transaction.on_commit(lambda: lapse_when_due.using(run_after=run_after).enqueue(assignment_id))


@task()
def lapse_when_due(assignment_id: int) -> int:
    """Lapse one homework if it is overdue now (a second run changes nothing)."""
    return Assignment.objects.filter(pk=assignment_id).lapse_overdue()


@task()
def lapse_all_due() -> int:
    """The sweep behind ``manage.py lapse_overdue`` (cron): every overdue homework."""
    return Assignment.objects.lapse_overdue()
