"""Log-in in two steps for people with two-factor.

After the password, a person with a confirmed authenticator is *not* logged
in yet: the session holds only who is half-way in (for a few minutes), and
the code page finishes the log-in. Nothing else in the session changes, so a
half-finished log-in reaches no page that needs an account.
"""

from __future__ import annotations

import time

from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tandem.accounts.models import User
from tandem.security import twofactor

PENDING = "security.pending_login"
PENDING_SECONDS = 5 * 60  # long enough to find the phone, short enough to go stale


def needs_second_step(user) -> bool:
    return twofactor.confirmed(user) is not None


def begin(request: HttpRequest, user, next_url: str) -> HttpResponse:
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", "tandem.accounts.backends.EmailBackend"),
        "next": next_url,
        "at": time.time(),
    }
    return redirect("security:login_code")


def pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def finish(request: HttpRequest, user) -> str:
    """Log the person in after the second step; returns where to go next."""
    pending = request.session.pop(PENDING)
    login(request, user, backend=pending["backend"])
    twofactor.mark_verified(request, twofactor.confirmed(user))
    return pending["next"]
