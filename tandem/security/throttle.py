"""Throttles for log-in, password reset, invite codes and two-factor codes.

Each kind counts attempts per account and per address over a window
(``settings.THROTTLES``). Keys are keyed hashes, so the table holds neither
e-mail addresses nor IP addresses. The check runs *before* the credential is
looked at, and an unknown e-mail address is counted exactly like a known one,
so neither the answer nor the refusal says whether an account exists.

Attempts live in the database rather than a cache: every web process sees
the same counts with nothing more to run. Old rows are dropped as new ones
are written and by ``manage.py security_cleanup``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.security.models import Attempt


def message(kind: str) -> str:
    """The refusal: the same words whoever and whatever was typed."""
    return _("Too many tries. For your safety, please wait %(minutes)s minutes and try again.") % {
        "minutes": settings.THROTTLES[kind]["minutes"]
    }


def _now() -> dt.datetime:
    # One seam for the clock, so tests can move time past a window.
    return timezone.now()


def window(kind: str) -> dt.timedelta:
    return dt.timedelta(minutes=settings.THROTTLES[kind]["minutes"])


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    Behind the proxy Tandem is told about (``BEHIND_PROXY``) every request
    comes from the proxy itself, so the address is the last entry of
    ``X-Forwarded-For``: the one that proxy appended, which the client cannot
    forge. Without a proxy it is ``REMOTE_ADDR``. ``BEHIND_PROXY`` must be off
    when clients can reach the app directly, or they could pick their own
    address for every request.
    """
    if settings.BEHIND_PROXY:
        # With ``PROXY_HOPS`` proxies in a row (a CDN, then nginx), each
        # appends the address it saw: the client's is that many from the end.
        entries = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = max(settings.PROXY_HOPS, 1)
        if len(entries) >= hops and entries[-hops]:
            return entries[-hops]
    return request.META.get("REMOTE_ADDR", "")


def _hash(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _keys(kind: str, request: HttpRequest, account: object | None) -> list[tuple[str, str]]:
    keys = [("address", _hash(f"{kind}:address:{client_address(request)}"))]
    if account is not None and str(account).strip():
        keys.append(("account", _hash(f"{kind}:account:{str(account).strip().lower()}")))
    return keys


def blocked(kind: str, request: HttpRequest, account: object | None = None) -> bool:
    """Whether the next attempt must be refused (the limit's worth already counted)."""
    limits = settings.THROTTLES[kind]
    since = _now() - window(kind)
    for scope, key in _keys(kind, request, account):
        if Attempt.objects.filter(kind=kind, key=key, at__gt=since).count() >= limits[scope]:
            return True
    return False


def record(kind: str, request: HttpRequest, account: object | None = None) -> None:
    """Count one attempt for the address and (when given) the account."""
    now = _now()
    keys = [key for _scope, key in _keys(kind, request, account)]
    # Rows out of the window count for nothing: drop this key's as we go.
    Attempt.objects.filter(kind=kind, key__in=keys, at__lte=now - window(kind)).delete()
    Attempt.objects.bulk_create([Attempt(kind=kind, key=key, at=now) for key in keys])


def claim(kind: str, request: HttpRequest, account: object | None = None) -> list[int] | None:
    """Count this attempt *before* checking it; None when it is over the limit.

    ``blocked`` then ``record`` leaves a gap: fifty code guesses sent at once
    all pass ``blocked`` before any is recorded. Here each request writes its
    row first and then counts, and counts only grow, so at most the limit's
    worth of concurrent attempts go on. A refused attempt takes its rows back
    (it was never tried); a successful one calls ``release`` (successes don't
    count against anyone).
    """
    now = _now()
    keyed = _keys(kind, request, account)
    Attempt.objects.filter(kind=kind, key__in=[k for _s, k in keyed], at__lte=now - window(kind)).delete()
    rows = Attempt.objects.bulk_create([Attempt(kind=kind, key=key, at=now) for _scope, key in keyed])
    ids = [row.pk for row in rows]
    limits = settings.THROTTLES[kind]
    since = now - window(kind)
    for scope, key in keyed:
        if Attempt.objects.filter(kind=kind, key=key, at__gt=since).count() > limits[scope]:
            release(ids)
            return None
    return ids


def release(ids: list[int]) -> None:
    """Take back the rows of a claimed attempt that succeeded."""
    Attempt.objects.filter(pk__in=ids).delete()


def clean_up() -> int:
    """Delete every attempt older than its kind's window; returns how many."""
    now = _now()
    deleted = 0
    for kind in settings.THROTTLES:
        deleted += Attempt.objects.filter(kind=kind, at__lte=now - window(kind)).delete()[0]
    return deleted
