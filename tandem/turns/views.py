"""What open pages poll to stay live (app.js, "Live turns"; why polling: bench/README.md).

* ``waiting``: my waiting items as home's fragment, fetched when the count changed;
* ``count``: the number alone, for the header of every page, polled;
* ``stamp``: one assignment's turn stamp, polled by its page, which fetches
  its turn region again only when the stamp changed.

All answer GET only and write nothing (no "read" is marked by looking), so
they can be polled. The two polled ones answer 304 with no body when the
page already has the answer (``If-None-Match``), and a signed-out poll gets
403 with no body instead of a redirect to the log-in page, which a script
would otherwise read as the answer.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tandem.homework.views import assignment_in_couple
from tandem.turns import items


@login_required
@require_safe
def waiting(request: HttpRequest) -> HttpResponse:
    """My waiting items and their count. Only ever mine (no id to ask for
    anyone else's) and it writes nothing, so it can be polled."""
    # The count comes with the header's query (``nav.waiting``), as on every page.
    return render(request, "turns/_waiting.html", {"waiting": items.for_person(request.user)})


def _answer(request: HttpRequest, text: str) -> HttpResponse:
    """``text`` as a tiny private answer, or 304 when the page already has it."""
    etag = f'"{text}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
    response["ETag"] = etag
    # Never kept by a browser or a proxy: it is about one signed-in person.
    response["Cache-Control"] = "no-store, private"
    return response


def _signed_out() -> HttpResponse:
    response = HttpResponse(status=403)
    response["Cache-Control"] = "no-store, private"
    return response


@require_safe
def count(request: HttpRequest) -> HttpResponse:
    """How many waiting items wait for me: the header's number (one query)."""
    if not request.user.is_authenticated:
        return _signed_out()
    return _answer(request, str(items.count(request.user)))


@require_safe
def stamp(request: HttpRequest, couple_id, assignment_id: int) -> HttpResponse:
    """One assignment's turn stamp (``Assignment.turn_stamp``), for a partner
    of its couple only (404 for anyone else, through the couple access helper)."""
    if not request.user.is_authenticated:
        return _signed_out()
    _access, assignment = assignment_in_couple(request, couple_id, assignment_id, stamped=True)
    return _answer(request, assignment.turn_stamp)
