"""Each person's list of signed-in sessions, and ending them.

A session holds the id of its ``SessionRecord``; ``SecurityMiddleware`` logs
out any session whose record is gone. So ending a session is deleting its
record, whatever session backend is configured.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from tandem.security.models import SessionRecord

SESSION_RECORD = "security.record"

_BROWSERS = [("Edg/", "Edge"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Chromium/", "Chromium"),
             ("Safari/", "Safari")]  # fmt: skip
_SYSTEMS = [("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Mac OS X", "macOS"),
            ("Windows", "Windows"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]  # fmt: skip


def device_summary(user_agent: str) -> str:
    """ "Firefox on Linux": enough to recognise a device; the full string is not kept."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), "")
    system = next((name for marker, name in _SYSTEMS if re.search(re.escape(marker), user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def start(request: HttpRequest, user) -> SessionRecord:
    """Give this session a (new) record; a previous one of the same session goes."""
    if old := request.session.get(SESSION_RECORD):
        SessionRecord.objects.filter(pk=old, user=user).delete()
    record = SessionRecord.objects.create(
        user=user, device=device_summary(request.META.get("HTTP_USER_AGENT", ""))[:80]
    )
    request.session[SESSION_RECORD] = record.pk
    return record


def current_id(request: HttpRequest) -> int | None:
    return request.session.get(SESSION_RECORD)


def active(user) -> list[SessionRecord]:
    since = timezone.now() - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return list(SessionRecord.objects.filter(user=user, last_seen_at__gt=since).order_by("-last_seen_at"))


def end_others(request: HttpRequest) -> int:
    """Log out every other session of this person; this one stays."""
    return SessionRecord.objects.filter(user=request.user).exclude(pk=current_id(request)).delete()[0]


def end_one(request: HttpRequest, record_id: int) -> int:
    return SessionRecord.objects.filter(user=request.user, pk=record_id).exclude(pk=current_id(request)).delete()[0]


def end_all(user) -> int:
    return SessionRecord.objects.filter(user=user).delete()[0]


def clean_up() -> int:
    """Records of sessions that have expired by now."""
    since = timezone.now() - dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    return SessionRecord.objects.filter(last_seen_at__lte=since).delete()[0]
