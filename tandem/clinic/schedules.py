"""Homework schedules: when a therapist's homework is offered to a couple.

A schedule never bypasses the couple: each time it comes due it *proposes*
an assignment (or starts a program) exactly as a partner would, through
``homework.services``, so consent levels, boundaries, pauses and hard
seasons all apply, and both partners still say yes. When something stands
in the way, the schedule keeps the reason (worded for the therapist, never
naming a partner) and tries again on the next run.

Schedules are given by the background worker, never by a page that is only
read: each schedule enqueues a task for the start of its next day (in the
couple's zone), a hold that lifts tries the couple's waiting schedules again,
and ``manage.py give_scheduled_homework`` (cron) is the safety net. Giving
claims the row first, so a task that runs twice (or beside cron) gives once.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.clinic.models import CareLink, HomeworkSchedule, Therapist
from tandem.homework import programs
from tandem.homework import services as homework
from tandem.homework.content import ExerciseSpec, ProgramSpec, library

MAX_WEEKS = 12
MAX_DUE_DAYS = 28


class ScheduleError(Exception):
    """A schedule that can't be made; the message is for the therapist."""


def choices_for(therapist: Therapist) -> dict[str, ExerciseSpec]:
    """The exercises a therapist can give: the library and practice exercises."""
    found = dict(library().exercises)
    try:
        from tandem.authoring.services import specs_for
    except ImportError:  # pragma: no cover - the authoring app is optional
        return found
    for spec in specs_for(therapist):
        found[spec.slug] = spec
    return found


def _spec(schedule: HomeworkSchedule) -> ExerciseSpec | ProgramSpec | None:
    if schedule.what == HomeworkSchedule.What.PROGRAM:
        return library().programs.get(schedule.slug)
    return choices_for(schedule.therapist).get(schedule.slug)


def couple_today(couple) -> dt.date:
    """Today where the couple lives (the first partner's zone): homework is
    given and falls due by the couple's calendar, not the server's."""
    partners = couple.partners()
    return partners[0].today() if partners else timezone.localdate()


def create(
    therapist: Therapist,
    couple,
    *,
    what: str,
    slug: str,
    cadence: str,
    message: str = "",
    start_on: dt.date | None = None,
    due_days: int = 7,
    weeks: int = 1,
    today: dt.date | None = None,
) -> HomeworkSchedule:
    """Make a schedule, and give it at once when it is due today."""
    today = today or couple_today(couple)
    link = CareLink.objects.active().filter(couple=couple, therapist=therapist).first()
    if link is None:
        raise ScheduleError(_("This couple is not linked with you."))
    programs_only = what == HomeworkSchedule.What.PROGRAM
    spec = library().programs.get(slug) if programs_only else choices_for(therapist).get(slug)
    if spec is None:
        raise ScheduleError(_("That exercise or program doesn't exist (any more)."))
    if not 0 <= due_days <= MAX_DUE_DAYS:
        raise ScheduleError(_("Give between 0 and 28 days to do it."))
    if programs_only and cadence == HomeworkSchedule.Cadence.WEEKLY:
        raise ScheduleError(_("A program sets its own pace: give it once or after the next session."))
    if programs_only and (doing := programs.running(couple, slug)) is not None:
        # Refused, not saved to be tried again: it would wait until the program ends, then start it over.
        raise ScheduleError(programs.already_doing(doing, therapist=True))
    if cadence == HomeworkSchedule.Cadence.AFTER_SESSION:
        if link.next_session is None:
            raise ScheduleError(_("Set the date of the next session first."))
        if link.next_session < today:
            raise ScheduleError(_("The next session date has passed. Set the new one first."))
        start_on, weeks = link.next_session, 1
    elif cadence in (HomeworkSchedule.Cadence.ONCE, HomeworkSchedule.Cadence.WEEKLY):
        start_on = start_on or today
        if start_on < today:
            raise ScheduleError(_("The start date is in the past. Choose today or a later day."))
        if cadence == HomeworkSchedule.Cadence.ONCE:
            weeks = 1
        elif not 1 <= weeks <= MAX_WEEKS:
            raise ScheduleError(_("Choose between 1 and 12 weeks."))
    else:
        raise ScheduleError(_("Choose once, weekly or after the next session."))
    schedule = HomeworkSchedule.objects.create(
        therapist=therapist,
        couple=couple,
        what=what,
        slug=slug,
        title=spec.title,
        message=message,
        cadence=cadence,
        next_on=start_on,
        due_days=due_days,
        times_left=weeks,
    )
    if start_on <= today:
        give(schedule, today)
        schedule.refresh_from_db()
    plan(schedule)
    return schedule


def _due_at(couple, day: dt.date) -> dt.datetime:
    """The end of ``day`` where the couple lives (the first partner's zone)."""
    partners = couple.partners()
    zone = partners[0].zone if partners else dt.UTC
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=zone)


def _after(schedule: HomeworkSchedule, today: dt.date) -> dict:
    """The schedule's state once it has been given today."""
    times_left = schedule.times_left - 1
    if schedule.cadence == HomeworkSchedule.Cadence.WEEKLY and times_left > 0:
        next_on = schedule.next_on + dt.timedelta(weeks=1)
        while next_on <= today and times_left > 0:
            # Weeks missed while nobody looked are not piled up; they count as gone.
            next_on += dt.timedelta(weeks=1)
            times_left -= 1
        if times_left > 0:
            return {"times_left": times_left, "next_on": next_on, "last_problem": ""}
    return {"times_left": max(times_left, 0), "next_on": None, "active": False, "last_problem": ""}


def give(schedule: HomeworkSchedule, today: dt.date | None = None) -> bool:
    """Offer the scheduled homework now. True when it was given.

    The schedule row is claimed with a conditional update first, so two
    page loads (or cron and a page) at the same moment give it once.
    """
    couple = schedule.couple
    today = today or couple_today(couple)
    spec = _spec(schedule)
    by = schedule.therapist.user
    if not CareLink.objects.active().filter(couple=couple, therapist=schedule.therapist).exists():
        HomeworkSchedule.objects.filter(pk=schedule.pk).update(active=False, next_on=None)
        return False
    try:
        with transaction.atomic():
            claimed = HomeworkSchedule.objects.filter(
                pk=schedule.pk, active=True, next_on=schedule.next_on, times_left=schedule.times_left
            ).update(**_after(schedule, today))
            if not claimed:
                return False  # given a moment ago by someone else
            if spec is None:
                raise homework.HomeworkError(_("That exercise or program doesn't exist any more."))
            if isinstance(spec, ProgramSpec):
                run = programs.start(couple, spec, by, source="therapist")
                if schedule.message:
                    run.assignments.update(message=schedule.message)
            else:
                homework.propose(
                    couple,
                    spec,
                    by,
                    source="therapist",
                    due_at=_due_at(couple, today + dt.timedelta(days=schedule.due_days)),
                    message=schedule.message,
                )
    except homework.HomeworkError as error:
        # The claim was rolled back with the rest; kept for the therapist, tried again on the next run.
        HomeworkSchedule.objects.filter(pk=schedule.pk).update(last_problem=str(error)[:200])
        return False
    return True


def follow_session(link: CareLink) -> int:
    """When the next session moves, "after the session" homework moves with it."""
    moving = HomeworkSchedule.objects.filter(
        couple=link.couple, therapist=link.therapist, active=True, cadence=HomeworkSchedule.Cadence.AFTER_SESSION
    )
    moved = moving.update(next_on=link.next_session)
    for schedule in moving.select_related("couple"):
        plan(schedule)
    return moved


def give_due(today: dt.date | None = None, *, couple=None, therapist: Therapist | None = None) -> int:
    """Give every schedule that has come due (of one couple, one therapist's, or all).

    Without ``today``, each couple's own date decides; the database is asked
    for anything due by tomorrow (the zone furthest ahead of UTC is under a
    day ahead) and each schedule is checked against its couple's today.
    """
    horizon = today or timezone.localdate() + dt.timedelta(days=1)
    due = HomeworkSchedule.objects.due(horizon).select_related("therapist__user", "couple")
    if couple is not None:
        due = due.filter(couple=couple)  # a couple or its id
    if therapist is not None:
        due = due.filter(therapist=therapist)
    given = 0
    for schedule in due:
        day = today or couple_today(schedule.couple)
        if schedule.next_on <= day:
            given += give(schedule, day)
    return given


def cancel(schedule: HomeworkSchedule) -> None:
    schedule.active = False
    schedule.next_on = None
    schedule.save(update_fields=["active", "next_on"])


def _start_of(couple, day: dt.date) -> dt.datetime:
    """The first moment of ``day`` where the couple lives."""
    partners = couple.partners()
    zone = partners[0].zone if partners else dt.UTC
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=zone)


def plan(schedule: HomeworkSchedule) -> None:
    """Ask the worker to give this schedule when its next day starts.

    Enqueued after the transaction commits (the task must find the row as it
    is now). A schedule that is done plans nothing; one that was moved plans
    again, and the stale task finds nothing due when it runs.
    """
    if not schedule.active or schedule.next_on is None:
        return
    run_after = _start_of(schedule.couple, schedule.next_on)
    schedule_id = schedule.pk
    transaction.on_commit(lambda: give_scheduled.using(run_after=run_after).enqueue(schedule_id))


@task()
def give_scheduled(schedule_id: int) -> str:
    """The worker's side of ``plan``: give the schedule if its day has come."""
    schedule = HomeworkSchedule.objects.select_related("therapist__user", "couple").filter(pk=schedule_id).first()
    if schedule is None or not schedule.active or schedule.next_on is None:
        return "done"
    if schedule.next_on > couple_today(schedule.couple):
        plan(schedule)  # woken early (a zone ahead, a clock change): wait for the couple's day
        return "waiting"
    if give(schedule):
        schedule.refresh_from_db()
        plan(schedule)  # a weekly schedule's next week
        return "given"
    # Held (a pause, a level, a season): tried again when a hold lifts
    # (``give_due_for``) and by the cron safety net.
    return "held"


@task()
def give_due_for(couple_id: str) -> int:
    """Give the couple's schedules that are due (after one of its holds lifted)."""
    return give_due(couple=couple_id)
