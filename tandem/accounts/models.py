"""People: one account type for partners and therapists alike.

A person signs in with an e-mail address; there is no username anywhere in
the interface. E-mail addresses are compared case-insensitively, backed by a
unique index on the lower-cased value.
"""

from __future__ import annotations

import zoneinfo
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from tandem.core.fields import EncryptedCharField


def validate_time_zone(value: str) -> None:
    if value not in available_time_zones():
        raise ValidationError(
            _("“%(value)s” is not a time zone we know. Pick one from the list, like Europe/Berlin."),
            params={"value": value},
            code="bad_time_zone",
        )


_ZONES: frozenset[str] | None = None


def available_time_zones() -> frozenset[str]:
    global _ZONES
    if _ZONES is None:
        _ZONES = frozenset(zoneinfo.available_timezones())
    return _ZONES


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        return (email or "").strip().lower()

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    display_name = models.CharField(
        _("display name"), max_length=60, help_text=_("How your partner and therapist will see you.")
    )
    # Free text in the person's own words (it can say more than a name does): sealed at rest.
    pronouns = EncryptedCharField(_("pronouns"), max_length=40, blank=True, help_text=_("Optional, in your words."))
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC", validators=[validate_time_zone])
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    # The highest intimacy level this person is open to now (0 talk ... 3
    # sexual). Private: only ever used combined with the partner's, as the
    # couple's effective level (the lower of the two). Starts at talk only.
    consent_level = models.PositiveSmallIntegerField(
        _("what I'm open to right now"),
        default=0,
        choices=[
            (0, _("Talk and emotional closeness only")),
            (1, _("Also affectionate, non-sexual touch")),
            (2, _("Also sensual touch")),
            (3, _("Also sexual intimacy")),
        ],
        help_text=_("Only you see this. Tandem suggests nothing above what both of you are open to."),
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.display_name or self.email

    def clean(self) -> None:
        super().clean()
        self.email = UserManager.normalize_email(self.email)

    def get_short_name(self) -> str:
        return self.display_name

    def get_full_name(self) -> str:
        return self.display_name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """This person's own time zone (UTC if the stored name is unknown)."""
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def session_tag(self) -> str:
        """A short opaque tag for "who this page was opened as".

        A page open while its session ended compares it with the tag of
        whoever is signed in now (``accounts:session``) before it saves: on a
        shared phone, the partner may have signed in meanwhile, and one
        person's words must never be saved as the other's. Derived with the
        secret key, so it says nothing about the account.
        """
        return salted_hmac("tandem.accounts.session_tag", str(self.pk), algorithm="sha256").hexdigest()[:16]

    def today(self):
        """Today's date where this person is (their own time zone)."""
        return timezone.now().astimezone(self.zone).date()

    @cached_property
    def is_therapist(self) -> bool:
        # The therapist role is the presence of a practice record.
        return hasattr(self, "therapist")
