"""Check-in pages: today's check-in, the rapid check-in, and our recent ones.

Couples are reached only through ``couple_access_or_404``; what a partner
may read is decided by the shared visibility rule in the queryset.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Avg, Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tandem.checkins import charts, services
from tandem.checkins.forms import CheckInForm, RapidForm, ScheduleForm
from tandem.checkins.models import CheckIn, RapidCheckIn, Schedule
from tandem.couples.access import couple_access_or_404, to_my_couple
from tandem.homework.models import Assignment
from tandem.seasons.services import current_season, should_suggest
from tandem.wins.models import GratitudeNote, Milestone, Win


def _schedule(user) -> Schedule:
    return Schedule.objects.filter(user=user).first() or Schedule(user=user)


start = to_my_couple("checkins:today")


def _today_page(request: HttpRequest, access, *, form=None, rapid_form=None, status: int = 200) -> HttpResponse:
    """The check-in page, with every form starting from the person's own defaults."""
    user = request.user
    schedule = _schedule(user)
    has_therapist = access.has_therapist  # read with the couple by the access helper
    existing = CheckIn.objects.filter(couple=access.couple, author=user, local_date=user.today()).first()
    visibility = existing.visibility if existing else schedule.default_visibility
    if form is None:
        initial = None
        if existing:
            initial = {
                f: getattr(existing, f)
                for f in ("mood", "energy", "stress", "closeness", "desire", "capacity", "note", "changed")
            }
        form = CheckInForm(initial=initial, **_form_kwargs(schedule, has_therapist, visibility))
    return render(
        request,
        "checkins/today.html",
        {
            "couple": access.couple,
            "form": form,
            "existing": existing,
            "rapid_form": rapid_form or RapidForm(has_therapist=has_therapist, visibility=schedule.default_visibility),
            # In a hard season the one-tap check-in comes first.
            "season": current_season(access.couple),
        },
        status=status,
    )


def _form_kwargs(schedule, has_therapist: bool, visibility: str) -> dict:
    return {"track_desire": schedule.track_desire, "has_therapist": has_therapist, "visibility": visibility}


@login_required
@require_http_methods(["GET", "POST"])
def today(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    if request.method != "POST":
        return _today_page(request, access)
    user = request.user
    schedule = _schedule(user)
    has_therapist = access.has_therapist  # read with the couple by the access helper
    form = CheckInForm(request.POST, **_form_kwargs(schedule, has_therapist, schedule.default_visibility))
    if not form.is_valid():
        return _today_page(request, access, form=form)
    _checkin, edited = services.save_checkin(access.couple, user, form.cleaned_data)
    if edited:
        messages.success(
            request, _("Today's check-in is updated (one per day: your new answers replace the earlier ones).")
        )
    else:
        messages.success(request, _("Checked in. Thank you."))
    return redirect("checkins:recent", couple_id=access.couple.pk)


@login_required
@require_POST
def rapid(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    schedule = _schedule(request.user)
    has_therapist = access.has_therapist  # read with the couple by the access helper
    form = RapidForm(request.POST, has_therapist=has_therapist, visibility=schedule.default_visibility)
    if form.is_valid():
        data = form.cleaned_data
        services.save_rapid(access.couple, request.user, data["colour"], data["need"].strip(), data["visibility"])
        messages.success(request, _("Noted. Thank you for checking in."))
        return redirect("checkins:recent", couple_id=access.couple.pk)
    return _today_page(request, access, rapid_form=form)


@login_required
@require_safe
def recent(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    user = request.user
    checkins = (
        CheckIn.objects.readable_by(user)
        .filter(couple=access.couple)
        .select_related("author")
        .order_by("-local_date")[:28]
    )
    rapids = (
        RapidCheckIn.objects.readable_by(user)
        .filter(couple=access.couple)
        .select_related("author")
        .order_by("-created_at")[:14]
    )
    return render(
        request,
        "checkins/recent.html",
        {
            "couple": access.couple,
            "checkins": checkins,
            "rapids": rapids,
            "overlap": services.capacity_overlap(access.couple, user),
            "suggest": should_suggest(access.couple),
            "partner": access.couple.partner_of(user),
        },
    )


PERIODS = {4: gettext_lazy("4 weeks"), 12: gettext_lazy("12 weeks"), 52: gettext_lazy("a year")}
MEASURE_LABELS = {
    "mood": gettext_lazy("Mood"),
    "energy": gettext_lazy("Energy"),
    "stress": gettext_lazy("Stress"),
    "closeness": gettext_lazy("Closeness"),
    "desire": gettext_lazy("Desire"),
}


@login_required
@require_safe
def progress(request: HttpRequest, couple_id) -> HttpResponse:
    """Trends for both partners side by side: one query, whatever the period."""
    access = couple_access_or_404(request, couple_id, partners_only=True)
    user = request.user
    partner = access.couple.partner_of(user)
    try:
        weeks = int(request.GET.get("weeks", 4))
    except ValueError:
        weeks = 4
    if weeks not in PERIODS:
        weeks = 4
    # Up to the later of our two "todays": a partner ahead in time has already
    # checked in on a date that is still tomorrow here.
    end = max(user.today(), partner.today()) if partner else user.today()
    # "A year" is a whole year of days, so a year of daily check-ins shows in full.
    days = 365 if weeks == 52 else weeks * 7
    start = end - timedelta(days=days - 1)
    rows = list(
        CheckIn.objects.readable_by(user)
        .filter(couple=access.couple, local_date__gte=start, local_date__lte=end)
        .order_by("local_date")
        .values("author_id", "local_date", *charts.MEASURES)
    )
    people = [(user, "me", _("You"))] + ([(partner, "partner", partner.display_name)] if partner else [])
    measures = []
    for measure in charts.MEASURES:
        series = [
            charts.Series(
                label=label,
                css=css,
                points=[(r["local_date"], r[measure]) for r in rows if r["author_id"] == person.pk and r[measure]],
            )
            for person, css, label in people
        ]
        if measure == "desire" and not any(s.points for s in series):
            continue  # desire is optional; no empty chart for people who leave it out
        label = MEASURE_LABELS[measure]
        by_day: dict = {}
        for s in series:
            for day, value in s.points:
                by_day.setdefault(day, {})[s.css] = value
        measures.append(
            {
                "key": measure,
                "label": label,
                "svg": charts.svg_chart(label, series, start, end),
                "summary": charts.summary(str(label), series),
                "diverges": charts.divergence(series, end),
                "table": sorted(by_day.items(), reverse=True),
                "series": series,
            }
        )
    return render(
        request,
        "checkins/progress.html",
        {
            "couple": access.couple,
            "partner": partner,
            "measures": measures,
            "weeks": weeks,
            "periods": PERIODS,
            "nothing_yet": not rows,  # no check-in either of us can read in this period
        },
    )


@login_required
@require_safe
def week(request: HttpRequest, couple_id) -> HttpResponse:
    """Our week: what we did, our wins, and how we felt on average."""

    access = couple_access_or_404(request, couple_id, partners_only=True)
    user = request.user
    try:
        back = max(0, min(int(request.GET.get("back", 0)), 520))
    except ValueError:
        back = 0
    today = user.today()
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=back)
    sunday = monday + timedelta(days=6)
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(monday, time.min), zone)
    end = start + timedelta(days=7)
    couple = access.couple
    averages = (
        CheckIn.objects.readable_by(user)
        .filter(couple=couple, local_date__gte=monday, local_date__lte=sunday)
        .values("author_id")
        .annotate(
            n=Count("pk"), mood=Avg("mood"), energy=Avg("energy"), stress=Avg("stress"), closeness=Avg("closeness")
        )
    )
    names = {p.pk: (_("You") if p.pk == user.pk else p.display_name) for p in couple.partners()}
    return render(
        request,
        "checkins/week.html",
        {
            "couple": couple,
            "monday": monday,
            "sunday": sunday,
            "back": back,
            "done": Assignment.objects.filter(
                couple=couple, status=Assignment.Status.COMPLETED, completed_at__gte=start, completed_at__lt=end
            ).select_related("exercise"),
            "wins": Win.objects.readable_by(user).filter(couple=couple, created_at__gte=start, created_at__lt=end),
            "thanks": GratitudeNote.objects.readable_by(user)
            .filter(couple=couple, created_at__gte=start, created_at__lt=end)
            .count(),
            "milestones": Milestone.objects.filter(couple=couple, achieved_at__gte=start, achieved_at__lt=end),
            "feelings": [{**row, "who": names.get(row["author_id"], "")} for row in averages],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def schedule(request: HttpRequest) -> HttpResponse:
    """My check-in rhythm, in my own time zone. Personal, not couple data."""
    instance = _schedule(request.user)
    form = ScheduleForm(request.POST if request.method == "POST" else None, instance=instance)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.user = request.user
        saved.updated_at = timezone.now()
        saved.save()
        messages.success(request, _("Your check-in rhythm is saved."))
        return redirect("checkins:schedule")
    return render(request, "checkins/schedule.html", {"form": form})
