"""Throttles for log-in, password reset, e-mail change, sign-up, invite codes and two-factor codes.

Each kind counts attempts per account and per address over a window
(``settings.THROTTLES``). Keys are keyed hashes, so the table holds neither
e-mail addresses nor IP addresses. The check runs *before* the credential is
looked at, and an unknown e-mail address is counted exactly like a known one,
so neither the answer nor the refusal says whether an account exists.

There is one way to use a throttle: ``claim`` the attempt (it is counted
before it is checked, so requests sent all at once can't all slip under the
limit), then, if it turned out not to count (a right password, a code that
matched), ``release`` it.

Attempts live in the database rather than a cache: every web process sees
the same counts with nothing more to run. Old rows are dropped as new ones
are written and by ``manage.py security_cleanup``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import ngettext

from tandem.core.keyed_hash import keyed_hash
from tandem.security.models import Attempt

HASH_PURPOSE = "tandem.security.throttle"


def message(kind: str) -> str:
    """The refusal: the same words whoever and whatever was typed."""
    minutes = settings.THROTTLES[kind]["minutes"]
    return ngettext(
        "Too many tries. For your safety, please wait %(minutes)s minute and try again.",
        "Too many tries. For your safety, please wait %(minutes)s minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


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


def _keys(kind: str, request: HttpRequest, account: object | None) -> list[tuple[str, str]]:
    keys = [("address", keyed_hash(f"{kind}:address:{client_address(request)}", purpose=HASH_PURPOSE))]
    if account is not None and str(account).strip():
        keys.append(("account", keyed_hash(f"{kind}:account:{str(account).strip().lower()}", purpose=HASH_PURPOSE)))
    return keys


def claim(kind: str, request: HttpRequest, account: object | None = None) -> list[int] | None:
    """Count this attempt *before* checking it; None when it is over the limit.

    Checking first and recording afterwards leaves a gap: thirty guesses sent
    at once all pass the check before any is recorded (eight log-ins of five
    were seen). Here each request writes its rows first and then counts, so
    every request counts all that wrote before it: at most the limit's worth
    of concurrent attempts go on. (Call it outside a transaction, as views
    run: inside one, the rows would stay unseen by others until it commits.) A refused attempt
    takes its rows back (it was never tried); one that turned out not to
    count calls ``release`` (successes don't count against anyone).

    Requests racing each other may refuse one another a little early, never
    late: the limit is never exceeded, and the rest of it stays for later.
    """
    now = _now()
    keyed = _keys(kind, request, account)
    # Rows out of the window count for nothing: drop this key's as we go.
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


def release(ids: list[int] | None) -> None:
    """Take back the rows of a claimed attempt that did not count (it succeeded, say)."""
    if ids:
        Attempt.objects.filter(pk__in=ids).delete()


def clean_up() -> int:
    """Delete every attempt older than its kind's window; returns how many."""
    now = _now()
    deleted = 0
    for kind in settings.THROTTLES:
        deleted += Attempt.objects.filter(kind=kind, at__lte=now - window(kind)).delete()[0]
    return deleted
