"""Check-ins: a short, regular self-report, and the one-tap rapid check-in.

A check-in belongs to the author's *local* day (their own time zone), so
"one per day" means their day, not the server's. It is an entry with a
visibility: shared with the partner by default (a check-in nobody sees
can't help the couple), private or care team by choice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.fields import EncryptedCharField, EncryptedTextField
from tandem.couples.visibility import Entry, Visibility


class Capacity(models.TextChoices):
    TALK = "talk", _("talk")
    AFFECTION = "affection", _("affection")
    PLAY = "play", _("play")
    INTIMACY = "intimacy", _("intimacy")
    REST = "rest", _("rest / space")


class Change(models.TextChoices):
    HEALTH = "health", _("health")
    WORK = "work", _("work")
    FAMILY = "family", _("family")
    SLEEP = "sleep", _("sleep")
    OTHER = "other", _("other")


SCALE = [(i, str(i)) for i in range(1, 6)]


class CheckIn(Entry):
    local_date = models.DateField()
    mood = models.PositiveSmallIntegerField(choices=SCALE)
    energy = models.PositiveSmallIntegerField(choices=SCALE)
    stress = models.PositiveSmallIntegerField(choices=SCALE)
    closeness = models.PositiveSmallIntegerField(choices=SCALE)
    desire = models.PositiveSmallIntegerField(choices=SCALE, null=True, blank=True)
    # A list of Capacity values; "rest" is a complete, respected answer.
    capacity = models.JSONField(default=list)
    note = EncryptedTextField(max_length=500, blank=True)
    changed = models.CharField(max_length=10, choices=Change.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-local_date"]
        constraints = [
            # Per couple: a check-in in a closed space stays there, untouched.
            models.UniqueConstraint(fields=["couple", "author", "local_date"], name="checkin_one_per_local_day"),
            *[
                models.CheckConstraint(condition=Q(**{f"{f}__gte": 1, f"{f}__lte": 5}), name=f"checkin_{f}_1_to_5")
                for f in ("mood", "energy", "stress", "closeness")
            ],
        ]
        indexes = [
            models.Index(fields=["couple", "local_date"], name="checkin_couple_day"),
            # The caseload's "last activity" reads the newest care-team check-in of
            # each of up to 300 couples; without this it filters every check-in.
            models.Index(
                fields=["couple", "created_at"], condition=Q(visibility="care_team"), name="checkin_care_team"
            ),
        ]

    def __str__(self) -> str:
        return f"check-in of {self.author_id} on {self.local_date}"

    def capacity_labels(self) -> list[str]:
        """What they have room for, in words (in the reader's language), in the list's order."""
        return [str(Capacity(value).label) for value in Capacity.values if value in self.capacity]


class RapidCheckIn(Entry):
    class Colour(models.TextChoices):
        GREEN = "green", _("green: I'm OK")
        AMBER = "amber", _("amber: stretched")
        RED = "red", _("red: struggling")

    local_date = models.DateField()
    colour = models.CharField(max_length=5, choices=Colour.choices)
    need = EncryptedCharField(max_length=140, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"rapid check-in of {self.author_id} on {self.local_date}"


class Schedule(models.Model):
    """When a person likes to check in, and whether to track desire."""

    class Frequency(models.TextChoices):
        DAILY = "daily", _("every day")
        WEEKDAYS = "weekdays", _("on some days of the week")
        WEEKLY = "weekly", _("once a week")
        OFF = "off", _("no reminders")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkin_schedule")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    # ISO weekdays 1 (Monday) .. 7 (Sunday), for WEEKDAYS and WEEKLY.
    weekdays = models.JSONField(default=list, blank=True)
    track_desire = models.BooleanField(
        _("include desire in my check-ins"), default=True, help_text=_("You can leave desire out entirely.")
    )
    default_visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.SHARED)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"check-in schedule of {self.user_id}"

    def due_on(self, day) -> bool:
        """Is a check-in part of the rhythm on this (local) day?"""
        if self.frequency == self.Frequency.DAILY:
            return True
        if self.frequency == self.Frequency.OFF:
            return False
        return day.isoweekday() in (self.weekdays or [])
