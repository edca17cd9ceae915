"""The waiting items as a fragment, for htmx polling (the header's count, home's list)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tandem.turns import items


@login_required
@require_safe
def waiting(request: HttpRequest) -> HttpResponse:
    """My waiting items and their count. Only ever mine (no id to ask for
    anyone else's) and it writes nothing, so it can be polled."""
    # The count comes with the header's query (``nav.waiting``), as on every page.
    return render(request, "turns/_waiting.html", {"waiting": items.for_person(request.user)})
