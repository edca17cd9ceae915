"""Actions on the couple space that touch several models at once.

Each raises :class:`CoupleError` with a sentence meant for the person when
the action can't happen; in that case nothing has been changed.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.clinic.models import CareLink
from tandem.couples.models import Couple, Invite, Membership


class CoupleError(Exception):
    """An action on a couple that can't be done, with the reason to show."""


def create_couple(user) -> Couple:
    if Membership.objects.filter(user=user, active=True).exists():
        raise CoupleError(_("You already have a couple space. Leave it first to start a new one."))
    try:
        with transaction.atomic():
            couple = Couple.objects.create()
            Membership.objects.create(couple=couple, user=user, slot=1)
    except IntegrityError:
        # Two tabs pressing "create" at once: the unique index caught it.
        raise CoupleError(_("You already have a couple space. Leave it first to start a new one.")) from None
    return couple


def create_invite(couple: Couple, by) -> Invite:
    """A fresh invite; older pending ones stop working so only one is live."""
    if not couple.is_open:
        raise CoupleError(_("This couple space is closed."))
    if couple.is_complete:
        raise CoupleError(_("Your partner has already joined."))
    with transaction.atomic():
        # Locked, so two tabs can't leave two live invites behind.
        Couple.objects.select_for_update().get(pk=couple.pk)
        couple.invites.pending().update(revoked_at=timezone.now())
        return Invite.objects.create(couple=couple, created_by=by)


def revoke_invite(invite: Invite) -> None:
    if not Invite.objects.revoke(invite.pk):
        raise CoupleError(_("This invite can no longer be withdrawn: it was already used or withdrawn."))


def find_invite(*, token: str | None = None, code: str | None = None) -> Invite | None:
    return Invite.objects.select_related("couple", "created_by").find(token=token, code=code)


def invite_problem(invite: Invite, user) -> str | None:
    """Why ``user`` can't accept ``invite``, as a sentence, or None."""
    if reason := invite.unusable_reason():
        return reason
    if invite.couple.memberships.filter(user=user).exists():
        return _("This is your own invite. Send the link or code to your partner instead.")
    if Membership.objects.filter(user=user, active=True).exists():
        return _(
            "You already belong to a couple space. A person can be in one couple at a time; "
            "leave your current space first if you want to join this one."
        )
    if not invite.couple.is_open:
        return _("This couple space has been closed, so the invite no longer works.")
    if invite.couple.is_complete:
        return _("This couple space already has two partners.")
    return None


def invite_problem_for_visitor(invite: Invite) -> str | None:
    """Why a signed-out visitor with this link can't join, or None.

    What happened to the invite itself is theirs to know (they hold the link);
    what happened to the couple space (closed, already two) is not, so it is
    one neutral sentence."""
    if reason := invite.unusable_reason():
        return reason
    if not invite.couple.is_open or invite.couple.is_complete:
        return _("This invite can't be used any more. Ask for a new one.")
    return None


def accept_invite(invite: Invite, user) -> Couple:
    with transaction.atomic():
        # Lock the couple so two people redeeming at once can't both join.
        couple = Couple.objects.select_for_update().get(pk=invite.couple_id)
        invite = Invite.objects.select_for_update().get(pk=invite.pk)
        if problem := invite_problem(invite, user):
            raise CoupleError(problem)
        now = timezone.now()
        try:
            with transaction.atomic():
                Membership.objects.create(couple=couple, user=user, slot=2, joined_at=now)
        except IntegrityError:
            # Most likely the person joined or started another space at this
            # very moment; say that rather than something vague.
            raise CoupleError(
                invite_problem(invite, user)
                or _("This invite could not be used. Please ask your partner for a new one.")
            ) from None
        invite.used_at = now
        invite.used_by = user
        invite.save(update_fields=["used_at", "used_by"])
        couple.invites.pending().update(revoked_at=now)
        # Now a couple: each partner is asked, privately, what they are open to.
        couple.memberships.update(consent_question_waiting=True)
    return couple


def close_consent_question(couple: Couple, user) -> None:
    """This partner answered the consent question or chose "Not now": it is
    not asked again (the profile keeps the level changeable any time)."""
    Membership.objects.filter(couple=couple, user=user).update(consent_question_waiting=False)


def leave_couple(couple: Couple) -> None:
    """Close the space for both partners.

    The space becomes read-only for both and unreachable for anyone else: the
    care link ends at once and no invite works any more.
    """
    now = timezone.now()
    with transaction.atomic():
        couple = Couple.objects.select_for_update().get(pk=couple.pk)
        if not couple.is_open:
            raise CoupleError(_("This couple space is already closed."))
        couple.closed_at = now
        couple.save(update_fields=["closed_at"])
        couple.memberships.update(active=False)
        couple.invites.pending().update(revoked_at=now)
        CareLink.objects.current().filter(couple=couple).update(status=CareLink.Status.ENDED, ended_at=now)
