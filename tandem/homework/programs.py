"""Programs: ordered steps over weeks, at the pace of the slower partner.

A program's steps are unrolled into a sequence of *occurrences* (a weekly
step done three times is three occurrences). Only one occurrence is open at
a time: the next is proposed when both partners have completed the current
one, so the program moves exactly as fast as the slower of the two. Nothing
is skipped: lapsed homework holds the program until it is renewed, and a
step beyond what both are open to (or a touch stage not yet unlocked) waits,
saying so without naming anyone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.homework import holds, services
from tandem.homework.content import ProgramSpec, ProgramStep, library
from tandem.homework.models import Assignment, ProgramRun


@dataclass(frozen=True)
class Occurrence:
    index: int
    step: ProgramStep
    repeat: int  # 1-based repeat within its step


def occurrences(steps: list[ProgramStep]) -> list[Occurrence]:
    result = []
    for step in steps:
        for repeat in range(1, step.times + 1):
            result.append(Occurrence(len(result), step, repeat))
    return result


def run_steps(run: ProgramRun) -> list[ProgramStep]:
    return [ProgramStep(**step) for step in run.data["steps"]]


def running(couple, slug: str) -> ProgramRun | None:
    """The couple's run of this program, if one is going (one at a time per program)."""
    return ProgramRun.objects.running().filter(couple=couple, slug=slug).first()


def step_of(run: ProgramRun, occurrences_done: int) -> tuple[int, int]:
    """(the step the run is at, how many steps it has): "step 2 of 8".

    Counted in the program's steps as written, not in occurrences: five
    daily check-ins are one step, at it until the fifth is done."""
    steps = run_steps(run)
    left = occurrences_done
    for number, step in enumerate(steps, start=1):
        if left < step.times:
            return number, len(steps)
        left -= step.times
    return len(steps), len(steps)


def already_doing(run: ProgramRun, *, therapist: bool) -> str:
    """The refusal to start a program the couple is doing, in the reader's voice."""
    if not therapist:
        return _("You are already doing this program.")
    step, total = step_of(run, _completed_steps(run))
    return _("This couple is already doing %(title)s — it is at step %(step)d of %(total)d.") % {
        "title": run.title,
        "step": step,
        "total": total,
    }


def start(couple, spec: ProgramSpec, by, *, source: str = Assignment.Source.COUPLE) -> ProgramRun:
    # A therapist (anyone not a partner here) reads about "this couple", never "you".
    therapist = not any(p.pk == getattr(by, "pk", None) for p in couple.partners())
    if not couple.is_open or not couple.is_complete:
        if therapist:
            raise services.HomeworkError(
                _("A program can start only while this couple space is open to both partners.")
            )
        raise services.HomeworkError(_("Programs need both partners in an open couple space."))
    data = {**asdict(spec), "steps": [asdict(step) for step in spec.steps]}
    data.pop("source", None)
    try:
        with transaction.atomic():
            run = ProgramRun.objects.create(
                couple=couple,
                slug=spec.slug,
                version=spec.version,
                title=spec.title,
                data=data,
                started_by=by,
                source=source,
            )
    except IntegrityError:
        doing = running(couple, spec.slug)
        if doing is None:  # ended a moment ago: the next try starts it
            raise services.HomeworkError(_("Please try again.")) from None
        raise services.HomeworkError(already_doing(doing, therapist=therapist)) from None
    advance(run)
    return run


def stop(run: ProgramRun) -> None:
    if run.finished_at or run.stopped_at:
        raise services.HomeworkError(_("This program has already ended."))
    run.stopped_at = timezone.now()
    run.save(update_fields=["stopped_at"])
    # Open steps of a stopped program are set aside, not failed.
    run.assignments.open().update(status=Assignment.Status.SET_ASIDE)


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    current: Assignment | None
    waiting_reason: str  # why the next step hasn't opened, or ""
    set_aside: bool = False  # the next step was set aside; either partner may offer it again
    held_reason: str = ""  # why the current step, open, is held now (the same words as on its own page)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def _completed_steps(run: ProgramRun) -> int:
    # Distinct step indexes: a renewed step must never count twice.
    return run.assignments.filter(status=Assignment.Status.COMPLETED).values("step_index").distinct().count()


def _last_attempt(run: ProgramRun, index: int) -> Assignment | None:
    return run.assignments.filter(step_index=index).order_by("-created_at").first()


def progress(run: ProgramRun) -> Progress:
    items = occurrences(run_steps(run))
    done = _completed_steps(run)
    current = (
        run.assignments.exclude(status__in=[Assignment.Status.COMPLETED, Assignment.Status.SET_ASIDE])
        .with_holds()
        .first()
    )
    reason, set_aside = "", False
    if current is None and done < len(items) and not run.stopped_at:
        last = _last_attempt(run, done)
        if last is not None and last.status == Assignment.Status.SET_ASIDE:
            reason, set_aside = _("This step was set aside for now. Offer it again whenever you both like."), True
        else:
            reason = _next_blocker(run, items[done]) or ""
    held = holds.shown(current) if current is not None else ""
    return Progress(len(items), done, current, reason, set_aside, holds.reason(held))


def _next_blocker(run: ProgramRun, occurrence: Occurrence) -> str | None:
    spec = library().exercise(occurrence.step.exercise)
    if spec is None:
        return _("The next exercise is no longer in the library.")
    facts = holds.of_couple(run.couple)
    return facts.reason(facts.spec(spec, run=run)) or None


def advance(run: ProgramRun, *, offer_again: bool = False) -> Assignment | None:
    """Open the next step if the current one is complete. Safe to call any time.

    A step one partner set aside is not offered again on its own; only an
    explicit ``offer_again`` (a partner pressing the button) does that.
    """
    with transaction.atomic():
        run = ProgramRun.objects.select_for_update().select_related("couple").get(pk=run.pk)
        if run.finished_at or run.stopped_at:
            return None
        if run.assignments.exclude(status__in=[Assignment.Status.COMPLETED, Assignment.Status.SET_ASIDE]).exists():
            return None  # one open step at a time: the slower partner sets the pace
        items = occurrences(run_steps(run))
        done = _completed_steps(run)
        if done >= len(items):
            run.finished_at = timezone.now()
            run.save(update_fields=["finished_at"])
            return None
        last = _last_attempt(run, done)
        if last is not None and last.status == Assignment.Status.SET_ASIDE and not offer_again:
            return None
        occurrence = items[done]
        if _next_blocker(run, occurrence):
            return None
        return services.propose(
            run.couple,
            library().exercise(occurrence.step.exercise),
            None,
            source=run.source,
            program_step=(run, occurrence.index),
        )


def advance_running(couple) -> None:
    """Something that can unblock a step happened (a debrief, an approval,
    a raised consent level): let every running program of the couple move."""
    for run in ProgramRun.objects.running().filter(couple=couple):
        advance(run)


# --- the first start: one clear way in, until the first homework is done -------------------

# The couple's natural first program, and the lighter one while a hard season is on.
FIRST_PROGRAM = "reconnect"


@dataclass(frozen=True)
class FirstStart:
    """What home offers a couple until their first homework is done: the one thing to do next.

    Either a program to start (``program``), or what they already began (``run`` or
    ``assignment``): starting is done once, going on is the clear start after that."""

    program: ProgramSpec | None = None
    run: ProgramRun | None = None
    assignment: Assignment | None = None


def first_start(couple) -> FirstStart | None:
    """The couple's one clear start, or None once they have done homework (callers ask that first).

    What is under way comes first (a program, or homework nothing holds); else the
    first program whose first step nothing holds now (``holds``: in a hard season
    the hard-season program, as seasons hold every other program's steps)."""
    # Both partners: read from the couple as home fetched it (no query of its own).
    if not couple.is_open or len(couple.partners()) != 2:
        return None
    under_way = (
        Assignment.objects.with_holds()
        .filter(couple=couple, hold="")
        .open()
        .select_related("program_run", "exercise")
        .order_by("created_at")
        .first()
    )
    if under_way is not None:
        if under_way.program_run is not None:
            return FirstStart(run=under_way.program_run)
        return FirstStart(assignment=under_way)
    facts = holds.of_couple(couple)
    found = library()
    for slug in (FIRST_PROGRAM, holds.HARD_SEASON_PROGRAM):
        spec = found.programs.get(slug)
        first = found.exercise(spec.steps[0].exercise) if spec and spec.steps else None
        if first is not None and not facts.hidden(first) and not facts.spec(first, run=ProgramRun(slug=slug)):
            return FirstStart(program=spec)
    return None
