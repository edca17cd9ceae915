"""The caseload: every linked couple at a glance, in a fixed number of queries.

Each row is built from a handful of queries over *all* the therapist's
couples at once (annotations and grouped counts), never one query per
couple, so a caseload of 300 couples costs what a caseload of 3 does.

Only what a therapist may know appears: homework counts and dates since the
link began, whether something is paused or a hard season is on (never which
partner), scores of the measures this link may read (its own, and a
partner's earlier ones only if they shared their earlier history), flags
raised in this link, and the number of unread safety messages. Nothing a
partner wrote is read here.

Each column asks the app that owns its idea (its queryset methods), so a
rule changed there changes here too: ``PartQuerySet.opted_in``,
``AssignmentQuerySet.completed`` / ``.closed_or_overdue`` and
``ProgramRunQuerySet.running`` / ``.with_steps_done`` (homework),
``EntryQuerySet.for_care_team`` (check-ins), ``RiskFlagQuerySet.raised_in``
and ``MeasureResponseQuerySet.read_by_care_team`` (measures), ``SafetyMessageQuerySet.unread_by`` (safety),
``CareLinkQuerySet.pending`` (clinic).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Max, OuterRef, Q, Subquery
from django.utils import timezone

from tandem.checkins.models import CheckIn
from tandem.clinic.models import AuditEntry, CareLink, Therapist
from tandem.couples.models import Membership
from tandem.homework import holds, programs
from tandem.homework.models import Assignment, Part, Pause, ProgramRun
from tandem.measures.models import RiskFlag
from tandem.measures.services import caseload_summary
from tandem.safety.models import SafetyMessage

WINDOW = dt.timedelta(weeks=4)
LOW_ADHERENCE = 0.5


@dataclass(frozen=True)
class ProgramStep:
    title: str
    step: int
    total: int


@dataclass
class Row:
    link: CareLink
    names: list[str]
    last_activity: dt.datetime | None
    # Shown: all homework given in the window since the link began, and how
    # much of it is done -- so homework given a minute ago shows at once.
    given: int = 0
    done: int = 0
    # Adherence: only homework whose time has come (closed or past due).
    due: int = 0
    completed: int = 0
    programs: list[ProgramStep] = field(default_factory=list)
    paused: bool = False
    hard_season: bool = False
    scores: list = field(default_factory=list)
    flags: int = 0
    unread: int = 0

    @property
    def couple_id(self):
        return self.link.couple_id

    @property
    def adherence(self) -> float | None:
        return self.completed / self.due if self.due else None

    @property
    def deteriorated(self) -> bool:
        return any(score.change == "deteriorated" for score in self.scores)

    @property
    def needs_attention(self) -> bool:
        low = self.adherence is not None and self.adherence < LOW_ADHERENCE
        return bool(self.flags or self.unread or self.deteriorated or low)

    @property
    def attention_reasons(self) -> list[str]:
        from django.utils.translation import gettext as _

        reasons = []
        if self.flags:
            reasons.append(_("a safety flag on a measure"))
        if self.unread:
            reasons.append(_("unread safety messages"))
        if self.deteriorated:
            reasons.append(_("a reliable deterioration"))
        if self.adherence is not None and self.adherence < LOW_ADHERENCE:
            reasons.append(_("little homework done lately"))
        return reasons


def activity(therapist_user) -> dict[str, Subquery]:
    """When a linked couple last did something, as subqueries over a ``CareLink`` row.

    The one answer to "when did this couple last move", for the caseload and
    for the therapist's *quiet couple* waiting item. Activity is what the
    couple did, not what was given to them: a yes to homework, homework done,
    a check-in shared with the care team (only check-ins this therapist may
    read count: anything else would tell them of a private one). What
    happened before the link began is another therapist's time with the
    couple: a new link starts empty.
    """
    couple, began = OuterRef("couple"), OuterRef("activated_at")
    last_homework = (
        Part.objects.opted_in()
        .filter(assignment__couple=couple, opted_in_at__gte=began)
        .order_by()
        .values("assignment__couple")
        .annotate(at=Max("opted_in_at"))
        .values("at")
    )
    last_done = (
        Assignment.objects.completed()
        .filter(couple=couple, completed_at__gte=began)
        .order_by()
        .values("couple")
        .annotate(at=Max("completed_at"))
        .values("at")
    )
    last_checkin = (
        CheckIn.objects.for_care_team(therapist_user)
        .filter(couple=couple)
        .order_by()
        .values("couple")
        .annotate(at=Max("created_at"))
        .values("at")
    )
    return {
        "last_homework": Subquery(last_homework),
        "last_done": Subquery(last_done),
        "last_checkin": Subquery(last_checkin),
    }


def rows(therapist: Therapist, *, now: dt.datetime | None = None) -> list[Row]:
    """One row per active link of the therapist, in a constant number of queries."""
    now = now or timezone.now()
    since = now - WINDOW
    couple = OuterRef("couple")
    open_pauses = Pause.objects.filter(assignment__couple=couple, assignment__status__in=["proposed", "active"])
    # Names, unseen risk flags and unread safety messages ride along as
    # subqueries of this one query (each used to be a query of its own).
    flags = (
        RiskFlag.objects.open()
        .raised_in(OuterRef("pk"))
        .order_by()
        .values("couple")
        .annotate(n=Count("pk"))
        .values("n")
    )
    unread = (
        SafetyMessage.objects.unread_by(therapist.user_id)
        .filter(thread__couple=couple)
        .order_by()
        .values("thread__couple")
        .annotate(n=Count("pk"))
        .values("n")
    )
    links = list(
        CareLink.objects.active()
        .filter(therapist=therapist)
        .annotate(
            **activity(therapist.user_id),
            # The couple-wide holds as the holds module words them (never by whom).
            paused=Exists(open_pauses) | holds.couple_paused_everything(couple),
            hard_season=holds.couple_in_hard_season(couple),
            name_1=Subquery(_name_in_slot(1)),
            name_2=Subquery(_name_in_slot(2)),
            open_flags=Subquery(flags),
            unread=Subquery(unread),
            # The same number on every row; the page shows it once (see pending_links()).
            pending_links=Subquery(
                CareLink.objects.pending()
                .filter(therapist=therapist)
                .order_by()
                .values("therapist")
                .annotate(n=Count("pk"))
                .values("n")
            ),
        )
    )
    ids = [link.couple_id for link in links]
    # Homework given in the window since the link began, in one grouped query:
    # all of it (given, done: shown the moment it is given), and the part
    # whose time has come (closed, or past its due date) for adherence --
    # homework handed out yesterday and due next week is not "not done".
    link_began = CareLink.objects.active().filter(therapist=therapist, couple=OuterRef("couple"))
    one = OuterRef("pk")
    counts = {
        row["couple"]: row
        for row in Assignment.objects.filter(couple__in=ids, created_at__gte=since)
        .filter(created_at__gte=Subquery(link_began.values("activated_at")[:1]))
        .alias(
            is_due=Exists(Assignment.objects.closed_or_overdue(now).filter(pk=one)),
            is_done=Exists(Assignment.objects.completed().filter(pk=one)),
        )
        .order_by()
        .values("couple")
        .annotate(
            given=Count("pk"),
            done=Count("pk", filter=Q(is_done=True)),
            due=Count("pk", filter=Q(is_due=True)),
            completed=Count("pk", filter=Q(is_due=True, status=Assignment.Status.COMPLETED)),
        )
    }
    # Running programs and the step each is at, one query for every couple.
    running: dict = {}
    for run in ProgramRun.objects.running().filter(couple__in=ids).with_steps_done().order_by("started_at"):
        step, total = programs.step_of(run, run.steps_done)
        running.setdefault(run.couple_id, []).append(ProgramStep(run.title, step, total))

    scores = caseload_summary(ids, therapist.user_id)
    found = []
    for link in links:
        stamps = [s for s in (link.last_homework, link.last_done, link.last_checkin) if s is not None]
        count = counts.get(link.couple_id, {})
        found.append(
            Row(
                link=link,
                names=[name for name in (link.name_1, link.name_2) if name is not None],
                last_activity=max(stamps, default=None),
                given=count.get("given", 0),
                done=count.get("done", 0),
                due=count.get("due", 0),
                completed=count.get("completed", 0),
                programs=running.get(link.couple_id, []),
                paused=link.paused,
                hard_season=link.hard_season,
                scores=scores.get(link.couple_id, []),
                flags=link.open_flags or 0,
                unread=link.unread or 0,
            )
        )
    return found


def pending_links(therapist: Therapist, found: list[Row]) -> int:
    """Links waiting for the partners' consent: read with the rows when there are any."""
    if found:
        return found[0].link.pending_links or 0
    return therapist.links.pending().count()


def _name_in_slot(slot: int):
    return Membership.objects.filter(couple=OuterRef("couple"), slot=slot).values("user__display_name")[:1]


def _newest_first(row: Row) -> float:
    return -(row.last_activity.timestamp() if row.last_activity else 0)


SORTS = {
    # Needs attention first, then the most recently active.
    "attention": lambda row: (not row.needs_attention, _newest_first(row)),
    "activity": _newest_first,
    "name": lambda row: " & ".join(row.names).lower(),
    # Lowest adherence first; couples with no homework due lately last.
    "adherence": lambda row: (row.adherence is None, row.adherence or 0),
}


def arrange(found: list[Row], *, sort: str = "attention", only_attention: bool = False) -> list[Row]:
    if only_attention:
        found = [row for row in found if row.needs_attention]
    key = SORTS.get(sort, SORTS["attention"])
    # Ties (every couple without homework has the same adherence) are broken
    # by the couple's id, so the order, and so each page, is the same on every
    # visit: no couple on two pages, none on neither.
    return sorted(found, key=lambda row: (key(row), str(row.couple_id)))


def audit(therapist_user, found: list[Row], path: str) -> None:
    """Names and scores on the caseload are couple data: one audit entry per couple, one query."""
    AuditEntry.objects.bulk_create(
        AuditEntry(therapist=therapist_user, couple_id=row.couple_id, path=path[:300], object_type="clinic.caseload")
        for row in found
    )
