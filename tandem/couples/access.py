"""The one way into couple-scoped data.

Every view that touches a couple resolves it here. Anyone who is neither a
partner of that couple nor its therapist through an *active* care link gets
``Http404`` -- the same answer as for a couple that does not exist, so that a
probe learns nothing. Every therapist read is written to the audit log here,
so no view can forget to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest

from tandem.clinic.models import AuditEntry, CareLink
from tandem.couples.models import Couple, Membership
from tandem.couples.visibility import Entry, EntryQuerySet
from tandem.security.twofactor import require_for_therapist as require_two_factor

Role = Literal["partner", "therapist"]


@dataclass(frozen=True)
class CoupleAccess:
    couple: Couple
    user: object
    role: Role
    request: HttpRequest | None = None

    @property
    def is_partner(self) -> bool:
        return self.role == "partner"

    @property
    def is_therapist(self) -> bool:
        return self.role == "therapist"

    @property
    def has_therapist(self) -> bool:
        """Whether the couple has an active care link (read with the couple when it was resolved)."""
        known = getattr(self.couple, "has_active_care_link", None)
        return known if known is not None else self.couple.care_links.active().exists()

    @property
    def can_write(self) -> bool:
        """Partners write while the space is open; a closed space is read-only."""
        return self.is_partner and self.couple.is_open

    def entries(self, model: type[Entry]) -> models.QuerySet:
        """This couple's entries of ``model`` that this person may read.

        The way for a therapist to list entries: scoped to this couple (not
        every linked couple) and reached only through an audited access.
        """
        return model._default_manager.filter(couple=self.couple).readable_by(self.user)

    def object_or_404(self, queryset: models.QuerySet, **lookup):
        """An object of this couple, or 404. Therapist reads are audited.

        For entries (anything with a visibility) only those whose words this
        person may read are found, so no view can hand out a private or
        sealed entry by forgetting a filter.
        """
        if isinstance(queryset, EntryQuerySet):
            queryset = queryset.readable_by(self.user)
        try:
            obj = queryset.get(couple=self.couple, **lookup)
        except (queryset.model.DoesNotExist, ValueError):
            raise Http404 from None
        if self.is_therapist:
            _audit(self, obj)
        return obj


def current_couple(user, *, with_partners: bool = False) -> Couple | None:
    """The partner's open couple space, if they have one.

    ``with_partners``: fetch both partners in the same query and keep them on
    the couple, so ``partners()`` / ``partner_of()`` need no query of their
    own (the home page's budget). Only for pages that don't change who the
    partners are while they run.
    """
    if not user.is_authenticated:
        return None
    if not with_partners:
        membership = Membership.objects.filter(user=user, active=True).select_related("couple").first()
        return membership.couple if membership else None
    # Every membership of the couple in which this person has the active one.
    rows = list(
        Membership.objects.filter(couple__memberships__user=user, couple__memberships__active=True)
        .select_related("couple", "user")
        .order_by("slot")
    )
    if not rows:
        return None
    couple = rows[0].couple
    couple.prefetched_partners = [user if row.user_id == user.pk else row.user for row in rows]
    return couple


def couple_access_or_404(
    request: HttpRequest, couple_id, *, partners_only: bool = False, open_only: bool = False
) -> CoupleAccess:
    """Resolve the couple ``couple_id`` for the signed-in person, or 404.

    ``partners_only``: the therapist gets 404 too (partner-only pages).
    ``open_only``: a closed space gets 404 (actions that change it).
    """
    user = request.user
    if not user.is_authenticated:
        raise Http404
    # One query: the couple and whether this person may enter it (the same
    # two checks as before, asked as EXISTS beside the row).
    roles = {
        "is_partner": Exists(Membership.objects.filter(couple=OuterRef("pk"), user=user)),
        # Asked by most couple pages (which choices to offer); see CoupleAccess.has_therapist.
        "has_active_care_link": Exists(CareLink.objects.active().filter(couple=OuterRef("pk"))),
    }
    if not partners_only:
        roles["is_linked_therapist"] = Exists(
            CareLink.objects.active().filter(couple=OuterRef("pk"), therapist__user=user)
        )
    try:
        couple = Couple.objects.annotate(**roles).get(pk=couple_id)
    except (Couple.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if open_only and not couple.is_open:
        raise Http404
    if couple.is_partner:
        if couple.closed_at is not None:
            # Past the break-up read window, what the two held together goes
            # now, not whenever the purge job next runs: no page can show it.
            from tandem.privacy.retention import narrow_if_due

            narrow_if_due(couple)
        return CoupleAccess(couple, user, "partner", request)
    if not partners_only and couple.is_linked_therapist:
        # Before anything is read or audited: only a session that passed two-factor.
        require_two_factor(request)
        access = CoupleAccess(couple, user, "therapist", request)
        _audit(access, couple)
        return access
    raise Http404


# Apps whose therapist pages show one partner's own data (measures, safety messages).
PER_PARTNER_APPS = {"safety", "measures"}


def audit_partner_read(access: CoupleAccess, partner, what: str) -> None:
    """Record that a therapist read one partner's own data (listed to them alone)."""
    request = access.request
    AuditEntry.objects.create(
        therapist=access.user,
        couple=access.couple,
        path=(request.get_full_path() if request else "")[:300],
        object_type=what,
        subject=partner,
        hidden=True,
    )


def _audit(access: CoupleAccess, obj) -> None:
    """Append one audit entry.

    An object that belongs to one partner names them (``audit_subject_id``)
    and is listed to that partner only (``hidden`` for everyone else, even
    if the subject's account is later erased). A read of the safety channel
    or the measures page as a whole is hidden from both partners' lists: the
    pages that show one partner's data write their own entry per partner.
    """
    request = access.request
    match = getattr(request, "resolver_match", None)
    subject_id = getattr(obj, "audit_subject_id", None)
    AuditEntry.objects.create(
        therapist=access.user,
        couple=access.couple,
        path=(request.get_full_path() if request else "")[:300],
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        subject_id=subject_id,
        hidden=subject_id is not None or (match is not None and match.app_name in PER_PARTNER_APPS),
    )


def to_my_couple(view_name: str):
    """A view for short, couple-less links (/homework/, /checkin/): send the
    partner to their own couple's page, or home when they have none."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import redirect

    @login_required
    def view(request: HttpRequest):
        couple = current_couple(request.user)
        if couple is None:
            return redirect("home:home")
        return redirect(view_name, couple_id=couple.pk)

    return view
