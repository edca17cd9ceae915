"""Who may read an entry: the one visibility rule every app uses.

An *entry* is anything a person writes inside a couple space. Each carries a
visibility (see the glossary):

* ``private``   -- the author only;
* ``sealed``    -- the partner sees that it exists, never its words;
* ``shared``    -- both partners;
* ``care_team`` -- both partners and the therapist of an *active* care link.

Two questions are kept apart on purpose: ``visible_to`` (may this person know
the entry exists?) and ``readable_by`` (may they read its words?). They differ
only for sealed entries, whose existence the partner may see.

Apps subclass :class:`Entry` and get both queryset methods and the matching
instance checks. Views still reach the couple through
``tandem.couples.access``; these filters decide within it.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.clinic.models import CareLink
from tandem.couples.models import Membership


class Visibility(models.TextChoices):
    PRIVATE = "private", _("Only me")
    SEALED = "sealed", _("Sealed: my partner sees it exists, not what it says")
    SHARED = "shared", _("Shared with my partner")
    CARE_TEAM = "care_team", _("Shared with my partner and our therapist")

    @classmethod
    def partner_can_see(cls) -> list[str]:
        return [cls.SEALED, cls.SHARED, cls.CARE_TEAM]

    @classmethod
    def partner_can_read(cls) -> list[str]:
        return [cls.SHARED, cls.CARE_TEAM]


def shared_read_cutoff(now=None):
    """Couples closed before this moment are past the break-up read window.

    For ``BREAKUP_READ_DAYS`` after a space closes both partners still read
    what they could before; after that each keeps only what they wrote.
    """
    return (now or timezone.now()) - timedelta(days=settings.BREAKUP_READ_DAYS)


def _is_partner_of_entry_couple(user) -> Exists:
    # Checked at read time, so the deadline holds even before the purge runs.
    return Exists(
        Membership.objects.filter(couple=OuterRef("couple"), user=user).exclude(
            couple__closed_at__lt=shared_read_cutoff()
        )
    )


def _is_linked_therapist(user) -> Exists:
    return Exists(CareLink.objects.active().filter(couple=OuterRef("couple"), therapist__user=user))


class EntryQuerySet(models.QuerySet):
    def _for(self, user, partner_visibilities: list[str]):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(author=user)
            | (Q(visibility__in=partner_visibilities) & _is_partner_of_entry_couple(user))
            | (Q(visibility=Visibility.CARE_TEAM) & _is_linked_therapist(user))
        )

    def visible_to(self, user):
        """Entries whose existence ``user`` may know of."""
        return self._for(user, Visibility.partner_can_see())

    def readable_by(self, user):
        """Entries whose words ``user`` may read."""
        return self._for(user, Visibility.partner_can_read())

    def for_care_team(self):
        """Entries their author shared with the care team.

        Whether a therapist is linked is not asked here (``readable_by``
        asks it): for callers already inside a therapist's linked couples,
        such as the caseload, where a plain filter keeps the partial index
        on care-team check-ins usable.
        """
        return self.filter(visibility=Visibility.CARE_TEAM)


class Entry(models.Model):
    """Base for everything a person writes in a couple space."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The most private choice is the default; each exercise widens it only
    # as far as it needs to work.
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_readable_by(self, user) -> bool:
        return type(self)._default_manager.readable_by(user).filter(pk=self.pk).exists()

    def is_visible_to(self, user) -> bool:
        return type(self)._default_manager.visible_to(user).filter(pk=self.pk).exists()
