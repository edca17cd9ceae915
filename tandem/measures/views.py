"""Measure pages: the partner's own, and the therapist's for a linked couple.

Partner pages are partner-only (the therapist gets 404 there) and show the
other partner's results only where that partner shared them. Nothing on a
partner page depends on risk flags. Therapist pages go through the
therapist door (``therapist_access_or_404``), which audits the read; single
responses are fetched with ``access.object_or_404``, which audits each one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import markdown
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tandem.couples.access import (
    CoupleAccess,
    TherapistAccess,
    audit_partner_read,
    couple_access_or_404,
    therapist_access_or_404,
    therapist_required,
)
from tandem.measures import charts, fhir, instruments, norms, rci, services
from tandem.measures.forms import MeasureForm, PlanForm, field_name
from tandem.measures.models import SESSION_WINDOW_DAYS, MeasurePlan, MeasureResponse, RiskFlag

FALLBACK_CRISIS = (
    "If you might act on thoughts of harming yourself, call your local emergency number now, "
    "or go to the nearest emergency department."
)


def crisis_resources() -> SafeString:
    """The deployment's crisis guidance (``CRISIS_RESOURCES_FILE``), as HTML.

    Read on each use so that a deployment can edit the file without a
    restart; raw HTML in it is escaped, not trusted. A missing file must not
    take the page down at the worst moment: a short fallback is shown.
    """
    try:
        text = settings.CRISIS_RESOURCES_FILE.read_text(encoding="utf-8")
    except OSError:
        text = FALLBACK_CRISIS
    md = markdown.Markdown(extensions=["sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return mark_safe(md.convert(text))  # noqa: S308 -- Markdown with raw HTML disabled


@dataclass
class Row:
    response: MeasureResponse
    band: str
    vs_previous: rci.Change | None = None
    vs_first: rci.Change | None = None


@dataclass
class Chart:
    measure: instruments.Instrument
    norms: norms.Norms
    rows: list[Row] = field(default_factory=list)
    svg: str = ""

    @property
    def latest(self) -> Row:
        return self.rows[-1]


def _charts(series: dict[str, list[MeasureResponse]], who: str, with_change: bool) -> list[Chart]:
    result = []
    for code, responses in series.items():
        measure = instruments.INSTRUMENTS[code]
        chart = Chart(measure, norms.NORMS[code])
        for i, response in enumerate(responses):
            row = Row(response, measure.band_label(response.total))
            if with_change and i > 0:
                row.vs_previous = rci.compare(measure, responses[i - 1].total, response.total)
                row.vs_first = rci.compare(measure, responses[0].total, response.total)
            chart.rows.append(row)
        chart.svg = charts.svg_chart(
            measure,
            [(r.local_date, r.total) for r in responses],
            _("%(measure)s scores of %(who)s over time") % {"measure": measure.title, "who": who},
        )
        result.append(chart)
    return result


# --- partner side --------------------------------------------------------------


@login_required
@require_safe
def overview(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    me = request.user
    partner = access.couple.partner_of(me)
    due = services.due_for(me, access.couple, me.today()) if access.can_write else []
    return render(
        request,
        "measures/overview.html",
        {
            "couple": access.couple,
            "access": access,
            "due": due,
            "mine": _charts(services.series(access.couple, me), _("you"), with_change=False),
            "partner": partner,
            # Only what the partner chose to share, never anything else of theirs.
            "partner_shared": _charts(services.shared_series(access.couple, partner), partner.display_name, False)
            if partner
            else [],
            "crisis": crisis_resources(),
        },
    )


def _fill_page(request: HttpRequest, access: CoupleAccess, plan: MeasurePlan, form: MeasureForm) -> HttpResponse:
    return render(
        request,
        "measures/fill.html",
        {
            "couple": access.couple,
            "plan": plan,
            "measure": plan.measure,
            "form": form,
            "fields": [(form[field_name(item)], item) for item in plan.measure.items],
        },
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def fill(request: HttpRequest, couple_id, code: str) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    measure = instruments.get(code)
    if measure is None:
        raise Http404
    plan = next(
        (p for p in services.due_for(request.user, access.couple, request.user.today()) if p.instrument == code), None
    )
    if plan is None or not access.can_write:
        messages.info(request, _("That measure isn't due for you right now."))
        return redirect("measures:overview", couple_id=access.couple.pk)
    form = MeasureForm(measure, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.record(plan, form.answers())
        except services.MeasureError as error:
            messages.error(request, str(error))
            return redirect("measures:overview", couple_id=access.couple.pk)
        if services.raised_flag(response):
            # Right away, on this very response: not after a redirect, not in
            # a message that could be missed.
            return render(
                request,
                "measures/crisis.html",
                {"couple": access.couple, "crisis": crisis_resources(), "measure": measure},
            )
        messages.success(request, _("Thank you. Your answers are saved."))
        return redirect("measures:overview", couple_id=access.couple.pk)
    return _fill_page(request, access, plan, form)


@login_required
@require_POST
def share(request: HttpRequest, couple_id, response_id: int) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    # Only the author's own responses: the partner's are a 404, like anything not theirs.
    response = access.object_or_404(MeasureResponse.objects.filter(person=request.user), pk=response_id)
    shared = request.POST.get("share") == "1"
    services.set_shared(response, shared)
    messages.success(
        request,
        _("Your partner can now see this score.") if shared else _("This score is private to you again."),
    )
    return redirect("measures:overview", couple_id=access.couple.pk)


# --- therapist side ------------------------------------------------------------
#
# Every page here shows (or changes) one partner's own measures, so each says
# so at the door (``reads=``): the couple-level read is then listed to neither
# partner, and each partner sees the reads of their own data only.


def _clinic_page(request: HttpRequest, access: TherapistAccess, form: PlanForm | None = None) -> HttpResponse:
    couple = access.couple
    partners = couple.partners()
    link = access.link
    for person in partners:
        # Each partner's series is their own data: each sees this read in their list, the other doesn't.
        audit_partner_read(access, person, "measures.series")
    return render(
        request,
        "measures/clinic.html",
        {
            "couple": couple,
            "link": link,
            "people": [
                (
                    person,
                    _charts(
                        services.series(couple, person, therapist=request.user), person.display_name, with_change=True
                    ),
                )
                for person in partners
            ],
            # Raised in this link only: an earlier link's flags stay with it.
            "flags": RiskFlag.objects.open().raised_in(link).select_related("person", "response"),
            "plans": MeasurePlan.objects.active().of_link(link).select_related("person"),
            "form": form or PlanForm(partners),
            "session_window": SESSION_WINDOW_DAYS,
        },
        status=400 if form is not None else 200,
    )


@therapist_required
@require_safe
def clinic(request: HttpRequest, couple_id) -> HttpResponse:
    return _clinic_page(request, therapist_access_or_404(request, couple_id, reads=MeasureResponse))


@therapist_required
@require_POST
def clinic_plan(request: HttpRequest, couple_id) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, write=True, reads=MeasurePlan)
    form = PlanForm(access.couple.partners(), request.POST)
    if not form.is_valid():
        return _clinic_page(request, access, form)
    data = form.cleaned_data
    try:
        plan = services.schedule(
            access.couple,
            form.chosen_person,
            data["instrument"],
            data["cadence"],
            created_by=request.user,
            link=access.link,
            every_weeks=data.get("every_weeks"),
            start=data.get("start"),
        )
    except services.MeasureError as error:
        form.add_error(None, str(error))
        return _clinic_page(request, access, form)
    messages.success(
        request,
        _("%(measure)s planned for %(name)s.")
        % {"measure": plan.measure.title, "name": form.chosen_person.display_name},
    )
    link = access.link
    if plan.cadence == MeasurePlan.Cadence.BEFORE_SESSION and (link is None or link.next_session is None):
        messages.info(request, _("It becomes due once the next session date is set."))
    return redirect("measures:clinic", couple_id=access.couple.pk)


@therapist_required
@require_POST
def clinic_flag_seen(request: HttpRequest, couple_id, flag_id: int) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, reads=RiskFlag)
    flag = access.object_or_404(RiskFlag.objects.raised_in(access.link), pk=flag_id)
    services.mark_seen(flag)
    messages.success(request, _("Marked as seen."))
    return redirect("measures:clinic", couple_id=access.couple.pk)


@therapist_required
@require_safe
def clinic_fhir(request: HttpRequest, couple_id, response_id: int) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, reads=MeasureResponse)
    response = access.object_or_404(MeasureResponse.objects.read_by_care_team(request.user), pk=response_id)
    return HttpResponse(
        json.dumps(fhir.questionnaire_response(response), ensure_ascii=False, indent=2),
        content_type="application/fhir+json; charset=utf-8",
    )
