"""Who may read an entry: the one visibility rule every app uses.

An *entry* is anything a person writes inside a couple space. Each carries a
visibility (see the glossary):

* ``private``   -- the author only;
* ``sealed``    -- the partner sees that it exists, never its words;
* ``shared``    -- both partners;
* ``care_team`` -- both partners and the therapist of an *active* care link:
  the link in force when the entry became care team (``Entry.care_link``),
  and a later link only if the author let its therapist read their
  *earlier history* (``clinic.HistoryConsent``). ``care_team_may_read`` is
  that rule, for entries here and for measure responses.

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


def care_team_may_read(therapist_user, *, author: str = "author", shared_under: str = "care_link") -> Exists:
    """Whether ``therapist_user`` may read a care-team row, through one of their active care links.

    The one answer to "which links' rows may this therapist read for this
    author": the link the row was shared under, and any link whose therapist
    the row's author let read their earlier history (a ``HistoryConsent`` of
    that author for that link). Rows shared under no link (``shared_under``
    is null) are earlier history for every link. Asked by the entries below
    and by ``measures.MeasureResponseQuerySet.read_by_care_team``;
    ``author`` and ``shared_under`` name the row's columns.
    """
    links = CareLink.objects.active().filter(couple=OuterRef("couple"), therapist__user=therapist_user)
    return Exists(links.filter(Q(pk=OuterRef(shared_under)) | Q(history_consents__partner=OuterRef(author))))


def _for_care_team(therapist_user) -> Q:
    return Q(visibility=Visibility.CARE_TEAM) & care_team_may_read(therapist_user)


class EntryQuerySet(models.QuerySet):
    def _for(self, user, partner_visibilities: list[str]):
        if not user.is_authenticated:
            return self.none()
        return self.filter(
            Q(author=user)
            | (Q(visibility__in=partner_visibilities) & _is_partner_of_entry_couple(user))
            | _for_care_team(user)
        )

    def visible_to(self, user):
        """Entries whose existence ``user`` may know of."""
        return self._for(user, Visibility.partner_can_see())

    def readable_by(self, user):
        """Entries whose words ``user`` may read."""
        return self._for(user, Visibility.partner_can_read())

    def for_care_team(self, therapist_user):
        """Entries shared with the care team that ``therapist_user`` may read.

        The therapist's part of ``readable_by`` alone, for callers already
        inside a therapist's linked couples, such as the caseload (the
        visibility filter keeps the partial index on care-team check-ins usable).
        """
        return self.filter(_for_care_team(therapist_user))


class Entry(models.Model):
    """Base for everything a person writes in a couple space."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The most private choice is the default; each exercise widens it only
    # as far as it needs to work.
    visibility = models.CharField(max_length=16, choices=Visibility.choices, default=Visibility.PRIVATE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # The care link in force when the entry became care team (written so, or
    # changed to it); None while it isn't shared with a therapist, or if it
    # became care team while no link was active. Set by ``save``.
    care_link = models.ForeignKey(
        "clinic.CareLink", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = EntryQuerySet.as_manager()

    class Meta:
        abstract = True

    # Saving one of these (with ``update_fields``) also saves ``care_link``.
    CARE_LINK_INPUTS = frozenset({"visibility"})

    def save(self, *args, **kwargs):
        # Stamped here, not at each of the many places that write entries, so
        # that no way of sharing with the care team can forget it.
        if not self.shared_with_care_team():
            self.care_link = None
        elif self.care_link_id is None:
            self.care_link_id = (
                CareLink.objects.active().filter(couple_id=self.couple_id).values_list("pk", flat=True).first()
            )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and self.CARE_LINK_INPUTS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "care_link"}
        super().save(*args, **kwargs)

    def shared_with_care_team(self) -> bool:
        """Whether the author gave this entry to the care team (now, or at a reveal to come)."""
        return self.visibility == Visibility.CARE_TEAM

    def is_readable_by(self, user) -> bool:
        return type(self)._default_manager.readable_by(user).filter(pk=self.pk).exists()

    def is_visible_to(self, user) -> bool:
        return type(self)._default_manager.visible_to(user).filter(pk=self.pk).exists()
