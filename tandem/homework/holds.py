"""Holds: whether homework, a program step or a block waits for this couple now, and why.

The one place that decides it. Every page, form, action, reminder and list
asks here; nothing else restates a hold.

Each hold has a stable code and one kind sentence (``reason``), which never
says who paused, whose consent level is lower or whose "no" it was. When
several apply, the first in ``PRECEDENCE`` is the one given, on every page:

=====================  ======================================================
code                   holds
=====================  ======================================================
``closed``             everything in a closed couple space (read-only)
``paused_everything``  intimacy level >= 1 while either partner paused everything
``hard_season``        intimacy level >= 1 during a hard season; for program
                       steps every step, except the light steps of the
                       hard-season program itself
``paused``             one assignment a partner paused
``consent_level``      above the couple's consent level (the lower partner's)
``boundaries``         involves an item either partner answered "no" to
``touch_gate``         a touch stage, until both marked the stage before
                       comfortable (and the therapist approved, when asked to)
=====================  ======================================================

Why this order: first what both partners already see couple-wide (a closed
space, pause everything, a hard season), then this item's own pause, and
only then the holds from which a partner could read something private
(whose level is lower, whose "no"). While anything visible explains a hold,
nothing more is said. The touch gate comes last: it only ever opens.

Where each applies:

* an **assignment** (``CoupleHolds.assignment`` / ``Assignment.objects.with_holds()``):
  every hold but the touch gate, which decides whether a stage may be
  *offered*; once given, a partner who no longer feels comfortable pauses.
  Pages show the hold of open (suggested or under way) homework only.
* an exercise **offered** (``CoupleHolds.spec``): the library, the exercise
  page, proposing, renewing, a program's next step (``run=``). Above the
  consent level or outside the boundaries an exercise is not listed at all
  (``CoupleHolds.hidden``): saying "held" there would hint at a partner.
* a **block** (``CoupleHolds.block`` / ``Block.objects.with_holds()``): a
  homework block is held as its homework is; a closeness block is an
  intimacy-level-1 item held by pause everything and the consent level (not
  by a hard season: it is time the couple set aside, not homework).

Two forms give the same answer (``tests/test_holds.py`` checks each code):
``of_couple(couple)`` reads the couple-wide facts in one query and answers
for any number of items in Python; the SQL form annotates a ``hold`` code on
every row of a queryset in the same query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import NotSupportedError
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.translation import gettext as _

from tandem.boundaries.models import Answer, CouplePause
from tandem.boundaries.models import Value as AnswerValue
from tandem.couples.models import Couple, Membership
from tandem.seasons.models import HardSeason

if TYPE_CHECKING:
    from tandem.homework.content import ExerciseSpec

CLOSED = "closed"
PAUSED_EVERYTHING = "paused_everything"
HARD_SEASON = "hard_season"
PAUSED = "paused"
CONSENT_LEVEL = "consent_level"
BOUNDARIES = "boundaries"
TOUCH_GATE = "touch_gate"
PRECEDENCE = (CLOSED, PAUSED_EVERYTHING, HARD_SEASON, PAUSED, CONSENT_LEVEL, BOUNDARIES, TOUCH_GATE)

# From this intimacy level on, pause everything and a hard season hold an item.
INTIMATE = 1
# The program made for hard seasons keeps going during one (its light steps).
HARD_SEASON_PROGRAM = "hard-season"


def reason(code: str, *, therapist: bool = False, approval: bool = False) -> str:
    """The sentence for a hold ("" for none). ``approval``: the touch stage also waits for the therapist."""
    if not code:
        return ""
    if therapist:
        # A therapist never learns of a partner's "no" or level either.
        return {
            CLOSED: _("This couple space is closed."),
            PAUSED_EVERYTHING: _("Paused for now."),
            HARD_SEASON: _("Held during the couple's hard season."),
            PAUSED: _("Paused for now."),
            CONSENT_LEVEL: _("Not available for this couple right now."),
            BOUNDARIES: _("Not available for this couple right now."),
            TOUCH_GATE: _("Not open yet: the stage before comes first."),
        }[code]
    if code == TOUCH_GATE and approval:
        return _(
            "This stage opens once the stage before felt comfortable for both of you "
            "and your therapist has approved it."
        )
    return {
        CLOSED: _("This space is closed. What you wrote stays here to read; nothing new can be added."),
        PAUSED_EVERYTHING: _("Everything intimate is paused for now. It waits here, as you left it."),
        HARD_SEASON: _("Held during your hard season. It will be here, as you left it, when you're both ready."),
        PAUSED: _("This homework is paused for now. It will be here, as you left it."),
        CONSENT_LEVEL: _("This waits until it fits what you are both open to right now."),
        BOUNDARIES: _("This is not in your current boundaries."),
        TOUCH_GATE: _("This stage opens once the stage before felt comfortable for both of you."),
    }[code]


def space(couple) -> str:
    """The hold on everything in the couple space: ``closed``, or none."""
    return CLOSED if not couple.is_open else ""


def shown(assignment) -> str:
    """The hold a page shows for homework read ``with_holds()``.

    Only open homework (suggested or under way) is held; what is done or
    lapsed stays "done together" / "not done this time"."""
    return assignment.hold if assignment.is_open else ""


def _first(applies: dict[str, Callable[[], bool]]) -> str:
    """The first hold that applies, in order of precedence (later checks are not even asked)."""
    return next((code for code in PRECEDENCE if code in applies and applies[code]()), "")


# --- the Python form: one query for the couple, then any number of items -------------------


@dataclass(frozen=True)
class CoupleHolds:
    """The couple-wide facts every hold is decided from, read at once by ``of_couple``."""

    closed: bool
    complete: bool  # both partners are in
    level: int  # the couple's consent level: the lower of the two partners' (0 until both are in)
    paused_everything: bool
    hard_season: bool
    excluded: frozenset[str]  # boundary items either partner answered "no" to
    approval_required: bool  # the linked therapist approves touch stages above the first
    comfortable: frozenset[str]  # touch stages done that both marked comfortable…
    approved: frozenset[str]  # …and of those, the ones the therapist approved

    def _item(self, level: int, items, *, season: bool) -> dict[str, Callable[[], bool]]:
        return {
            CLOSED: lambda: self.closed,  # as ``space()``, read with the rest
            PAUSED_EVERYTHING: lambda: level >= INTIMATE and self.paused_everything,
            HARD_SEASON: lambda: season and self.hard_season,
            CONSENT_LEVEL: lambda: level > self.level,
            BOUNDARIES: lambda: bool(set(items) & self.excluded),
        }

    def assignment(self, assignment, *, paused: bool | None = None) -> str:
        """The hold of a given homework. ``paused``: whether a pause row exists, when known."""
        exercise = assignment.exercise
        level = exercise.intimacy_level
        applies = self._item(level, exercise.data.get("boundary_items", ()), season=level >= INTIMATE)
        applies[PAUSED] = lambda: paused if paused is not None else assignment.pauses.exists()
        return _first(applies)

    def spec(self, spec: ExerciseSpec, *, run=None) -> str:
        """The hold on offering ``spec`` now: proposing or renewing it, or (``run``) as a program's next step."""
        level = spec.intimacy_level
        season = level >= INTIMATE or (run is not None and run.slug != HARD_SEASON_PROGRAM)
        applies = self._item(level, spec.boundary_items, season=season)
        applies[TOUCH_GATE] = lambda: not self._stage_open(spec)
        return _first(applies)

    def hidden(self, spec: ExerciseSpec) -> bool:
        """Not listed at all: above the couple's level or outside their boundaries.

        Marking these "held" in the library would hint at a partner's level or
        "no"; they are as good as absent (and their pages are 404)."""
        return self.above_level(spec) or bool(set(spec.boundary_items) & self.excluded)

    def above_level(self, spec: ExerciseSpec) -> bool:
        """Above the couple's consent level (the lower partner's): what a closer
        level chosen by both would open. Said only in words that fit either
        partner, never whose level it is."""
        return spec.intimacy_level > self.level

    def closeness(self) -> str:
        """The hold of closeness time (affectionate touch, intimacy level 1)."""
        applies = self._item(INTIMATE, (), season=False)
        return _first(applies)

    def block(self, block) -> str:
        if block.kind == block.Kind.HOMEWORK and block.assignment_id is not None:
            return self.assignment(block.assignment)
        if block.kind == block.Kind.CLOSENESS:
            return self.closeness()
        return CLOSED if self.closed else ""

    def reason(self, code: str, *, therapist: bool = False) -> str:
        return reason(code, therapist=therapist, approval=self.approval_required)

    def _stage_open(self, spec: ExerciseSpec) -> bool:
        if spec.kind != "touch" or not spec.prerequisites:
            return True
        done = self.approved if self.approval_required else self.comfortable
        return bool(set(spec.prerequisites) & done)


def of_couple(couple: Couple) -> CoupleHolds:
    """The couple's hold state, in one query."""
    Assignment = couple.assignments.model  # reached through the couple: holds sit below homework's models
    # A touch stage done that both partners marked comfortable (their two debriefs).
    stages = (
        couple.assignments.filter(exercise__kind="touch", status=Assignment.Status.COMPLETED)
        .annotate(comfortable=Count("debriefs", filter=Q(debriefs__comfortable=True)))
        .filter(comfortable=2)
    )

    def slugs(of) -> Subquery:
        return _joined(Assignment.objects.filter(pk__in=of.values("pk")), "exercise__slug")

    row = (
        Couple.objects.filter(pk=couple.pk)
        .annotate(
            h_partners=Subquery(
                Membership.objects.filter(couple=OuterRef("pk"))
                .order_by()
                .values("couple")
                .annotate(n=Count("pk"))
                .values("n"),
                output_field=IntegerField(),
            ),
            h_level=couple_level(OuterRef("pk")),
            h_paused_everything=couple_paused_everything(OuterRef("pk")),
            h_hard_season=couple_in_hard_season(OuterRef("pk")),
            h_excluded=_joined(refusals().filter(couple=OuterRef("pk")), "item_key"),
            h_approval=Exists(couple.care_links.active().filter(stages_need_approval=True)),
            h_comfortable=slugs(stages),
            h_approved=slugs(stages.exclude(approved_at=None)),
        )
        .values(
            "closed_at",
            "h_partners",
            "h_level",
            "h_paused_everything",
            "h_hard_season",
            "h_excluded",
            "h_approval",
            "h_comfortable",
            "h_approved",
        )
        .get()
    )

    def split(joined: str | None) -> frozenset[str]:
        return frozenset(joined.split(",")) if joined else frozenset()

    return CoupleHolds(
        closed=row["closed_at"] is not None,
        complete=row["h_partners"] == 2,
        level=row["h_level"],
        paused_everything=row["h_paused_everything"],
        hard_season=row["h_hard_season"],
        excluded=split(row["h_excluded"]),
        approval_required=row["h_approval"],
        comfortable=split(row["h_comfortable"]),
        approved=split(row["h_approved"]),
    )


def _joined(queryset, field: str) -> Subquery:
    """One comma-joined string of ``field`` over the rows (slugs and item keys hold no comma)."""
    return Subquery(
        queryset.order_by().values("couple").annotate(joined=StringAgg(field, delimiter=Value(","))).values("joined"),
        output_field=CharField(),
    )


# --- the queryset pieces: couple-wide facts as SQL ------------------------------------------


def pauses_everything():
    """Pause-everything rows: any one of them holds the couple's intimacy-level items."""
    return CouplePause.objects.all()


def current_seasons():
    return HardSeason.objects.current()


def refusals():
    """Boundary answers that hold an item: a "no" from either partner."""
    return Answer.objects.filter(value=AnswerValue.NO)


def couple_paused_everything(couple_ref) -> Exists:
    return Exists(pauses_everything().filter(couple=couple_ref))


def couple_in_hard_season(couple_ref) -> Exists:
    return Exists(current_seasons().filter(couple=couple_ref))


def couple_level(couple_ref) -> Coalesce:
    """The couple's consent level as SQL: the lower partner's, 0 until both are in."""
    levels = (
        Membership.objects.filter(couple=couple_ref)
        .order_by()
        .values("couple")
        .annotate(n=Count("pk"), low=Min("user__consent_level"))
        .annotate(level=Case(When(n=2, then=F("low")), default=Value(0)))
        .values("level")
    )
    return Coalesce(Subquery(levels, output_field=IntegerField()), Value(0))


def intimate(prefix: str = "") -> Q:
    """Rows of homework at an intimacy level that pause everything and a hard season hold."""
    return Q(**{f"{prefix}exercise__intimacy_level__gte": INTIMATE})


def held_by_season(prefix: str = "") -> Q:
    """Homework rows the couple's current hard season holds (they wait, they don't lapse)."""
    return intimate(prefix) & couple_in_hard_season(OuterRef(f"{prefix}couple"))


class _InJSONList(Func):
    """Whether the text ``value`` is an element of the JSON list under ``key`` of ``document``.

    Django has no portable lookup for "this column's value is in that JSON
    list" (``contains`` is PostgreSQL-only), so both supported databases get
    their own form of it."""

    output_field = BooleanField()

    def __init__(self, value, document, key: str):
        super().__init__(value, document)
        self.key = key

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError(f"holds support SQLite and PostgreSQL, not {connection.vendor}")

    def _parts(self, compiler):
        value, value_params = compiler.compile(self.source_expressions[0])
        document, document_params = compiler.compile(self.source_expressions[1])
        return value, tuple(value_params), document, tuple(document_params)

    def as_sqlite(self, compiler, connection, **extra):
        value, value_params, document, document_params = self._parts(compiler)
        # Only compiled column references are put into the text; values go as parameters.
        sql = f"EXISTS (SELECT 1 FROM json_each({document}, %s) AS item WHERE item.value = {value})"  # noqa: S608
        return sql, (*document_params, f"$.{self.key}", *value_params)

    def as_postgresql(self, compiler, connection, **extra):
        value, value_params, document, document_params = self._parts(compiler)
        return f"(({document}) -> %s) ? ({value})", (*document_params, self.key, *value_params)


def _item_sql(prefix: str) -> dict:
    couple = OuterRef(f"{prefix}couple")
    level = F(f"{prefix}exercise__intimacy_level")
    listed = _InJSONList(F("item_key"), OuterRef(f"{prefix}exercise__data"), "boundary_items")
    return {
        CLOSED: Q(**{f"{prefix}couple__closed_at__isnull": False}),
        PAUSED_EVERYTHING: intimate(prefix) & couple_paused_everything(couple),
        HARD_SEASON: held_by_season(prefix),
        CONSENT_LEVEL: GreaterThan(level, couple_level(couple)),
        BOUNDARIES: Exists(refusals().filter(couple=couple).filter(listed)),
    }


def _case(conditions: dict) -> Case:
    whens = [When(conditions[code], then=Value(code)) for code in PRECEDENCE if code in conditions]
    return Case(*whens, default=Value(""), output_field=CharField())


def _assignment_sql(model, prefix: str = "") -> dict:
    conditions = _item_sql(prefix)
    pause = model._meta.get_field("pauses").related_model
    conditions[PAUSED] = Exists(pause.objects.filter(assignment=OuterRef(f"{prefix}pk")))
    return conditions


def assignment_hold_sql(model) -> Case:
    """The ``hold`` code of each assignment row (``Assignment.objects.with_holds()``)."""
    return _case(_assignment_sql(model))


def block_hold_sql(model) -> Case:
    """The ``hold`` code of each block row (``Block.objects.with_holds()``)."""
    assignment = model._meta.get_field("assignment").related_model
    closed = Q(couple__closed_at__isnull=False)
    closeness = {
        CLOSED: closed,
        PAUSED_EVERYTHING: couple_paused_everything(OuterRef("couple")),
        CONSENT_LEVEL: LessThan(couple_level(OuterRef("couple")), INTIMATE),
    }
    return Case(
        When(
            Q(kind=model.Kind.HOMEWORK, assignment__isnull=False),
            then=_case(_assignment_sql(assignment, "assignment__")),
        ),
        When(kind=model.Kind.CLOSENESS, then=_case(closeness)),
        default=_case({CLOSED: closed}),
        output_field=CharField(),
    )
