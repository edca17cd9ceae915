"""Per-request security: ended sessions, idle time, and the two-factor refusal.

For a signed-in person, on every request:

1. a session whose record was deleted ("log out everywhere") is logged out;
2. the gap since the previous request is measured: a therapist idle longer
   than ``THERAPIST_IDLE_MINUTES`` is logged out; any session idle longer than
   ``REAUTH_IDLE_MINUTES`` is marked so the safety channel asks "confirm it's
   you" first;
3. "last seen" is written at most once a minute (one session write, not one
   per request), so idle times are accurate to about a minute.

``TwoFactorRequired`` (raised by the access helper before any couple data is
read) becomes a redirect to the two-factor page, or a 403 for a POST.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.security import reauth, sessions
from tandem.security.models import SessionRecord
from tandem.security.twofactor import TwoFactorRequired, confirmed

LAST_SEEN = "security.last_seen_at"
WRITE_EVERY = 60  # seconds


class SecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            refused = self.check_session(request)
            if refused is not None:
                return refused
        return self.get_response(request)

    def check_session(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        user = request.user
        record_id = session.get(sessions.SESSION_RECORD)
        record = SessionRecord.objects.filter(pk=record_id, user=user).first() if record_id else None
        if record_id and record is None:
            # Ended from another device.
            logout(request)
            return None
        if record is None:
            # A session from before records existed: give it one, so it can be listed and ended.
            record = sessions.start(request, user)

        now = time.time()
        last_seen = session.get(LAST_SEEN)
        idle = now - last_seen if last_seen is not None else 0.0
        if idle > settings.THERAPIST_IDLE_MINUTES * 60 and user.is_therapist:
            logout(request)
            messages.info(request, _("You were logged out after a while without activity. Please log in again."))
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.get_full_path()})}")
        if idle > settings.REAUTH_IDLE_MINUTES * 60:
            session[reauth.IDLE_SINCE_AUTH] = True
        if last_seen is None or idle >= WRITE_EVERY:
            session[LAST_SEEN] = now
            stamp = timezone.now()
            if record.last_seen_at < stamp - dt.timedelta(seconds=WRITE_EVERY):
                SessionRecord.objects.filter(pk=record.pk).update(last_seen_at=stamp)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, TwoFactorRequired):
            return None
        # No authenticator yet: set one up. One, but this session did not pass it: confirm.
        target = "security:two_factor" if confirmed(request.user) is None else "security:confirm"
        url = f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}"
        if request.method in ("GET", "HEAD"):
            response = redirect(url)
            if request.headers.get("HX-Request") == "true":
                response["HX-Redirect"] = url
            return response
        return render(request, "security/two_factor_required.html", {"next_url": url}, status=403)
