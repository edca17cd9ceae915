"""Small helpers for the security tests: codes from a person's authenticator,
and moving a test client's session clock."""

from __future__ import annotations

import time

import pyotp

from tandem.security.models import TwoFactor


def code_for(user, steps_ahead: int = 0) -> str:
    """A valid code from the person's authenticator (``steps_ahead`` 30-second steps on,
    within the one-step drift allowed, so several log-ins in one test each get a fresh one)."""
    secret = TwoFactor.objects.get(user=user).secret
    return pyotp.TOTP(secret).at(time.time() + 30 * steps_ahead)


def edit_session(client, **values) -> None:
    session = client.session
    for key, value in values.items():
        if value is None:
            session.pop(key, None)
        else:
            session[key] = value
    session.save()
