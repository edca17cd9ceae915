"""Waiting items: what waits on one person's move, computed from the state.

A *waiting item* is something whose next move is one person's: a yes to
give, their part, their turn, a time together to accept, an agreement to
confirm, a questionnaire planned for them; for a therapist, a couple's
message or a questionnaire answer to look at, a stage to approve. Nothing
is stored about them: each *source* below is a queryset over the rows that
already say it (homework parts, block proposals, agreement versions…), so
an item appears when the other person moves and is gone as soon as this
person moves, or when it no longer applies. There is no second bookkeeping
to drift.

The rules are asked where they live: whose move it is in homework under
way from each kind (``Kind.whose_move``), holds from ``holds`` (its SQL
form, ``with_holds()``: held items are not items), lapsing from
``Assignment.objects.overdue``, what is due from ``MeasurePlan.objects.due``,
a therapist's couples from their *active* care links only.

Every source yields the same columns, so the list is one ``UNION`` query
(``for_person``) and the header's count one expression inside the header's
query (``count_expression``), whatever the number of items.

Privacy: an item says what to do, never why something else is not there.
No title names who paused, declined, set aside or said no (held and set
aside homework simply has no item), a touch "ready today" never makes an
item, and a safety message is an item for its therapist alone. A *quiet
couple* (a linked couple with no activity, as the caseload counts it, for
``QUIET_COUPLE_DAYS``) says only that: not why (a pause, a hard season and a
busy month look the same), and only activity the therapist may know of counts.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from tandem.blocks.models import Block
from tandem.boundaries.models import Agreement, AgreementConfirmation, AgreementVersion
from tandem.clinic.caseload import activity
from tandem.clinic.models import CareConsent, CareLink
from tandem.couples.models import Membership
from tandem.homework import kinds
from tandem.homework.kinds.base import YOUR_MOVE
from tandem.homework.models import Assignment, Part, Response
from tandem.measures.models import MeasurePlan, RiskFlag
from tandem.safety.models import SafetyMessage, SafetyThread
from tandem.wins.models import GratitudeNote

# The item codes (stable: tests, and later the notification preferences, name them).
HOMEWORK_YES = "homework_yes"  # a suggestion, program step or therapist's homework waiting for my yes
HOMEWORK_TURN = "homework_turn"  # homework under way whose next move is mine
BLOCK = "block"  # a time together proposed to me
BLOCK_CHANGE = "block_change"  # a change to one proposed to me
AGREEMENT = "agreement"  # an agreement, or a new version of one, waiting for my confirmation
MEASURE = "measure"  # a questionnaire planned for me, due
CARE_LINK = "care_link"  # a care link waiting for my yes
SAFETY = "safety"  # therapist: a partner's message unread
FLAG = "flag"  # therapist: a questionnaire answer to look at (a risk flag)
STAGE = "stage"  # therapist: a touch stage waiting for approval
REVISIT = "revisit"  # an agreement whose revisit date came (both partners: either may move)
THANKS = "thanks"  # a thank-you note from my partner, not yet read
QUIET = "quiet"  # therapist: a linked couple with no activity for QUIET_COUPLE_DAYS
CODES = (
    HOMEWORK_YES,
    HOMEWORK_TURN,
    BLOCK,
    BLOCK_CHANGE,
    AGREEMENT,
    MEASURE,
    CARE_LINK,
    SAFETY,
    FLAG,
    STAGE,
    REVISIT,
    THANKS,
    QUIET,
)

# Each type as a person chooses it in their notification choices (one label per code).
LABELS = {
    HOMEWORK_YES: _lazy("A suggestion or homework waits for my yes"),
    HOMEWORK_TURN: _lazy("It is my turn in homework under way"),
    BLOCK: _lazy("A time together is proposed to me"),
    BLOCK_CHANGE: _lazy("A change to a time together is proposed to me"),
    AGREEMENT: _lazy("An agreement waits for my confirmation"),
    MEASURE: _lazy("A questionnaire is due"),
    CARE_LINK: _lazy("A care link waits for my yes"),
    SAFETY: _lazy("A couple wrote to me (therapists)"),
    FLAG: _lazy("A questionnaire answer needs a look (therapists)"),
    STAGE: _lazy("A stage waits for my approval (therapists)"),
    REVISIT: _lazy("An agreement's revisit date has come"),
    THANKS: _lazy("A thank-you note waits to be read"),
    QUIET: _lazy("A couple has been quiet for a while (therapists)"),
}

# Home shows the newest this many; the count counts them all.
SHOWN = 20


@dataclass(frozen=True)
class WaitingItem:
    code: str
    title: str
    at: dt.datetime  # since when it waits (newest first)
    url: str  # the one page to act on
    detail: str = ""  # what it is about, as both partners already know it (an exercise's title)
    by: str = ""  # a therapist's item: their display name ("from Dr Lee")
    due: dt.date | None = None
    # Stable while the item waits ("homework_turn:42"): what a notification can be sent once for.
    key: str = ""


# --- the sources: one queryset each, all with the same columns ----------------------------


def _text(value) -> Cast:
    return Cast(value, CharField())


def _rows(queryset: QuerySet, code: str, *, ref, couple, at, sub=None, detail=None, by=None, due=None) -> QuerySet:
    """The source's rows as the columns every source shares, in this order (a UNION needs it)."""
    return queryset.order_by().values(
        t_code=Value(code, output_field=CharField()),
        t_sub=_text(sub) if sub is not None else Value("", output_field=CharField()),
        t_ref=_text(ref),
        t_couple=_text(couple),
        t_at=Cast(at, DateTimeField()),
        t_detail=Coalesce(_text(detail), Value("")) if detail is not None else Value("", output_field=CharField()),
        t_by=Coalesce(_text(by), Value("")) if by is not None else Value("", output_field=CharField()),
        t_due=Cast(due, DateField()) if due is not None else Value(None, output_field=DateField()),
    )


def _my_couples(user) -> QuerySet:
    return Membership.objects.filter(user=user, active=True, couple__closed_at__isnull=True).values("couple")


def _homework(user, now) -> QuerySet:
    """My parts of open homework that nothing holds and that has not lapsed."""
    # Holds and lapsing asked of my couples' homework only: asked of every
    # assignment, SQLite took 5-7 s per source on 10,000 couples (bench/live_poll.py).
    ours = Assignment.objects.filter(couple__in=_my_couples(user))
    unheld = ours.with_holds().filter(hold="").exclude(pk__in=ours.overdue(now).values("pk"))
    return Part.objects.filter(user=user, assignment__in=unheld.values("pk"))


def _therapist_name(prefix: str = "assignment__"):
    """Homework from the therapist reads as from them."""
    return Case(
        When(**{f"{prefix}source": Assignment.Source.THERAPIST}, then=F(f"{prefix}proposed_by__display_name")),
        default=Value(""),
        output_field=CharField(),
    )


def _due_day(user, field: str):
    """A due time as the day it is in this person's zone."""
    return TruncDate(field, tzinfo=user.zone)


def sources(user, now: dt.datetime | None = None) -> list[QuerySet]:
    """Every waiting item of ``user``, one queryset per source."""
    now = now or timezone.now()
    today = user.today()
    mine = _my_couples(user)
    homework = _homework(user, now)
    newest_step = Subquery(
        Response.objects.filter(assignment=OuterRef("assignment")).order_by("-created_at").values("created_at")[:1]
    )
    common = {
        "ref": "assignment_id",
        "couple": "assignment__couple_id",
        "detail": "assignment__exercise__title",
        "by": _therapist_name(),
        "due": _due_day(user, "assignment__due_at"),
    }
    yes = homework.filter(assignment__status=Assignment.Status.PROPOSED, opted_in_at__isnull=True)
    turn = homework.filter(assignment__status=Assignment.Status.ACTIVE).filter(kinds.whose_move())

    blocks = (
        Block.objects.with_holds()
        .filter(hold="", couple__in=mine)
        .proposed()
        .exclude(proposed_by=user)
        # A proposal whose time has passed waits on nobody.
        .filter(Q(last_end__isnull=True) | Q(last_end__gt=now))
    )

    newer = AgreementVersion.objects.filter(agreement=OuterRef("agreement")).filter(
        Q(created_at__gt=OuterRef("created_at")) | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    confirmations = AgreementConfirmation.objects.filter(version=OuterRef("pk"))
    agreements = AgreementVersion.objects.filter(agreement__couple__in=mine).filter(
        ~Exists(newer), Exists(confirmations.exclude(user=user)), ~Exists(confirmations.filter(user=user))
    )

    # An agreement to look at again: its newest version is in force (both confirmed) and its
    # date came. Both partners' item; it goes for both once either proposes a new version.
    revisits = AgreementVersion.objects.filter(
        agreement__couple__in=mine, agreement__group=Agreement.Group.REVISIT, revisit_on__lte=today
    ).filter(~Exists(newer), Exists(confirmations.exclude(user=user)), Exists(confirmations.filter(user=user)))
    thanks = GratitudeNote.objects.readable_by(user).filter(couple__in=mine, read_at__isnull=True).exclude(author=user)

    measures = MeasurePlan.objects.due(today).filter(person=user, couple__in=mine)
    care_links = (
        CareLink.objects.pending()
        .filter(couple__in=mine)
        .exclude(Exists(CareConsent.objects.filter(link=OuterRef("pk"), user=user)))
    )

    # A therapist's couples: through their active care links only.
    linked = (
        CareLink.objects.active()
        .filter(therapist__user=user)
        .exclude(Exists(Membership.objects.filter(couple=OuterRef("couple"), user=user)))
    )
    unread = SafetyMessage.objects.unread_by(user).filter(thread=OuterRef("pk"))
    threads = (
        SafetyThread.objects.written_to(user)
        .filter(couple__in=linked.values("couple"))
        .filter(Exists(unread))
        .annotate(newest=Subquery(unread.order_by("-created_at").values("created_at")[:1]))
    )
    flags = RiskFlag.objects.open().raised_to(user).filter(care_link__in=linked.values("pk"))
    stages = Assignment.objects.filter(
        exercise__kind="touch",
        status=Assignment.Status.COMPLETED,
        approved_at__isnull=True,
        couple__in=linked.filter(stages_need_approval=True).values("couple"),
    )
    quiet_for = dt.timedelta(days=settings.QUIET_COUPLE_DAYS)
    began = F("activated_at")
    # The therapist's own move (homework given) starts the wait again.
    given = Subquery(
        Assignment.objects.filter(couple=OuterRef("couple"), proposed_by=user, source=Assignment.Source.THERAPIST)
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    quiet = (
        linked.filter(couple__closed_at__isnull=True)
        .annotate(**activity(user), given=given)
        .annotate(
            moved=Greatest(
                began,
                *(Coalesce(f, began) for f in ("last_homework", "last_done", "last_checkin", "given")),
                output_field=DateTimeField(),
            )
        )
        .filter(moved__lt=now - quiet_for)
        .annotate(quiet_since=ExpressionWrapper(F("moved") + quiet_for, output_field=DateTimeField()))
    )

    return [
        _rows(yes, HOMEWORK_YES, at="assignment__created_at", sub="assignment__program_run_id", **common),
        _rows(
            turn,
            HOMEWORK_TURN,
            at=Coalesce(newest_step, "assignment__activated_at", "assignment__created_at"),
            sub="assignment__exercise__kind",
            **common,
        ),
        _rows(blocks.filter(replaces__isnull=True), BLOCK, ref="pk", couple="couple_id", at="created_at", sub="kind"),
        _rows(
            blocks.filter(replaces__isnull=False),
            BLOCK_CHANGE,
            ref="pk",
            couple="couple_id",
            at="created_at",
            sub="kind",
        ),
        _rows(agreements, AGREEMENT, ref="agreement_id", couple="agreement__couple_id", at="created_at"),
        _rows(
            measures,
            MEASURE,
            ref="instrument",
            couple="couple_id",
            at="created_at",
            by="care_link__therapist__user__display_name",
            due=F("next_due"),
        ),
        _rows(care_links, CARE_LINK, ref="pk", couple="couple_id", at="created_at", by="therapist__user__display_name"),
        _rows(threads, SAFETY, ref="pk", couple="couple_id", at="newest", detail=_partners("couple")),
        _rows(flags, FLAG, ref="pk", couple="couple_id", at="created_at", detail=_partners("couple")),
        _rows(stages, STAGE, ref="pk", couple="couple_id", at="completed_at", detail=_partners("couple")),
        _rows(revisits, REVISIT, ref="pk", couple="agreement__couple_id", at="revisit_on"),
        _rows(thanks, THANKS, ref="pk", couple="couple_id", at="created_at"),
        _rows(quiet, QUIET, ref="pk", couple="couple_id", at="quiet_since", detail=_partners("couple")),
    ]


def _partners(couple_field: str) -> Subquery:
    """The couple's partners' names, for a therapist's items ("Alice, Bo")."""
    return Subquery(
        Membership.objects.filter(couple=OuterRef(couple_field), active=True)
        .order_by()
        .values("couple")
        .annotate(names=StringAgg("user__display_name", delimiter=Value(", ")))
        .values("names"),
        output_field=CharField(),
    )


# --- what pages use -------------------------------------------------------------------------


def for_person(user, *, limit: int = SHOWN, now: dt.datetime | None = None) -> list[WaitingItem]:
    """``user``'s waiting items, newest first, in one query."""
    if not user.is_authenticated:
        return []
    first, *rest = sources(user, now)
    rows = first.union(*rest, all=True).order_by("-t_at", "t_code", "t_ref")[:limit]
    return [_item(row) for row in rows]


class _Count(Func):
    """COUNT(*) of a source's rows, as a scalar subquery (no GROUP BY)."""

    function = "COUNT"
    template = "%(function)s(*)"
    output_field = IntegerField()

    def __init__(self):
        super().__init__()


def count_expression(user, now: dt.datetime | None = None):
    """The number of ``user``'s waiting items, as one SQL expression (for the header's one query)."""
    total = Value(0)
    for source in sources(user, now):
        counted = Subquery(source.values(n=_Count())[:1], output_field=IntegerField())
        total = total + Coalesce(counted, Value(0))
    return total


def count(user, now: dt.datetime | None = None) -> int:
    """The number of ``user``'s waiting items (one query)."""
    if not user.is_authenticated:
        return 0
    from tandem.accounts.models import User

    return User.objects.filter(pk=user.pk).values_list(Value(0) + count_expression(user, now), flat=True).get()


# --- one row, one item ------------------------------------------------------------------------


def _homework_title(row: dict) -> str:
    if row["t_code"] == HOMEWORK_YES:
        if row["t_by"]:
            return _("Homework from your therapist, waiting for your yes")
        if row["t_sub"]:
            return _("The next step of your program, waiting for your yes")
        return _("A suggestion waiting for your yes")
    # Each kind words its own turn (``Kind.your_move``).
    return str(kinds.get(row["t_sub"]).your_move if row["t_sub"] in kinds.KINDS else YOUR_MOVE)


def _item(row: dict) -> WaitingItem:
    code, ref = row["t_code"], row["t_ref"]
    couple = uuid.UUID(row["t_couple"])
    detail, by, due = row["t_detail"], row["t_by"], row["t_due"]
    if code in (HOMEWORK_YES, HOMEWORK_TURN):
        title = _homework_title(row)
        url = reverse("homework:assignment", args=[couple, int(ref)])
    elif code in (BLOCK, BLOCK_CHANGE):
        title = _("A time together to accept") if code == BLOCK else _("A change to a time together to accept")
        url = reverse("blocks:block", args=[couple, uuid.UUID(ref)])
        detail = str(Block.Kind(row["t_sub"]).label) if row["t_sub"] in Block.Kind.values else ""
    elif code == AGREEMENT:
        title = _("An agreement waiting for your confirmation")
        url = reverse("boundaries:agreements", args=[couple])
    elif code == MEASURE:
        title = _("A questionnaire to fill in")
        url = reverse("measures:fill", args=[couple, ref])
    elif code == CARE_LINK:
        title = _("A care link waiting for your yes")
        url = reverse("home:couple", args=[couple])
    elif code == SAFETY:
        title = _("A message waiting for you")
        url = reverse("safety:thread", args=[couple, int(ref)])
    elif code == FLAG:
        title = _("A questionnaire answer to look at")
        url = reverse("measures:clinic", args=[couple])
    elif code == STAGE:
        title = _("A stage waiting for your approval")
        url = reverse("clinic:couple", args=[couple])
    elif code == REVISIT:
        title = _("An agreement to look at again")
        url = reverse("boundaries:agreements", args=[couple])
    elif code == THANKS:
        title = _("A thank-you note to read")
        url = reverse("wins:celebrate", args=[couple]) + f"#thanks-{ref}"
    else:  # QUIET
        title = ngettext(
            "A couple to check in with: quiet for %(days)d day",
            "A couple to check in with: quiet for %(days)d days",
            settings.QUIET_COUPLE_DAYS,
        ) % {"days": settings.QUIET_COUPLE_DAYS}
        url = reverse("clinic:couple", args=[couple])
        # Stable while it waits; a later quiet spell is another item.
        ref = f"{ref}:{row['t_at']:%Y%m%d}"
    return WaitingItem(
        code=code,
        title=title,
        at=row["t_at"],
        url=url,
        detail=detail or "",
        by=by or "",
        due=due,
        key=f"{code}:{ref}",
    )
