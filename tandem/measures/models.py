"""Measure plans, responses and risk flags.

A *measure* is one of the validated questionnaires in ``instruments.py``.
The therapist plans measures for each partner; each partner's responses are
theirs. A plan, its responses and any risk flag belong to the care link
that planned them (``care_link``): that link's therapist sees them while it
is active, a later link's therapist only if the partner let them read their
earlier history (``couples.visibility.care_team_may_read``); a risk flag
never leaves its link. The other partner sees a response only if its
author shares it.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.couples.visibility import care_team_may_read
from tandem.measures import instruments

# Kept when the link's therapist is erased (the data stays the partner's); a
# row whose link is gone is earlier history for every later link.
_care_link = {"on_delete": models.SET_NULL, "null": True, "blank": True, "editable": False, "related_name": "+"}


# "Before each session": the measure opens this many days before the session
# date and stays open through the session day.
SESSION_WINDOW_DAYS = 3


class MeasurePlanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(active=True)

    def due(self, today: date):
        """The plans due on ``today`` (the person's own day): the one rule of "due".

        Only while the link that planned it is active (a plan of an earlier
        link is not due for a later therapist: they didn't ask). *Before each
        session*: from ``SESSION_WINDOW_DAYS`` before the link's next session
        through its day, once per session (a response in the window covers
        it). As SQL, so a list and a count take one query for any number;
        the window is spelled out day by day, with no date arithmetic on
        columns, the same on SQLite and PostgreSQL."""
        before = Q(cadence=MeasurePlan.Cadence.BEFORE_SESSION)
        in_window = Q(pk__in=[])
        for ahead in range(SESSION_WINDOW_DAYS + 1):
            session = today + timedelta(days=ahead)
            covered = MeasureResponse.objects.filter(
                plan=OuterRef("pk"), local_date__gte=session - timedelta(days=SESSION_WINDOW_DAYS)
            )
            in_window |= Q(care_link__next_session=session) & ~Exists(covered)
        dated = ~before & Q(next_due__isnull=False, next_due__lte=today)
        return self.active().filter(care_link__status="active").filter(dated | (before & in_window))

    def of_link(self, link):
        """The plans this care link made (and only those are due while it is active)."""
        return self.filter(care_link=link)


class MeasurePlan(models.Model):
    """A therapist's plan for one partner to fill in one measure.

    *Once*: due from ``next_due`` until filled. *Every N weeks*: due from
    ``next_due``; filling it moves ``next_due`` N weeks past the day it was
    filled (missed weeks don't pile up). *Before each session*: due in the
    few days up to the care link's next session, once per session.
    """

    class Cadence(models.TextChoices):
        ONCE = "once", _("Once")
        EVERY_N_WEEKS = "every_n_weeks", _("Every few weeks")
        BEFORE_SESSION = "before_session", _("Before each session")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="measure_plans")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    instrument = models.CharField(max_length=10, choices=instruments.CHOICES)
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.ONCE)
    every_weeks = models.PositiveSmallIntegerField(null=True, blank=True)
    next_due = models.DateField(null=True, blank=True)  # unused for before_session
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    care_link = models.ForeignKey("clinic.CareLink", **_care_link)  # the link that planned it

    objects = MeasurePlanQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # One live plan per partner and measure: a new plan replaces the old.
            models.UniqueConstraint(
                fields=["couple", "person", "instrument"],
                condition=Q(active=True),
                name="measureplan_one_active_per_measure",
            ),
            models.CheckConstraint(
                condition=~Q(cadence="every_n_weeks") | Q(every_weeks__gte=1, every_weeks__lte=52),
                name="measureplan_every_1_to_52_weeks",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument} for {self.person_id} ({self.cadence})"

    @property
    def audit_subject_id(self) -> int:
        """Whose data this is: a therapist's read is listed for that partner only."""
        return self.person_id

    @property
    def measure(self) -> instruments.Instrument:
        return instruments.INSTRUMENTS[self.instrument]


class MeasureResponseQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by("completed_at", "pk")

    def read_by_care_team(self, therapist_user):
        """The responses ``therapist_user`` may read: the visibility rule of care-team entries."""
        return self.filter(care_team_may_read(therapist_user, author="person"))


class MeasureResponse(models.Model):
    """One partner's completed measure: their answers and the exact total."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="measure_responses")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(MeasurePlan, on_delete=models.SET_NULL, null=True, blank=True, related_name="responses")
    instrument = models.CharField(max_length=10, choices=instruments.CHOICES)
    answers = models.JSONField()  # {linkId: value}
    total = models.PositiveSmallIntegerField()
    completed_at = models.DateTimeField(default=timezone.now, editable=False)
    local_date = models.DateField()  # the author's own day, for due logic and charts
    # Only the author changes this; the other partner sees the score only when True.
    shared_with_partner = models.BooleanField(default=False)
    care_link = models.ForeignKey("clinic.CareLink", **_care_link)  # its plan's link

    objects = MeasureResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_at"]
        indexes = [
            models.Index(fields=["couple", "person", "instrument", "completed_at"], name="measureresponse_series")
        ]

    def __str__(self) -> str:
        return f"{self.instrument} {self.total} by {self.person_id}"

    @property
    def audit_subject_id(self) -> int:
        """Whose data this is: a therapist's read is listed for that partner only."""
        return self.person_id

    @property
    def measure(self) -> instruments.Instrument:
        return instruments.INSTRUMENTS[self.instrument]

    @property
    def band_label(self) -> str:
        return self.measure.band_label(self.total)


class RiskFlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(seen_at__isnull=True)

    def raised_to(self, therapist_user):
        """The flags raised to a therapist (a user), in any of their links, never another's."""
        return self.filter(therapist=therapist_user)

    def raised_in(self, link):
        """The flags a link's therapist sees: those raised in that link (a
        flag stays with its link, even when the partner shares their earlier history)."""
        return self.filter(care_link=link)


class RiskFlag(models.Model):
    """PHQ-9 item 9 answered above "Not at all".

    Private to the care link in force when it was raised: never shown to
    the other partner or to a later link, and nothing on the partners' pages
    depends on it.
    """

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    response = models.OneToOneField(MeasureResponse, on_delete=models.CASCADE, related_name="risk_flag")
    answer = models.PositiveSmallIntegerField()  # the item 9 value, 1-3
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    seen_at = models.DateTimeField(null=True, blank=True)
    care_link = models.ForeignKey("clinic.CareLink", **_care_link)  # the link it was raised in

    objects = RiskFlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"risk flag {self.pk} on {self.couple_id}"

    @property
    def audit_subject_id(self) -> int:
        """Whose data this is: a therapist's read is listed for that partner only."""
        return self.person_id
