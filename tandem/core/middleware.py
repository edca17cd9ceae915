"""Small middlewares for headers and per-person preferences."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

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
