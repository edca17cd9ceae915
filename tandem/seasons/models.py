"""Hard seasons (resilience mode): the plan lightens while life is hard.

Either partner starts one; it ends only when both say they are ready. While
it is on, intimacy-level homework and new program steps are *held* (not
failed, not lapsed) and resume where they stopped afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HardSeasonQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_at__isnull=True)


class HardSeason(models.Model):
    class Reason(models.TextChoices):
        WORK = "work", _("work")
        PARENTING = "parenting", _("parenting")
        HEALTH = "health", _("health")
        LOSS = "loss", _("loss")
        OTHER = "other", _("something else")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="hard_seasons")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    # The category reaches the partner only if the starter chooses so.
    reason_shared = models.BooleanField(default=False)
    expected_weeks = models.PositiveSmallIntegerField()
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = HardSeasonQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["couple"], condition=Q(ended_at__isnull=True), name="hardseason_one_current_per_couple"
            ),
            models.CheckConstraint(
                condition=Q(expected_weeks__gte=1, expected_weeks__lte=52), name="hardseason_weeks_1_to_52"
            ),
        ]

    def __str__(self) -> str:
        return f"hard season of {self.couple_id}"


class ReadyToEnd(models.Model):
    """A partner's "I'm ready to come out of the hard season"."""

    season = models.ForeignKey(HardSeason, on_delete=models.CASCADE, related_name="ready")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["season", "user"], name="readytoend_once_per_partner")]

    def __str__(self) -> str:
        return f"ready to end {self.season_id}"
