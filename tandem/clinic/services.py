"""Therapist registration and the consent flow of care links."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.clinic.models import CareConsent, CareInvite, CareLink, HistoryConsent, Therapist
from tandem.clinic.schedules import follow_session
from tandem.couples.models import Couple, Membership
from tandem.couples.signals import holds_changed


class CareError(Exception):
    """A care-link action that can't be done, with the reason to show."""


def register_therapist(user, practice_name: str) -> Therapist:
    if hasattr(user, "therapist"):
        raise CareError(_("You are already registered as a therapist."))
    therapist = Therapist.objects.create(user=user, practice_name=practice_name)
    user.__dict__.pop("is_therapist", None)
    return therapist


def create_care_invite(therapist: Therapist, label: str = "") -> CareInvite:
    return CareInvite.objects.create(therapist=therapist, label=label)


def revoke_care_invite(invite: CareInvite) -> None:
    if not CareInvite.objects.revoke(invite.pk):
        raise CareError(_("This code can no longer be withdrawn: it was already used or withdrawn."))


def renew_care_invite(invite: CareInvite) -> CareInvite:
    """A new code with the same note, for a therapist who no longer has the
    old one (it was shown once); the old code stops working."""
    with transaction.atomic():
        revoke_care_invite(invite)
        return create_care_invite(invite.therapist, invite.label)


def find_care_invite(*, token: str | None = None, code: str | None = None) -> CareInvite | None:
    return CareInvite.objects.select_related("therapist__user").find(token=token, code=code)


def care_invite_problem(invite: CareInvite, couple: Couple | None, user) -> str | None:
    if reason := invite.unusable_reason():
        return reason
    if couple is None:
        return _("You need a couple space with your partner before you can link a therapist.")
    if not couple.is_complete:
        return _("Your partner needs to join your couple space before you can link a therapist.")
    if invite.therapist.user_id == user.pk or couple.memberships.filter(user_id=invite.therapist.user_id).exists():
        return _("A therapist can't be linked to their own couple space.")
    if CareLink.objects.current().filter(couple=couple).exists():
        return _(
            "Your couple space already has a therapist link (active or waiting). End it first to link someone else."
        )
    return None


def redeem_care_invite(invite: CareInvite, couple: Couple, user, *, share_history: bool = False) -> CareLink:
    """Start a pending link; the redeeming partner's consent counts as the first.

    ``share_history``: this partner's answer to the separate question of
    whether the new therapist may read their earlier history (no unless asked).
    """
    with transaction.atomic():
        # Lock the couple too: a partner leaving at this moment must not end
        # up with a pending link on a closed space.
        couple = Couple.objects.select_for_update().get(pk=couple.pk)
        invite = CareInvite.objects.select_for_update().get(pk=invite.pk)
        if not couple.is_open or not Membership.objects.filter(couple=couple, user=user, active=True).exists():
            raise CareError(_("You need a couple space with your partner before you can link a therapist."))
        if problem := care_invite_problem(invite, couple, user):
            raise CareError(problem)
        now = timezone.now()
        try:
            with transaction.atomic():
                link = CareLink.objects.create(couple=couple, therapist=invite.therapist)
        except IntegrityError:
            raise CareError(_("Your couple space already has a therapist link (active or waiting).")) from None
        CareConsent.objects.create(link=link, user=user)
        if share_history:
            HistoryConsent.objects.create(link=link, partner=user)
        invite.used_at = now
        invite.couple = couple
        invite.save(update_fields=["used_at", "couple"])
    return link


def consent_to_link(link: CareLink, user, *, share_history: bool = False) -> CareLink:
    """Record ``user``'s consent; the link turns active when both have said yes.

    ``share_history`` as for ``redeem_care_invite``: their own answer, kept
    with their yes so that the link never starts with a half-answered question.
    """
    with transaction.atomic():
        link = CareLink.objects.select_for_update().get(pk=link.pk)
        if link.status != CareLink.Status.PENDING:
            raise CareError(_("This therapist link is no longer waiting for an answer."))
        if not Membership.objects.filter(couple_id=link.couple_id, user=user, active=True).exists():
            raise CareError(_("Only the partners of this couple can answer."))
        CareConsent.objects.get_or_create(link=link, user=user)
        if share_history:
            HistoryConsent.objects.get_or_create(link=link, partner=user)
        if link.consents.count() == 2:
            link.status = CareLink.Status.ACTIVE
            link.activated_at = timezone.now()
            link.save(update_fields=["status", "activated_at"])
    return link


def couple_has_earlier_history(couple: Couple, link: CareLink | None = None) -> bool:
    """Whether the question about earlier history means anything: the couple
    worked with a therapist before (another link that was once active)."""
    earlier = CareLink.objects.were_active().filter(couple=couple)
    if link is not None:
        earlier = earlier.exclude(pk=link.pk)
    return earlier.exists()


def set_history_shared(link: CareLink, partner, shared: bool) -> None:
    """``partner``'s own answer: may this link's therapist read their earlier
    history? Changed at any time while the link is current; a no (a
    withdrawal) counts from the next read. Only the partner's own entries
    and measures; the other partner's answer is theirs."""
    with transaction.atomic():
        link = CareLink.objects.select_for_update().get(pk=link.pk)
        if link.status == CareLink.Status.ENDED:
            raise CareError(_("This therapist link has ended."))
        if not Membership.objects.filter(couple_id=link.couple_id, user=partner, active=True).exists():
            raise CareError(_("Only the partners of this couple can answer."))
        if shared:
            HistoryConsent.objects.get_or_create(link=link, partner=partner)
        else:
            HistoryConsent.objects.filter(link=link, partner=partner).delete()


def end_link(link: CareLink) -> None:
    """Decline a pending link or end an active one. Effective at once; the
    therapist is not told which partner did it."""
    if link.status == CareLink.Status.ENDED:
        raise CareError(_("This therapist link has already ended."))
    link.status = CareLink.Status.ENDED
    link.ended_at = timezone.now()
    link.save(update_fields=["status", "ended_at"])


def care_settings_saved(link: CareLink) -> None:
    """The therapist changed a couple's care settings: "after the session"
    homework follows the new session date, and touch stages that waited only
    for the therapist's approval may open now (a hold lifted)."""
    follow_session(link)
    if not link.stages_need_approval:
        holds_changed.send(sender=CareLink, couple=link.couple, lifted=True)
