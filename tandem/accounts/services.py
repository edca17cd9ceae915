"""Account actions whose effects reach beyond the account."""

from __future__ import annotations

from tandem.couples.models import Membership
from tandem.couples.signals import holds_changed


def consent_level_changed(user, previous: int) -> None:
    """A partner's consent level moved: what their couple is offered may open
    up (programs move on, reminders come back) or be held now. Nobody is told
    whose level it was."""
    if user.consent_level == previous:
        return
    membership = Membership.objects.filter(user=user, active=True).select_related("couple").first()
    if membership is not None:
        holds_changed.send(sender=type(user), couple=membership.couple, lifted=user.consent_level > previous)
