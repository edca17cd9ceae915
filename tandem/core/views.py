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
    couple = current_couple(request.user)
    context: dict = {"couple": None}
    if couple is not None:
        context.update(couple_context(request, couple))
    else:
        context["closed_couples"] = Couple.objects.of_partner(request.user).exclude(closed_at=None)
    return render(request, "core/home.html", context)
