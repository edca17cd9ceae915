"""Pages that put several domain apps side by side: home and the couple page.

They only read: each app answers for its own part (check-ins, wins, blocks,
the care link), and this module arranges the answers on one page.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from tandem.blocks.views import WEEK_DAYS, upcoming
from tandem.boundaries.forms import VocabularyForm
from tandem.boundaries.models import ConsentVocabulary
from tandem.checkins.models import CheckIn, Schedule
from tandem.checkins.services import capacity_overlap
from tandem.clinic.forms import HistoryForm
from tandem.clinic.models import CareLink
from tandem.couples.access import couple_access_or_404, current_couple
from tandem.couples.models import Couple
from tandem.home.context_processors import nav_for
from tandem.homework.programs import first_start
from tandem.measures.views import crisis_resources
from tandem.turns import items as waiting
from tandem.wins.models import GratitudeNote, Milestone, Win


def couple_context(request: HttpRequest, couple) -> dict:
    """What the couple page and the home page both show."""
    user = request.user
    partner = couple.partner_of(user)
    link = (
        CareLink.objects.current()
        .filter(couple=couple)
        .with_history_question(user)
        .select_related("therapist__user")
        .first()
    )
    i_consented = bool(link and not link.is_active and link.consents.filter(user=user).exists())
    return {
        "couple": couple,
        "partner": partner,
        # Only asked for while they matter, to keep the home page lean.
        "pending_invite": couple.waiting_invite(partner),
        "care_link": link,
        "i_consented": i_consented,
        # The earlier-history question, asked beside this partner's yes to a waiting link.
        "history_form": HistoryForm(therapist_name=link.therapist.user.display_name)
        if link and link.asks_history and not link.is_active and not i_consented
        else None,
        "site_root": request.build_absolute_uri("/").rstrip("/"),
    }


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Signed out: what Tandem is. Signed in: our space, or the next step."""
    if not request.user.is_authenticated:
        return render(request, "home/landing.html")
    if nav_for(request)["desk_only"]:
        # A therapist without a couple of their own: their desk is their home.
        return redirect("clinic:caseload")
    # Both partners come with the couple: one query fewer on the busiest page.
    couple = current_couple(request.user, with_partners=True)
    # What waits on my move comes first, whatever else is on the page.
    context: dict = {"couple": None, "waiting": waiting.for_person(request.user)}
    if couple is not None:
        context.update(couple_context(request, couple))
        context["celebration"] = _recent_celebration(request.user, couple)
        nav = nav_for(request)
        context.update(_today(request.user, couple, context["partner"], nav))
        # One clear start until the first homework is done (the header's query knows whether it is).
        if context["partner"] is not None and not nav.get("homework_done"):
            context["first_start"] = first_start(couple)
        if context["partner"] is not None:
            context["week"] = upcoming(couple, request.user, WEEK_DAYS)
    else:
        context["closed_couples"] = Couple.objects.of_partner(request.user).exclude(closed_at=None)
    return render(request, "home/home.html", context)


@login_required
@require_safe
def couple(request: HttpRequest, couple_id) -> HttpResponse:
    """Our couple space: who is in it, today's overlap, the care link, our words."""
    access = couple_access_or_404(request, couple_id, partners_only=True)
    vocabulary = ConsentVocabulary.objects.filter(couple=access.couple).first()
    return render(
        request,
        "home/couple.html",
        {
            **couple_context(request, access.couple),
            "access": access,
            "vocabulary": vocabulary,
            "vocabulary_form": VocabularyForm(instance=vocabulary),
            "overlap": capacity_overlap(access.couple, request.user),
            "recent_checkins": CheckIn.objects.readable_by(request.user)
            .filter(couple=access.couple)
            .exclude(author=request.user)
            .order_by("-local_date")[:3],
        },
    )


def _recent_celebration(user, couple):
    """The newest milestone or thank-you of the past week, shown to both."""
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


def _today(user, couple, partner, nav) -> dict:
    """Today's room-for overlap, and whether today is a check-in day for me.

    My check-in rhythm comes with the header's query (``nav``): one query fewer here."""
    schedule = Schedule(user=user)
    if nav.get("checkin_frequency"):
        schedule.frequency, schedule.weekdays = nav["checkin_frequency"], nav["checkin_weekdays"] or []
    today = user.today()
    overlap = capacity_overlap(couple, user, partner) if partner else None
    return {
        "overlap": overlap,
        "checkin_due": bool(overlap) and schedule.due_on(today) and not overlap.i_checked_in,
    }


@require_safe
def help_page(request: HttpRequest) -> HttpResponse:
    """How Tandem works, where things are, and where to turn when it is not safe.

    Open to everyone, signed in or not: a person who needs the crisis numbers
    should never meet a log-in form first. Linked from the same place (the
    footer) on every page."""
    couple = current_couple(request.user) if request.user.is_authenticated else None
    return render(request, "home/help.html", {"crisis": crisis_resources(), "couple": couple})
