"""What couple invites and care invites have in common.

Both are single-use, expire, can be revoked, and come as a long link token
(for sending) and a short code (for reading aloud in a session or typing on a
phone). Keeping the rules in one abstract model means the two kinds of invite
can never drift apart in how they expire or what they tell the person.

Either secret is enough to join a couple or link a therapist, so neither is
stored: only keyed hashes of both (``tandem.core.keyed_hash``), looked up by
hash. The link and code exist in the clear only on the instance that made
them (``invite.token`` and ``invite.code``), so a page can show them once,
right after making the invite, like the calendar feed URL; afterwards the
page can only say that an invite is waiting and offer a new one.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.keyed_hash import keyed_hash, keyed_hashes

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


# The purpose of the keyed hashes; both kinds of invite share it (they live in
# different tables, and the migrations that hashed the old rows use it too).
HASH_PURPOSE = "tandem.core.invites"


def _token_value(token: str) -> str:
    return f"token:{token}"


def _code_value(code: str) -> str:
    # Hashed as normalised, so a code matches however it is typed.
    return f"code:{normalize_code(code)}"


def hash_token(token: str) -> str:
    return keyed_hash(_token_value(token), purpose=HASH_PURPOSE)


def hash_code(code: str) -> str:
    return keyed_hash(_code_value(code), purpose=HASH_PURPOSE)


def hash_existing_invites(app_label: str, model_name: str) -> migrations.RunPython:
    """The data migration from clear secrets to hashes, for one kind of invite.

    Forwards: each row gets the hashes of its token and code, and loses the
    clear values, so links and codes already sent keep working. Backwards:
    a hash can't be turned back into a secret, so each row gets a fresh
    random token and code (links and codes already sent stop working).
    """

    def forwards(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        for pk, token, code in model.objects.filter(token_hash__isnull=True).values_list("pk", "token", "code"):
            model.objects.filter(pk=pk).update(
                token_hash=hash_token(token), code_hash=hash_code(code), token=None, code=None
            )

    def backwards(apps, schema_editor) -> None:
        model = apps.get_model(app_label, model_name)
        for pk in model.objects.filter(token__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(token=new_token(), code=new_code(), token_hash=None, code_hash=None)

    return migrations.RunPython(forwards, backwards)


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
        """The invite with this link token or typed code, or None.

        Also under ``SECRET_KEY_FALLBACKS``, so rotating the key does not
        cut off invites already sent."""
        if token:
            return self.filter(token_hash__in=keyed_hashes(_token_value(token), purpose=HASH_PURPOSE)).first()
        if code and normalize_code(code):
            return self.filter(code_hash__in=keyed_hashes(_code_value(code), purpose=HASH_PURPOSE)).first()
        return None

    def revoke(self, pk: int) -> bool:
        """Withdraw an unused invite in one conditional UPDATE, so one being
        accepted this very moment stays used. False if it was too late."""
        return bool(self.filter(pk=pk, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=timezone.now()))


class InviteBase(models.Model):
    # Keyed hashes only (see the module docstring): a copy of the database
    # does not let anyone join a couple that is waiting for its partner.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=default_expiry)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InviteQuerySet.as_manager()

    class Meta:
        abstract = True

    # The secrets in the clear: set on the instance that made the invite, and
    # None on one read back from the database (which has only the hashes).
    token: str | None = None
    code: str | None = None

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and not self.token_hash:
            self.token, self.code = new_token(), new_code()
            self.token_hash, self.code_hash = hash_token(self.token), hash_code(self.code)
        super().save(*args, **kwargs)

    @property
    def is_fresh(self) -> bool:
        """Whether this instance still holds the link and code (it just made them)."""
        return bool(self.token and self.code)

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
    def display_code(self) -> str | None:
        return format_code(self.code) if self.code else None

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
