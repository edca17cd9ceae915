"""Wins, gratitude notes and milestones: celebrating, never keeping score.

There are no streaks here on purpose: nothing can be "broken", and no page
ever counts what was missed.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.fields import EncryptedCharField, EncryptedTextField
from tandem.couples.visibility import Entry


class Win(Entry):
    """A small improvement one partner noticed ("we talked without arguing")."""

    text = EncryptedCharField(max_length=280)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"win by {self.author_id}"


class GratitudeNote(Entry):
    """A thank-you from one partner to the other."""

    text = EncryptedTextField(max_length=500)
    # When the partner it thanks said they read it (a POST from the celebrate page:
    # opening a page writes nothing). Unread, it is a waiting item for them.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"gratitude from {self.author_id}"


class Milestone(models.Model):
    """A celebration recognised from real events, once each."""

    class Kind(models.TextChoices):
        FIRST_HOMEWORK = "first_homework", _("Your first homework, done together")
        FOUR_CONVERSATIONS = "four_conversations", _("Four connection conversations")
        PROGRAM_FINISHED = "program_finished", _("A program finished together")
        STAGE_FINISHED = "stage_finished", _("A touch stage completed together")
        SEASON_WEATHERED = "season_weathered", _("A hard season weathered together")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Which event: the program run or season id; "" for once-only milestones.
    ref = models.CharField(max_length=40, blank=True)
    achieved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-achieved_at"]
        constraints = [models.UniqueConstraint(fields=["couple", "kind", "ref"], name="milestone_once")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.couple_id}"
