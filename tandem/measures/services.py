"""Planning, filling and summarising measures.

Measures exist for the care team: a plan belongs to the care link that
planned it and is due only while that link is active; its responses belong
to the same link, and a PHQ-9 item 9 answer above 0 raises a risk flag in
that link alone.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, RowRange, Window
from django.db.models.functions import FirstValue, LastValue
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.clinic.models import CareLink
from tandem.measures import instruments, rci
from tandem.measures.models import MeasurePlan, MeasureResponse, RiskFlag


class MeasureError(Exception):
    """A measure action that can't be done, with the reason to show."""


def active_link(couple) -> CareLink | None:
    return CareLink.objects.active().filter(couple=couple).select_related("therapist__user").first()


def is_due(plan: MeasurePlan, today: date, link: CareLink | None) -> bool:
    """Whether ``plan`` is due on ``today`` in ``link`` (``MeasurePlan.objects.due`` decides)."""
    if not plan.active or link is None or plan.care_link_id != link.pk:
        return False
    return MeasurePlan.objects.filter(pk=plan.pk).due(today).exists()


def due_for(person, couple, today: date) -> list[MeasurePlan]:
    """The measures ``person`` has to fill in today, in a stable order."""
    link = active_link(couple)
    if link is None:
        return []
    return list(MeasurePlan.objects.of_link(link).filter(person=person).due(today).order_by("instrument"))


def schedule(
    couple,
    person,
    instrument: str,
    cadence: str,
    *,
    created_by,
    link: CareLink | None = None,
    every_weeks: int | None = None,
    start: date | None = None,
) -> MeasurePlan:
    """Plan ``instrument`` for ``person`` in ``link`` (the couple's active
    link if not given); replaces their current plan for it."""
    link = link or active_link(couple)
    if link is None or not link.is_active or link.couple_id != couple.pk:
        raise MeasureError(_("Measures are planned through an active therapist link."))
    if person not in couple.partners():
        raise MeasureError(_("Choose one of the partners."))
    if instruments.get(instrument) is None:
        raise MeasureError(_("Choose one of the measures."))
    if cadence == MeasurePlan.Cadence.EVERY_N_WEEKS and not every_weeks:
        raise MeasureError(_("Say every how many weeks."))
    with transaction.atomic():
        MeasurePlan.objects.active().filter(couple=couple, person=person, instrument=instrument).update(active=False)
        return MeasurePlan.objects.create(
            couple=couple,
            person=person,
            instrument=instrument,
            cadence=cadence,
            every_weeks=every_weeks if cadence == MeasurePlan.Cadence.EVERY_N_WEEKS else None,
            next_due=None if cadence == MeasurePlan.Cadence.BEFORE_SESSION else (start or person.today()),
            created_by=created_by,
            care_link=link,
        )


def record(plan: MeasurePlan, answers: dict[str, int]) -> MeasureResponse:
    """Save a completed measure, move its plan on, and raise a risk flag when
    PHQ-9 item 9 is above 0. Raises ``MeasureError`` when it is no longer due
    (filled meanwhile in another tab, or the care link ended)."""
    measure = plan.measure
    total = measure.score(answers)  # ScoringError before anything is written
    person = plan.person
    today = person.today()
    with transaction.atomic():
        plan = MeasurePlan.objects.select_for_update().get(pk=plan.pk)
        link = active_link(plan.couple)
        if not is_due(plan, today, link):
            raise MeasureError(_("This measure isn't due now. Nothing was saved."))
        response = MeasureResponse.objects.create(
            couple=plan.couple,
            person=person,
            plan=plan,
            instrument=plan.instrument,
            answers={item.link_id: answers[item.link_id] for item in measure.items},
            total=total,
            local_date=today,
            care_link=link,
        )
        if plan.cadence == MeasurePlan.Cadence.ONCE:
            plan.active = False
        elif plan.cadence == MeasurePlan.Cadence.EVERY_N_WEEKS:
            plan.next_due = today + timedelta(weeks=plan.every_weeks)
        plan.save(update_fields=["active", "next_due"])
        item9 = answers.get(instruments.PHQ9_ITEM9, 0) if plan.instrument == instruments.PHQ9.code else 0
        if item9 > 0:
            RiskFlag.objects.create(
                couple=plan.couple,
                person=person,
                therapist=link.therapist.user,
                response=response,
                answer=item9,
                care_link=link,
            )
    return response


def raised_flag(response: MeasureResponse) -> bool:
    return RiskFlag.objects.filter(response=response).exists()


def set_shared(response: MeasureResponse, shared: bool) -> None:
    response.shared_with_partner = shared
    response.save(update_fields=["shared_with_partner"])


def series(couple, person, *, therapist=None) -> dict[str, list[MeasureResponse]]:
    """``person``'s responses in ``couple``, oldest first, by measure code (in
    the instruments' order); with ``therapist`` (a user), only those that
    therapist may read."""
    by_code: dict[str, list[MeasureResponse]] = {}
    rows = MeasureResponse.objects.filter(couple=couple, person=person)
    if therapist is not None:
        rows = rows.read_by_care_team(therapist)
    rows = rows.chronological()
    for response in rows:
        by_code.setdefault(response.instrument, []).append(response)
    return {code: by_code[code] for code in instruments.INSTRUMENTS if code in by_code}


def shared_series(couple, person) -> dict[str, list[MeasureResponse]]:
    """What ``person`` chose to share with their partner, and nothing else."""
    return {
        code: shared
        for code, rows in series(couple, person).items()
        if (shared := [r for r in rows if r.shared_with_partner])
    }


# --- for the caseload ----------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    person_id: int
    instrument: str
    latest_score: int
    in_clinical_range: bool | None  # latest score on the clinical side of the cut-off; None without one
    crossed_cutoff: bool | None  # moved across the cut-off between first and latest; None without one
    change: str | None  # vs the first response: improved / deteriorated / unchanged; None with one
    # response or when the norms table has no SD/r for this measure
    responses: int

    @property
    def band(self) -> str:
        # Worked out when shown, not for every row of a 300-couple caseload.
        return instruments.INSTRUMENTS[self.instrument].band_label(self.latest_score)


def caseload_summary(couple_ids: list, therapist) -> dict:
    """``{couple_id: [Summary, …]}`` for each person and measure, in one query,
    of the responses ``therapist`` (a user) may read.

    Reliable change is against the person's *first* such response;
    "recovered" counts as improved here (``crossed_cutoff`` tells the rest).
    The caller is the therapist's caseload, which audits the read.
    """
    couple_ids = _uuids(couple_ids)
    result: dict = {couple_id: [] for couple_id in couple_ids}
    # One row per person and measure, computed by the database with window
    # functions: a year of responses for 300 couples used to come back row
    # by row (thousands of rows per caseload) only to keep the first and last.
    series = ("couple_id", "person_id", "instrument")
    # One ordering and a frame over the whole series for all three, so the
    # database sorts once.
    whole = {"partition_by": series, "order_by": ["completed_at", "pk"], "frame": RowRange(start=None, end=None)}
    rows = (
        MeasureResponse.objects.filter(couple_id__in=couple_ids)
        .read_by_care_team(therapist)
        .annotate(
            first_total=Window(FirstValue("total"), **whole),
            latest_total=Window(LastValue("total"), **whole),
            n=Window(Count("pk"), **whole),
        )
        .values_list(*series, "first_total", "latest_total", "n")
        .order_by(*series)
        .distinct()
    )
    firsts: dict[tuple, int] = {}
    latest: dict[tuple, int] = {}
    counts: dict[tuple, int] = {}
    for couple_id, person_id, code, first_total, latest_total, n in rows:
        key = (couple_id, person_id, code)
        firsts[key], latest[key], counts[key] = first_total, latest_total, n
    for key, last in latest.items():
        couple_id, person_id, code = key
        measure = instruments.INSTRUMENTS[code]
        change = None
        crossed = None
        if counts[key] > 1:
            compared = rci.compare(measure, firsts[key], last)
            change = compared.direction  # never "recovered": crossed_cutoff carries that part
            crossed = compared.crossed_cutoff
        elif measure.cutoff is not None:
            crossed = False
        result.setdefault(couple_id, []).append(
            Summary(
                person_id=person_id,
                instrument=code,
                latest_score=last,
                in_clinical_range=measure.in_clinical_range(last),
                crossed_cutoff=crossed,
                change=change,
                responses=counts[key],
            )
        )
    return result


def _uuids(couple_ids: list) -> list[uuid.UUID]:
    # Keys come back from the database as UUIDs; accept strings too.
    return [c if isinstance(c, uuid.UUID) else uuid.UUID(str(c)) for c in couple_ids]


def open_flags(couple_ids: list, therapist=None) -> dict:
    """``{couple_id: number of unseen risk flags}`` in one query; pass
    ``therapist`` (a user) to count only the flags raised to them."""
    couple_ids = _uuids(couple_ids)
    flags = RiskFlag.objects.open().filter(couple_id__in=couple_ids).order_by()
    if therapist is not None:
        flags = flags.raised_to(therapist)
    counts = dict(flags.values_list("couple_id").annotate(n=Count("pk")).values_list("couple_id", "n"))
    return {couple_id: counts.get(couple_id, 0) for couple_id in couple_ids}


def mark_seen(flag: RiskFlag) -> None:
    if flag.seen_at is None:
        flag.seen_at = timezone.now()
        flag.save(update_fields=["seen_at"])
