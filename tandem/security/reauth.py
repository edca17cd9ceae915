"""Re-authentication ("confirm it's you") before sensitive actions.

Two rules, both kept in the session:

* ``recent_auth_required(minutes)``: the person typed their password (and a
  two-factor code, when they have two-factor) within ``minutes``
  (``REAUTH_MINUTES``, 10, by default). For changing e-mail, password or
  two-factor, exporting data and deleting the account: an unlocked, unattended
  session should not be enough to take over or empty an account.
* ``reauth_when_idle``: the session went ``REAUTH_IDLE_MINUTES`` (15) without a
  request since the person last confirmed it was them. For the safety
  channel: someone who picks up a partner's idle phone must not read it,
  while a person actively using Tandem is not asked again and again.

Both send the person to the confirm page and back; a stale POST is not
carried out (the page is shown again after confirming).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

LAST_AUTH = "security.last_auth_at"
IDLE_SINCE_AUTH = "security.idle_since_auth"


def mark_authenticated(request: HttpRequest) -> None:
    """The person just proved it was them (log-in or confirm page)."""
    request.session[LAST_AUTH] = time.time()
    request.session.pop(IDLE_SINCE_AUTH, None)


def auth_age(request: HttpRequest) -> float | None:
    at = request.session.get(LAST_AUTH)
    return None if at is None else time.time() - at


def _to_confirm(request: HttpRequest) -> HttpResponse:
    # Back to the page itself (GET), never to a POST's effect.
    return redirect(f"{reverse('security:confirm')}?{urlencode({'next': request.get_full_path()})}")


def recent_auth_required(view: Callable | None = None, *, minutes: int | None = None):
    """Use as ``@recent_auth_required`` or ``@recent_auth_required(minutes=5)``."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            limit = (minutes if minutes is not None else settings.REAUTH_MINUTES) * 60
            age = auth_age(request)
            if age is None or age > limit:
                return _to_confirm(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


def reauth_when_idle(view: Callable) -> Callable:
    """Ask "confirm it's you" when the session sat idle since the last confirmation
    (``SecurityMiddleware`` raises the flag when it sees the gap)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.session.get(IDLE_SINCE_AUTH):
            return _to_confirm(request)
        return view(request, *args, **kwargs)

    return wrapper
