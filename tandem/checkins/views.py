"""Check-in pages: today's check-in, the rapid check-in, and our recent ones.

Couples are reached only through ``couple_access_or_404``; what a partner
may read is decided by the shared visibility rule in the queryset.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.checkins import services
from tandem.checkins.forms import CheckInForm, RapidForm
from tandem.checkins.models import CheckIn, RapidCheckIn, Schedule
from tandem.couples.access import couple_access_or_404, current_couple
from tandem.seasons.services import current_season, should_suggest


def _schedule(user) -> Schedule:
    return Schedule.objects.filter(user=user).first() or Schedule(user=user)


@login_required
def start(request: HttpRequest) -> HttpResponse:
    couple = current_couple(request.user)
    if couple is None:
        return redirect("core:home")
    return redirect("checkins:today", couple_id=couple.pk)


@login_required
@require_http_methods(["GET", "POST"])
def today(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    user = request.user
    schedule = _schedule(user)
    has_therapist = access.couple.care_links.active().exists()
    existing = CheckIn.objects.filter(author=user, local_date=user.today()).first()
    form_kwargs = {
        "track_desire": schedule.track_desire,
        "has_therapist": has_therapist,
        "visibility": existing.visibility if existing else schedule.default_visibility,
    }
    if request.method == "POST":
        form = CheckInForm(request.POST, **form_kwargs)
        if form.is_valid():
            _checkin, edited = services.save_checkin(access.couple, user, form.cleaned_data)
            if edited:
                messages.success(
                    request, _("Today's check-in is updated (one per day: your new answers replace the earlier ones).")
                )
            else:
                messages.success(request, _("Checked in. Thank you."))
            return redirect("checkins:recent", couple_id=access.couple.pk)
    else:
        initial = None
        if existing:
            initial = {
                f: getattr(existing, f)
                for f in ("mood", "energy", "stress", "closeness", "desire", "capacity", "note", "changed")
            }
        form = CheckInForm(initial=initial, **form_kwargs)
    return render(
        request,
        "checkins/today.html",
        {
            "couple": access.couple,
            "form": form,
            "existing": existing,
            "rapid_form": RapidForm(has_therapist=has_therapist),
            # In a hard season the one-tap check-in comes first.
            "season": current_season(access.couple),
        },
    )


@login_required
@require_POST
def rapid(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    has_therapist = access.couple.care_links.active().exists()
    form = RapidForm(request.POST, has_therapist=has_therapist)
    if form.is_valid():
        data = form.cleaned_data
        services.save_rapid(access.couple, request.user, data["colour"], data["need"].strip(), data["visibility"])
        messages.success(request, _("Noted. Thank you for checking in."))
        return redirect("checkins:recent", couple_id=access.couple.pk)
    return render(
        request,
        "checkins/today.html",
        {
            "couple": access.couple,
            "form": CheckInForm(track_desire=_schedule(request.user).track_desire, has_therapist=has_therapist),
            "rapid_form": form,
        },
    )


@login_required
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
