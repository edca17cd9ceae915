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

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils import translation

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
