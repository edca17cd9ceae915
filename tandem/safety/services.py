"""Sending, replying to and reading safety messages.

Nothing here notifies anyone: no e-mail, no count, no flag that could reach
the other partner. The therapist learns of a new message from the unread
count on their own caseload (``unread_counts``).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.clinic.models import CareLink, Therapist
from tandem.drafts import services as drafts
from tandem.drafts.models import slot
from tandem.safety.models import SafetyMessage, SafetyThread


class SafetyError(Exception):
    """A safety message that can't be sent, with the reason to show."""


def active_therapist(couple) -> Therapist | None:
    """The therapist of the couple's active care link, if there is one."""
    link = CareLink.objects.active().filter(couple=couple).select_related("therapist__user").first()
    return link.therapist if link else None


def thread_for(couple, author, therapist: Therapist | None) -> SafetyThread | None:
    """The author's own thread with ``therapist``, if they have written to them."""
    if therapist is None:
        return None
    return SafetyThread.objects.filter(couple=couple, author=author, therapist=therapist).first()


def send(couple, author, body: str) -> SafetyMessage:
    """A partner's message to the therapist linked right now."""
    if not couple.is_open:
        raise SafetyError(_("This couple space is closed, so nothing can be sent from it."))
    if not couple.memberships.filter(user=author).exists():
        raise SafetyError(_("Only a partner of this couple can write here."))
    with transaction.atomic():
        # Chosen at send time: the message goes only to the therapist of the
        # link active now, never to a former or a pending one.
        therapist = active_therapist(couple)
        if therapist is None:
            raise SafetyError(_("There is no therapist linked with your couple right now, so this wasn't sent."))
        thread, _created = SafetyThread.objects.get_or_create(couple=couple, author=author, therapist=therapist)
        drafts.discard(author, couple, slot("safety", "message"))
        # Writing back answers the therapist's replies before it: they are read.
        mark_read_by_author(thread)
        return SafetyMessage.objects.create(thread=thread, body=body)


def reply(thread: SafetyThread, body: str) -> SafetyMessage:
    """The therapist's reply; it answers what came before, so that is read now."""
    with transaction.atomic():
        mark_read_by_therapist([thread])
        return SafetyMessage.objects.create(thread=thread, from_therapist=True, body=body)


def mark_read_by_therapist(threads: Iterable[SafetyThread]) -> int:
    return SafetyMessage.objects.unread_by_therapist().filter(thread__in=list(threads)).update(read_at=timezone.now())


def mark_read_by_author(thread: SafetyThread) -> int:
    return SafetyMessage.objects.unread_by_author().filter(thread=thread).update(read_at=timezone.now())


def unread_counts(therapist_user, couple_ids: Iterable) -> dict:
    """{couple_id: messages from partners this therapist hasn't read}, in one query.

    Couples with nothing unread are left out; callers use ``.get(id, 0)``.
    """
    couple_ids = list(couple_ids)
    if not couple_ids:
        return {}
    rows = (
        SafetyMessage.objects.unread_by(therapist_user)
        .filter(thread__couple_id__in=couple_ids)
        .values("thread__couple_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["thread__couple_id"]: row["n"] for row in rows}
