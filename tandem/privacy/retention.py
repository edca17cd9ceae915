"""The break-up timeline and the retention of closed spaces (issue 8, point 5).

When a couple space closes (``couples.services.leave_couple``, or one
partner erasing their account):

1. For ``BREAKUP_READ_DAYS`` (30) both partners still read, and export,
   what they could read before. The space is read-only.
2. After that, each keeps only what they wrote. The visibility rule
   (``couples.visibility``) stops showing the other's entries at the
   deadline itself, whether or not the purge has run; the purge then
   deletes what the two held together and no one wrote alone, and stops
   anything the other partner shared from showing:

   * deleted: blocks (with skips and reminders), feeds, agreements (with
     versions and confirmations), custom boundary items, finished sections
     and match sharing (so no match, which reveals part of both answers,
     can be computed), pauses, the consent vocabulary, milestones, hard
     seasons, invites;
   * switched off: measure scores shared with the partner;
   * kept: each partner's own entries, boundary answers, measures and
     safety thread; the homework itself (titles, status: the frame of
     each one's own answers, holding no words of the other); audit
     entries; the therapist's case notes.

3. After ``CLOSED_SPACE_RETENTION_DAYS`` (365; 0 keeps closed spaces), or
   as soon as neither partner has an account any more, the closed space is
   emptied: everything in it goes, including each partner's own entries.
   What stays is the bare couple row (a random id and two dates, no
   person), which anchors the audit trail of therapist reads, and what the
   therapist holds as their own record (care link, case notes, homework
   schedules); partners' consents to the care link go.

``purge_due`` does whatever is due; it runs from the task worker
(``tasks.purge_due``) and from cron (``manage.py purge_expired``). Every
step is idempotent and recorded once in ``ErasureRecord``.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from tandem.blocks.models import Block, Feed
from tandem.boundaries.models import Agreement, ConsentVocabulary, CouplePause, CustomItem, MatchSharing, SectionDone
from tandem.clinic.models import CareConsent
from tandem.couples.models import Couple, Invite
from tandem.couples.visibility import shared_read_cutoff
from tandem.homework.models import Assignment
from tandem.measures.models import MeasureResponse
from tandem.privacy.models import ErasureRecord
from tandem.seasons.models import HardSeason
from tandem.wins.models import Milestone

log = logging.getLogger(__name__)


def partner_data_readable(couple: Couple, now: datetime | None = None) -> bool:
    """Can the partners still read what the other shared in ``couple``?"""
    return couple.closed_at is None or couple.closed_at >= shared_read_cutoff(now)


def read_until(couple: Couple) -> datetime | None:
    """The end of the break-up read window of a closed space."""
    if couple.closed_at is None:
        return None
    return couple.closed_at + timedelta(days=settings.BREAKUP_READ_DAYS)


def purge_due(now: datetime | None = None) -> dict[str, int]:
    """Carry out every deadline that has passed at ``now``."""
    now = now or timezone.now()
    done = {"narrowed": 0, "emptied": 0}
    emptied = ErasureRecord.objects.filter(kind=ErasureRecord.Kind.CLOSED_SPACE).values("space")
    narrowed = ErasureRecord.objects.filter(kind=ErasureRecord.Kind.SHARED_SPACE).values("space")
    closed = Couple.objects.filter(closed_at__isnull=False).exclude(pk__in=emptied)
    due_to_empty = models.Q(memberships__isnull=True)
    if settings.CLOSED_SPACE_RETENTION_DAYS > 0:
        due_to_empty |= models.Q(closed_at__lt=now - timedelta(days=settings.CLOSED_SPACE_RETENTION_DAYS))
    for couple in closed.filter(due_to_empty).distinct():
        empty_closed_space(couple)
        done["emptied"] += 1
    for couple in closed.filter(closed_at__lt=shared_read_cutoff(now)).exclude(pk__in=narrowed):
        narrow_shared_space(couple)
        done["narrowed"] += 1
    if any(done.values()):
        log.info("privacy purge: %(narrowed)d spaces narrowed, %(emptied)d emptied", done)
    return done


def narrow_if_due(couple: Couple, now: datetime | None = None) -> bool:
    """Narrow ``couple`` now if its read window has ended and it was not narrowed yet.

    Called on every partner's access to a closed space and before an export,
    so the deadline holds even when no purge job runs on time.
    """
    if partner_data_readable(couple, now):
        return False
    with transaction.atomic():
        # The row lock keeps two requests from narrowing the same space twice.
        Couple.objects.select_for_update().filter(pk=couple.pk).first()
        if ErasureRecord.objects.filter(kind=ErasureRecord.Kind.SHARED_SPACE, space=couple.pk).exists():
            return False
        narrow_shared_space(couple)
    return True


def narrow_shared_space(couple: Couple) -> dict[str, int]:
    """After the read window: delete what the partners held together."""

    assert couple.closed_at is not None, "only a closed space is narrowed"
    summary: dict[str, int] = {}
    with transaction.atomic():
        for model in (
            Block,
            Feed,
            Agreement,
            CustomItem,
            SectionDone,
            MatchSharing,
            CouplePause,
            ConsentVocabulary,
            Milestone,
            HardSeason,
            Invite,
        ):
            _total, deleted = model._default_manager.filter(couple=couple).delete()
            _add(summary, deleted)
        # A homework message was written to the other partner: it goes too.
        cleared = Assignment.objects.filter(couple=couple).exclude(message="").update(message="")
        if cleared:
            summary["homework.assignment.message_cleared"] = cleared
        unshared = MeasureResponse.objects.filter(couple=couple, shared_with_partner=True).update(
            shared_with_partner=False
        )
        if unshared:
            summary["measures.measureresponse.unshared"] = unshared
        ErasureRecord.objects.create(kind=ErasureRecord.Kind.SHARED_SPACE, space=couple.pk, summary=summary)
    return summary


# What a therapist keeps as their own record when a closed space is emptied,
# and the trail that must outlive it.
KEPT_WHEN_EMPTIED = {"clinic.auditentry", "clinic.carelink", "clinic.casenote", "clinic.homeworkschedule"}


def empty_closed_space(couple: Couple) -> dict[str, int]:
    """Delete everything in a closed space but its bare row and the trail.

    Walks every relation to ``Couple`` that cascades, so a model added later
    is emptied too unless it is listed in ``KEPT_WHEN_EMPTIED``.
    """

    assert couple.closed_at is not None, "only a closed space is emptied"
    summary: dict[str, int] = {}
    with transaction.atomic():
        _total, deleted = CareConsent.objects.filter(link__couple=couple).delete()
        _add(summary, deleted)
        # ``include_hidden``: entries point at their couple with related_name="+".
        for relation in Couple._meta.get_fields(include_hidden=True):
            if not (relation.auto_created and not relation.concrete and (relation.one_to_many or relation.one_to_one)):
                continue
            model = relation.related_model
            if model._meta.label_lower in KEPT_WHEN_EMPTIED or relation.on_delete is not models.CASCADE:
                continue
            _total, deleted = model._base_manager.filter(**{relation.field.name: couple}).delete()
            _add(summary, deleted)
        ErasureRecord.objects.create(kind=ErasureRecord.Kind.CLOSED_SPACE, space=couple.pk, summary=summary)
    return summary


def _add(summary: dict[str, int], deleted: dict[str, int]) -> None:
    for label, n in deleted.items():
        if n:
            summary[label.lower()] = summary.get(label.lower(), 0) + n
