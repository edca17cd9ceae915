from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.couples.access import current_couple
from tandem.couples.models import Couple
from tandem.couples.views import couple_context


def home(request: HttpRequest) -> HttpResponse:
    """Signed out: what Tandem is. Signed in: our space, or the next step."""
    if not request.user.is_authenticated:
        return render(request, "core/landing.html")
    # Both partners come with the couple: one query fewer on the busiest page.
    couple = current_couple(request.user, with_partners=True)
    context: dict = {"couple": None}
    if couple is not None:
        context.update(couple_context(request, couple))
        context["celebration"] = _recent_celebration(request.user, couple)
        context.update(_today(request.user, couple, context["partner"]))
        if context["partner"] is not None:
            from tandem.blocks.views import WEEK_DAYS, upcoming

            context["week"] = upcoming(couple, request.user, WEEK_DAYS)
    else:
        context["closed_couples"] = Couple.objects.of_partner(request.user).exclude(closed_at=None)
    return render(request, "core/home.html", context)


def _recent_celebration(user, couple):
    """The newest milestone or thank-you of the past week, shown to both."""
    from datetime import timedelta

    from django.utils import timezone

    from tandem.wins.models import GratitudeNote, Milestone, Win

    since = timezone.now() - timedelta(days=7)
    milestone = Milestone.objects.filter(couple=couple, achieved_at__gte=since).first()
    win = Win.objects.readable_by(user).filter(couple=couple, created_at__gte=since).first()
    thanks = (
        GratitudeNote.objects.readable_by(user)
        .filter(couple=couple, created_at__gte=since)
        .exclude(author=user)
        .select_related("author")
        .first()
    )
    found = {"milestone": milestone, "thanks": thanks, "win": win}
    return found if any(found.values()) else None


def _today(user, couple, partner) -> dict:
    """Today's room-for overlap, and whether today is a check-in day for me."""
    from tandem.checkins.models import Schedule
    from tandem.checkins.services import capacity_overlap

    schedule = Schedule.objects.filter(user=user).first() or Schedule(user=user)
    today = user.today()
    overlap = capacity_overlap(couple, user, partner) if partner else None
    return {
        "overlap": overlap,
        "checkin_due": bool(overlap) and schedule.due_on(today) and not overlap.i_checked_in,
    }
