"""Written agreements: versions, confirmations, withdrawal, revisit dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.boundaries.models import Agreement, AgreementConfirmation, AgreementVersion
from tandem.boundaries.services import BoundaryError


@dataclass(frozen=True)
class AgreementState:
    agreement: Agreement
    active: AgreementVersion | None  # the newest version both confirmed, if any
    proposed: AgreementVersion | None  # a newer version still waiting for a confirmation
    i_confirmed_proposed: bool
    due_for_revisit: bool

    @property
    def latest(self) -> AgreementVersion | None:
        return self.proposed or self.active


def create(couple, user, group: str, text: str, revisit_on: date | None) -> Agreement:
    with transaction.atomic():
        agreement = Agreement.objects.create(couple=couple, group=group)
        version = AgreementVersion.objects.create(agreement=agreement, text=text, revisit_on=revisit_on)
        AgreementConfirmation.objects.create(version=version, user=user)
    return agreement


def edit(agreement: Agreement, user, text: str, revisit_on: date | None) -> AgreementVersion:
    """A new version, confirmed by its writer; the current one stays active meanwhile."""
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=agreement.pk)
        # Only one proposal at a time: a newer edit replaces an unconfirmed one.
        for version in agreement.versions.all():
            if version.confirmations.count() < 2 and version != _active(agreement):
                version.delete()
        version = AgreementVersion.objects.create(agreement=agreement, text=text, revisit_on=revisit_on)
        AgreementConfirmation.objects.create(version=version, user=user)
    return version


def confirm(version: AgreementVersion, user) -> None:
    with transaction.atomic():
        Agreement.objects.select_for_update().get(pk=version.agreement_id)
        newest = version.agreement.versions.first()
        if newest is None or newest.pk != version.pk:
            raise BoundaryError(_("A newer version of this agreement exists; confirm that one instead."))
        AgreementConfirmation.objects.get_or_create(version=version, user=user)


def withdraw(agreement: Agreement, user) -> None:
    """Withdraw my confirmation: the agreement is suspended at once."""
    deleted, _rows = AgreementConfirmation.objects.filter(version__agreement=agreement, user=user).delete()
    if not deleted:
        raise BoundaryError(_("You haven't confirmed this agreement, so there is nothing to withdraw."))


def _active(agreement: Agreement) -> AgreementVersion | None:
    for version in agreement.versions.all():
        if version.confirmations.count() == 2:
            return version
    return None


def states(couple, user, today: date) -> list[AgreementState]:
    result = []
    agreements = Agreement.objects.filter(couple=couple).prefetch_related("versions__confirmations")
    for agreement in agreements:
        versions = list(agreement.versions.all())  # newest first
        active = next((v for v in versions if len(v.confirmations.all()) == 2), None)
        newest = versions[0] if versions else None
        proposed = newest if newest and newest is not active else None
        current = active or proposed
        result.append(
            AgreementState(
                agreement=agreement,
                active=active,
                proposed=proposed,
                i_confirmed_proposed=bool(proposed) and any(c.user_id == user.pk for c in proposed.confirmations.all()),
                due_for_revisit=bool(
                    current
                    and agreement.group == Agreement.Group.REVISIT
                    and current.revisit_on
                    and current.revisit_on <= today
                ),
            )
        )
    return result
