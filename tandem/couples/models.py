"""The couple space: exactly two partners, joined by a single-use invite.

A ``Membership`` is one person's place in one couple (the glossary calls that
person a *partner*). The database, not only the code, keeps the rules:

* the same person can't be in a couple twice (unique couple + user);
* a couple has at most two partners (a slot of 1 or 2, unique per couple);
* a person has at most one active couple (unique user among active rows).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.invites import InviteBase


class CoupleQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at__isnull=True)

    def of_partner(self, user):
        """Every couple this person is or was a partner in."""
        return self.filter(memberships__user=user)


class Couple(models.Model):
    # A random id keeps couple URLs unguessable and says nothing about how
    # many couples a server holds.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CoupleQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"couple {self.id}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def partners(self) -> list:
        """The partners' accounts, in the order they joined."""
        prefetched = getattr(self, "prefetched_partners", None)  # see access.current_couple(with_partners=True)
        if prefetched is not None:
            return list(prefetched)
        return [m.user for m in self.memberships.select_related("user").order_by("slot")]

    def partner_of(self, user):
        """The other partner of ``user``, or None while the invite is pending."""
        for member in self.partners():
            if member.pk != user.pk:
                return member
        return None

    @property
    def is_complete(self) -> bool:
        return self.memberships.count() == 2

    def waiting_invite(self, partner):
        """The pending partner invite, asked for only while one can matter
        (an open space whose second partner, ``partner``, is still None)."""
        if not self.is_open or partner is not None:
            return None
        return self.invites.pending().first()


class Membership(models.Model):
    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    slot = models.PositiveSmallIntegerField()
    joined_at = models.DateTimeField(default=timezone.now, editable=False)
    # Mirrors ``couple.closed_at is None`` so that the database can enforce
    # "one active couple per person" with a partial unique index.
    active = models.BooleanField(default=True)
    # The consent question ("what are you open to right now?") waits for this
    # partner's answer or "Not now": set for both partners the moment the
    # second one joins (``services.accept_invite``), cleared by either.
    # Rows from before pairing asked it stay False: they were never asked.
    consent_question_waiting = models.BooleanField(default=False)

    class Meta:
        ordering = ["slot"]
        constraints = [
            models.UniqueConstraint(fields=["couple", "user"], name="membership_person_once_per_couple"),
            models.UniqueConstraint(fields=["couple", "slot"], name="membership_two_slots_per_couple"),
            models.CheckConstraint(condition=Q(slot__in=[1, 2]), name="membership_slot_1_or_2"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(active=True), name="membership_one_active_couple_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.couple}"


class Invite(InviteBase):
    """A partner invite: a link plus a short code, single-use, 7 days."""

    couple = models.ForeignKey(Couple, on_delete=models.CASCADE, related_name="invites")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("partner invite")

    def __str__(self) -> str:
        return f"invite {self.pk} ({self.state})"
