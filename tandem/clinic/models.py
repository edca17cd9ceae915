"""Therapists, care links and the audit log of therapist reads.

A therapist sees a couple only through a *care link* that both partners have
consented to. Consent is recorded per partner; the link turns active on the
second consent and ends the moment either partner ends it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.invites import InviteBase


class Therapist(models.Model):
    """The therapist role on an account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist")
    practice_name = models.CharField(_("practice name"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.practice_name})"


class CareInvite(InviteBase):
    """A code a therapist gives a couple, typically during a session."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="invites")
    # The therapist's own reminder of who the code is for; never shown to the couple.
    label = models.CharField(_("note to yourself"), max_length=80, blank=True)
    couple = models.ForeignKey("couples.Couple", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"care invite {self.display_code} ({self.state})"


class CareLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=CareLink.Status.ACTIVE)

    def current(self):
        """Pending or active: the link a couple has right now, if any."""
        return self.filter(status__in=[CareLink.Status.PENDING, CareLink.Status.ACTIVE])


class CareLink(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for both partners")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="care_links")
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="links")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One therapist at a time keeps "who is on our care team" simple
            # for both partners to see and to end.
            models.UniqueConstraint(
                fields=["couple"],
                condition=Q(status__in=["pending", "active"]),
                name="carelink_one_current_per_couple",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.therapist} ↔ {self.couple} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class CareConsent(models.Model):
    """One partner's yes to a care link."""

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "user"], name="careconsent_once_per_partner")]

    def __str__(self) -> str:
        return f"consent of {self.user_id} to link {self.link_id}"


class AuditEntry(models.Model):
    """A therapist read of couple data. Append-only: nothing in the app edits
    or deletes these rows, and the admin registers them read-only."""

    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="audit_entries")
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    path = models.CharField(max_length=300)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.therapist_id} read {self.path} at {self.at:%Y-%m-%d %H:%M}"
