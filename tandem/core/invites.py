"""What couple invites and care invites have in common.

Both are single-use, expire, can be revoked, and come as a long link token
(for sending) and a short code (for reading aloud in a session or typing on a
phone). Keeping the rules in one abstract model means the two kinds of invite
can never drift apart in how they expire or what they tell the person.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L or U: codes are read aloud and typed on phones.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
CODE_LENGTH = 10


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    return secrets.token_urlsafe(32)


def normalize_code(raw: str) -> str:
    """Accept a code as people type it: any case, with spaces or dashes."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def format_code(code: str) -> str:
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def default_expiry():
    return timezone.now() + timedelta(days=settings.INVITE_DAYS)


class InviteState(models.TextChoices):
    PENDING = "pending", _("waiting to be accepted")
    USED = "used", _("used")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")


class InviteQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())

    def find(self, *, token: str | None = None, code: str | None = None):
        """The invite with this link token or typed code, or None."""
        if token:
            return self.filter(token=token).first()
        if code and (normalized := normalize_code(code)):
            return self.filter(code=normalized).first()
        return None

    def revoke(self, pk: int) -> bool:
        """Withdraw an unused invite in one conditional UPDATE, so one being
        accepted this very moment stays used. False if it was too late."""
        return bool(self.filter(pk=pk, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=timezone.now()))


class InviteBase(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    code = models.CharField(max_length=CODE_LENGTH, unique=True, default=new_code, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=default_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def state(self) -> InviteState:
        if self.used_at:
            return InviteState.USED
        if self.revoked_at:
            return InviteState.REVOKED
        if self.expires_at <= timezone.now():
            return InviteState.EXPIRED
        return InviteState.PENDING

    @property
    def display_code(self) -> str:
        return format_code(self.code)

    def unusable_reason(self) -> str | None:
        """A clear sentence for why this invite can't be used, or None."""
        match self.state:
            case InviteState.USED:
                return _("This invite has already been used. Ask for a new one.")
            case InviteState.REVOKED:
                return _("This invite was withdrawn. Ask for a new one.")
            case InviteState.EXPIRED:
                return _("This invite has expired. Ask for a new one.")
        return None
