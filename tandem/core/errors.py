"""Tandem's own error pages: 500, and 503 while the database is unreachable.

Django calls ``server_error`` (``handler500`` in ``tandem.urls``) for any
exception a view or a middleware did not handle, still inside the ``except``
block, so the exception is at hand: a database that cannot be reached
(``OperationalError``, ``InterfaceError``) gets the 503 page with a
``Retry-After``, anything else the 500 page. Only with ``DEBUG`` off; with
it on, Django shows its technical page instead.

Both pages render from ``core/error_page.html``, not ``base.html``: no
context processors run (the template gets no request), so nothing reads the
session, the signed-in person or the navigation's query, and the page
renders while the database is down. The connection itself needs no help
to come back: Django checks it before reusing it (``CONN_HEALTH_CHECKS``)
and opens a new one on the next request.

Both are ``no-store`` (they say nothing private, but a page from a bad
moment should not come back from a cache), neutral ("Tandem"), with the
quick exit and never a stack trace.
"""

from __future__ import annotations

import re
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme

# How long a client is told to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 30
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    if isinstance(sys.exception(), DATABASE_UNREACHABLE):
        return unavailable(request)
    return _page(request, "500.html", 500)


def unavailable(request: HttpRequest) -> HttpResponse:
    response = _page(request, "503.html", 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    context = {
        "LANGUAGE_CODE": translation.get_language(),
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "retry_after": RETRY_AFTER_SECONDS,
        "retry_url": request.get_full_path(),
    }
    response = HttpResponse(loader.get_template(template).render(context), status=status)
    response["Cache-Control"] = "no-store, private"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form whose CSRF token no longer matches (``CSRF_FAILURE_VIEW``).

    In Tandem this mostly means the person signed in again in another tab
    (which changes the token) while this page was open, or the form was
    open across a restart of their browser: not an attack to be answered
    with Django's bare 403. The words sent are shown back, nothing is saved,
    and ``app.js`` fetches a fresh token and offers to save again.
    """
    return not_saved_response(request, reason="expired_form", status=403)


# A value that is a choice code, a number, a date or an id, not words someone
# wrote: left out of the "your words" list so that list is only writing.
_CODE = re.compile(r"[a-z0-9_:.\-]{1,24}")
_NOT_WORDS = frozenset({"csrfmiddlewaretoken", "next"})


def words_sent(request: HttpRequest) -> list[str]:
    """The free text in a refused POST, to show back to the person who sent it."""
    words = []
    for key, values in request.POST.lists():
        if key in _NOT_WORDS:
            continue
        words.extend(v for v in values if v.strip() and not _CODE.fullmatch(v.strip()))
    return words


def not_saved_response(request: HttpRequest, *, reason: str, status: int) -> HttpResponse:
    """The page (or, for htmx, the empty answer) for a form that could not be saved."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=status)
        response["HX-Reswap"] = "none"
    else:
        response = render(
            request,
            "core/not_saved.html",
            {"words": words_sent(request), "reason": reason, "back": _page_sent_from(request)},
            status=status,
        )
    # Read by app.js, which shows the notice that fits without a swap.
    response["X-Tandem-Not-Saved"] = reason
    response["Cache-Control"] = "no-store, private"
    return response


def _page_sent_from(request: HttpRequest) -> str:
    """The page the form was on (a POST URL may not answer GET), on this site only."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return "/"
