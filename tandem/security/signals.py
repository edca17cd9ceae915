"""Every log-in starts a session record and counts as a fresh authentication;
every log-out ends the record."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.dispatch import receiver

from tandem.security import reauth, sessions
from tandem.security.middleware import LAST_SEEN
from tandem.security.models import SessionRecord


@receiver(user_logged_in, dispatch_uid="security_logged_in")
def logged_in(sender, request, user, **kwargs) -> None:
    if request is None or not hasattr(request, "session"):
        return
    sessions.start(request, user)
    reauth.mark_authenticated(request)
    # Logging in is activity: the idle clock starts now (and the first page needs no session write).
    request.session[LAST_SEEN] = time.time()


@receiver(user_logged_out, dispatch_uid="security_logged_out")
def logged_out(sender, request, user, **kwargs) -> None:
    if request is None or user is None or not hasattr(request, "session"):
        return
    if record_id := request.session.get(sessions.SESSION_RECORD):
        SessionRecord.objects.filter(pk=record_id, user=user).delete()
