"""Two-factor authentication: TOTP secrets, codes, recovery codes, and the
per-session "passed two-factor" mark that therapist pages require.

A therapist reaches couple data only from a session that passed two-factor
(``require_for_therapist``, called by the therapist door and by
``therapist_required``, both in ``tandem.couples.access``). The mark names the confirmed ``TwoFactor`` row, so
turning two-factor off and on again elsewhere un-marks every older session.
"""

from __future__ import annotations

import hmac
import secrets
import time

import pyotp
import segno
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tandem.security.models import RecoveryCode, TwoFactor

SESSION_VERIFIED = "security.two_factor"
RECOVERY_CODE_COUNT = 10
# Unambiguous letters and digits (no 0/O, 1/I/L): codes get copied by hand.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
STEP_SECONDS = 30


class TwoFactorRequired(Exception):
    """Raised before any couple data is read by a therapist whose session has
    not passed two-factor; ``SecurityMiddleware`` turns it into a redirect."""


# --- the authenticator ----------------------------------------------------------------


def confirmed(user) -> TwoFactor | None:
    if getattr(user, "pk", None) is None:
        return None
    return TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).first()


def pending_setup(user) -> TwoFactor:
    """The unconfirmed authenticator being set up (kept across reloads, so a
    secret already scanned stays good)."""
    two_factor, _created = TwoFactor.objects.get_or_create(
        user=user, defaults={"secret": pyotp.random_base32(length=32)}
    )
    return two_factor


def provisioning_uri(two_factor: TwoFactor) -> str:
    # The label is neutral: authenticator apps show it on the phone's screen.
    return pyotp.TOTP(two_factor.secret).provisioning_uri(name=two_factor.user.email, issuer_name="Tandem")


def qr_svg(two_factor: TwoFactor, title: str) -> SafeString:
    """The set-up QR code as an inline SVG: no image request, no script, allowed by the CSP."""
    svg = segno.make(provisioning_uri(two_factor), error="m").svg_inline(
        scale=4, dark="#000", light="#fff", svgclass="qr-code", lineclass=None
    )
    # Labelled by attributes, not an SVG <title>: a second <title> on the page would read as the page's title.
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" ', 1)
    return mark_safe(labelled)  # noqa: S308 -- segno's own markup (no text of ours but the escaped label)


def verify_totp(two_factor: TwoFactor, code: str, *, now: float | None = None) -> bool:
    """Check a 6-digit code (this step or one either side, for clock drift),
    accepting each step once (replay protection, race-safe by a conditional update)."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(two_factor.secret)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in (current - 1, current, current + 1):
        if step <= two_factor.last_used_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), code):
            won = TwoFactor.objects.filter(pk=two_factor.pk, last_used_step__lt=step).update(last_used_step=step)
            if won:
                two_factor.last_used_step = step
            return bool(won)
    return False


def confirm(two_factor: TwoFactor, code: str) -> list[str] | None:
    """Confirm a new authenticator with one code from it; returns the fresh recovery codes."""
    if not verify_totp(two_factor, code):
        return None
    two_factor.confirmed_at = timezone.now()
    two_factor.save(update_fields=["confirmed_at"])
    return new_recovery_codes(two_factor.user)


def disable(user) -> None:
    with transaction.atomic():
        TwoFactor.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()


# --- recovery codes ----------------------------------------------------------------------


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def new_recovery_codes(user) -> list[str]:
    """Replace all recovery codes; the plain codes are returned once and never stored."""
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=make_password(c)) for c in codes])
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def use_recovery_code(user, code: str) -> bool:
    code = _normalise(code)
    if len(code) != 10:
        return False
    for recovery in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        if check_password(code, recovery.code_hash):
            # Conditional: two requests racing with the same code, only one wins.
            return bool(
                RecoveryCode.objects.filter(pk=recovery.pk, used_at__isnull=True).update(used_at=timezone.now())
            )
    return False


def remaining_recovery_codes(user) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def verify_any(user, code: str) -> bool:
    """A code from the authenticator, or an unused recovery code."""
    two_factor = confirmed(user)
    if two_factor is None:
        return False
    return verify_totp(two_factor, code) or use_recovery_code(user, code)


# --- the session mark ----------------------------------------------------------------------


def mark_verified(request: HttpRequest, two_factor: TwoFactor) -> None:
    request.session[SESSION_VERIFIED] = two_factor.pk


def session_verified(request: HttpRequest) -> bool:
    mark = request.session.get(SESSION_VERIFIED)
    return (
        mark is not None and TwoFactor.objects.filter(pk=mark, user=request.user, confirmed_at__isnull=False).exists()
    )


def require_for_therapist(request: HttpRequest | None) -> None:
    """Refuse a therapist's session that has not passed two-factor.

    Called before any couple data is read. Checked once per request.
    """
    if request is None:
        return
    ok = getattr(request, "_two_factor_ok", None)
    if ok is None:
        ok = request._two_factor_ok = session_verified(request)
    if not ok:
        raise TwoFactorRequired
