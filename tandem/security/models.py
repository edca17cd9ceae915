"""Two-factor secrets, recovery codes, throttle attempts and session records.

Nothing here stores an e-mail address or an IP address in the clear: throttle
keys are keyed hashes (see ``throttle.py``), and a session record keeps only a
coarse device summary ("Firefox on Linux"), because that is all a person needs
to recognise their own sessions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.fields import EncryptedTextField


class TwoFactor(models.Model):
    """A person's TOTP authenticator. Unconfirmed until they typed one code from it."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor")
    # Base32 TOTP secret, sealed at rest: a database dump alone must not be
    # enough to produce valid codes for anyone.
    secret = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last 30-second time step a code was accepted for: a code is good
    # once, so one read over a shoulder cannot be replayed within its window.
    last_used_step = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"two-factor of user {self.user_id}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class RecoveryCode(models.Model):
    """A single-use code for when the authenticator is lost. Only its hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"recovery code of user {self.user_id}"


class Attempt(models.Model):
    """One counted attempt against a throttle (a failed log-in, a reset request, ...)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("log-in")
        RESET = "reset", _("password reset")
        EMAIL_CHANGE = "emailchange", _("e-mail change")
        INVITE = "invite", _("invite code")
        TWO_FACTOR = "twofactor", _("two-factor code")
        SIGNUP = "signup", _("sign-up with a taken address")

    kind = models.CharField(max_length=12, choices=Kind.choices)
    # Keyed hash (tandem.core.keyed_hash) of "<kind>:account:<e-mail or id>" or "<kind>:address:<ip>".
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["kind", "key", "at"], name="security_attempt_lookup")]

    def __str__(self) -> str:
        return f"{self.kind} attempt at {self.at:%Y-%m-%d %H:%M}"


class SessionRecord(models.Model):
    """One signed-in session of a person, so that they can see and end it.

    The session refers to its record by id (inside the session data), so the
    record needs no copy of the session key; deleting the record ends the
    session at its next request (``middleware.py``).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="session_records")
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    device = models.CharField(max_length=80, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "last_seen_at"], name="security_session_user")]

    def __str__(self) -> str:
        return f"session of user {self.user_id}"
