"""When to tell: after a save of anything that can make a waiting item (connected in ``TurnsConfig.ready``).

A receiver does no item computation: it notes the couple, and on commit
one ``tell_couple`` task per couple and transaction is enqueued, for the
worker to compute from the state (``tell.py``). A transaction that rolls
back enqueues nothing. Saves in the worker (homework it gives, a lapse)
are told the same way.
"""

from __future__ import annotations

from operator import attrgetter

from django.db import transaction
from django.db.models.signals import post_save

from tandem.blocks.models import Block
from tandem.boundaries.models import AgreementConfirmation, AgreementVersion
from tandem.clinic.models import CareConsent, CareLink
from tandem.homework.models import Assignment, Part, Response
from tandem.measures.models import MeasurePlan, RiskFlag
from tandem.safety.models import SafetyMessage
from tandem.wins.models import GratitudeNote

# The models whose rows make waiting items (``items.sources``), and the way
# from a row to its couple's id. A new source's model goes here, once.
# Items that come with time alone (a revisit date, a quiet couple, a
# questionnaire falling due) are told by the sweep, ``manage.py tell_waiting``.
SOURCES = (
    (Assignment, "couple_id"),
    (Part, "assignment.couple_id"),
    (Response, "couple_id"),
    (Block, "couple_id"),
    (AgreementVersion, "agreement.couple_id"),
    (AgreementConfirmation, "version.agreement.couple_id"),
    (MeasurePlan, "couple_id"),
    (RiskFlag, "couple_id"),
    (CareLink, "couple_id"),
    (CareConsent, "link.couple_id"),
    (SafetyMessage, "thread.couple_id"),
    (GratitudeNote, "couple_id"),
)
_COUPLE_OF = {model: attrgetter(path) for model, path in SOURCES}


class _Couples:
    """The couples a transaction touched, told once each when it commits."""

    def __init__(self) -> None:
        self.ids: set[str] = set()
        self.done = False

    def __call__(self) -> None:
        from tandem.turns.tell import tell_couple

        self.done = True
        for couple_id in sorted(self.ids):
            tell_couple.enqueue(couple_id)


def _pending(using: str) -> _Couples:
    """This transaction's set of couples: registered with its on-commit callbacks once.

    Kept on the connection; it belongs to the transaction as long as it is
    still among the connection's callbacks (a commit runs and empties them,
    a rollback drops them)."""
    connection = transaction.get_connection(using)
    pending = getattr(connection, "_tandem_tell", None)
    if (
        pending is None
        or pending.done
        or not any(callback is pending for _sids, callback, _robust in connection.run_on_commit)
    ):
        pending = _Couples()
        connection._tandem_tell = pending
        transaction.on_commit(pending, using=using)
    return pending


def tell_later(couple_id, using: str = "default") -> None:
    """Tell the couple's people what newly waits, after this transaction commits (at once outside one)."""
    if couple_id is None:
        return
    if not transaction.get_connection(using).in_atomic_block:
        from tandem.turns.tell import tell_couple

        tell_couple.enqueue(str(couple_id))
        return
    _pending(using).ids.add(str(couple_id))


def on_saved(sender, instance, raw: bool = False, using: str = "default", **kwargs) -> None:
    if raw:  # fixtures: nothing happened
        return
    tell_later(_COUPLE_OF[sender](instance), using)


def on_holds_changed(sender, couple, lifted: bool, **kwargs) -> None:
    """A lifted hold brings back items that were held: tell what newly waits."""
    if lifted:
        tell_later(couple.pk)


def connect() -> None:
    from tandem.couples.signals import holds_changed

    for model, _path in SOURCES:
        post_save.connect(on_saved, sender=model, dispatch_uid=f"turns_tell_{model._meta.label_lower}")
    holds_changed.connect(on_holds_changed, dispatch_uid="turns_tell_holds_changed")
