"""Small middlewares for headers and per-person preferences."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone, translation

from tandem.core.errors import not_saved_response

Handler = Callable[[HttpRequest], HttpResponse]


def privacy_headers(get_response: Handler) -> Handler:
    """Headers Django's SecurityMiddleware does not set.

    ``Permissions-Policy`` denies powerful browser features Tandem never needs.
    Signed-in pages are marked ``no-store`` so that nothing a couple wrote
    stays in a browser cache or reappears with the back button after a quick
    exit on a shared device.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if "no-store" in response.headers.get("Cache-Control", ""):
            # Already kept out of caches (the error pages are): no need to
            # ask who is signed in, which needs the database they may lack.
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = "no-store, private"
        return response

    return middleware


def user_preferences(get_response: Handler) -> Handler:
    """Show times in the person's own time zone and pages in their language."""

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        response = get_response(request)
        timezone.deactivate()
        return response

    return middleware


def signed_out_post(get_response: Handler) -> Handler:
    """A form sent after its session ended keeps its words on screen.

    Without this, a POST from a page whose session ended (logged out in
    another tab, ended from another device, timed out) is redirected to the
    log-in page and everything typed is gone. ``app.js`` asks first whether
    the session still holds (``accounts:session``) and keeps the page as it
    is; this is the net under it, for a browser without the script or a
    session that ended in between: the redirect becomes a 401 page that
    shows the words back, says they are not saved, and links to signing in
    in a new tab. An htmx request gets the 401 without a swap, so the form
    stays where it is and ``app.js`` shows the same notice in it.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        response = get_response(request)
        if request.method != "POST" or response.status_code != 302:
            return response
        user = getattr(request, "user", None)
        if user is None or user.is_authenticated:
            return response
        location = response.get("Location", "")
        # "Log in to do this" carries a next=; a deliberate log-out (log out
        # everywhere, from this very form) goes to the plain log-in page.
        if not location.startswith(resolve_url(settings.LOGIN_URL)) or "next=" not in location:
            return response
        return not_saved_response(request, reason="signed_out", status=401)

    return middleware
