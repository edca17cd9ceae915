"""What partners do with blocks: propose, accept, change, skip, end.

The rules, kept here rather than in views so that every way in obeys them:

* a block (or a change to one) is proposed by one partner and takes effect
  only when the *other* accepts; the proposer can withdraw it meanwhile;
* either partner can skip one occurrence or end a block at once, with no
  reason and no acceptance needed (a "no" is never negotiated); only the
  person who skipped can bring an occurrence back;
* every change cancels pending reminders and plans new ones.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.blocks import recurrence, reminders
from tandem.blocks.models import Block, Skip
from tandem.couples.models import Couple

# The fields a proposal carries; a change copies exactly these.
PLAN_FIELDS = (
    "kind",
    "assignment",
    "start_date",
    "start_time",
    "duration_minutes",
    "time_zone",
    "weekdays",
    "interval",
    "until",
    "count",
)


class BlockError(Exception):
    """A rule was broken; the message is for the person."""


def propose(couple: Couple, by, *, replaces: Block | None = None, **plan) -> Block:
    if not couple.is_open or not couple.is_complete:
        raise BlockError(_("Blocks are planned by two: invite your partner first."))
    if replaces is not None and (replaces.couple_id != couple.pk or replaces.status != Block.Status.ACTIVE):
        raise BlockError(_("Only a planned block can be changed."))
    with transaction.atomic():
        if replaces is not None:
            # One open change at a time: a newer proposal replaces an older one.
            replaces.changes.filter(status=Block.Status.PROPOSED).update(status=Block.Status.WITHDRAWN)
        block = Block(couple=couple, proposed_by=by, replaces=replaces, status=Block.Status.PROPOSED, **plan)
        block.save()
    return block


def _answerable(block: Block, user) -> None:
    if block.status != Block.Status.PROPOSED:
        raise BlockError(_("This proposal has already been answered."))
    if block.proposed_by_id == user.pk:
        raise BlockError(_("Your partner answers this one: a block is planned when you both say yes."))


def _locked(block: Block) -> Block:
    """The block re-read under a row lock: two answers at once can't both count."""
    return Block.objects.select_for_update().select_related("couple").get(pk=block.pk)


def accept(block: Block, user, now: dt.datetime | None = None) -> Block:
    """The other partner says yes. Returns the block that is now planned."""
    now = now or timezone.now()
    with transaction.atomic():
        block = _locked(block)
        _answerable(block, user)
        if block.last_end is not None and block.last_end <= now:
            raise BlockError(_("That time has already passed. Propose a new one."))
        if block.replaces_id is None:
            block.status = Block.Status.ACTIVE
            block.accepted_at = now
            block.save()
            target = block
        else:
            target = Block.objects.select_for_update().get(pk=block.replaces_id)
            if target.status != Block.Status.ACTIVE:
                raise BlockError(_("That block has ended, so the change no longer applies."))
            for field in PLAN_FIELDS:
                setattr(target, field, getattr(block, field))
            target.sequence += 1
            target.accepted_at = now
            target.save()
            # Skips of dates that are no longer occurrences mean nothing now.
            for skip in list(target.skips.all()):
                if not recurrence.is_occurrence(target, skip.occurrence_date):
                    skip.delete()
            block.delete()
        reminders.cancel(target)
        reminders.plan(target, now)
    return target


def decline(block: Block, user) -> None:
    with transaction.atomic():
        block = _locked(block)
        _answerable(block, user)
        block.status = Block.Status.SET_ASIDE
        block.save(update_fields=["status"])


def withdraw(block: Block, user) -> None:
    with transaction.atomic():
        block = _locked(block)
        if block.status != Block.Status.PROPOSED or block.proposed_by_id != user.pk:
            raise BlockError(_("Only the person who proposed it can withdraw a proposal."))
        block.status = Block.Status.WITHDRAWN
        block.save(update_fields=["status"])


def end(block: Block, user) -> None:
    """Either partner stops a planned block, at once."""
    with transaction.atomic():
        block = _locked(block)
        if block.status != Block.Status.ACTIVE:
            raise BlockError(_("This block is not planned any more."))
        block.status = Block.Status.ENDED
        block.save(update_fields=["status"])
        block.changes.filter(status=Block.Status.PROPOSED).update(status=Block.Status.WITHDRAWN)
        reminders.cancel(block)


def _occurrence_on(block: Block, day: dt.date, now: dt.datetime) -> recurrence.Occurrence:
    if block.status != Block.Status.ACTIVE:
        raise BlockError(_("This block is not planned any more."))
    start = recurrence.place(dt.datetime.combine(day, dt.time.min), block.zone)
    for found in recurrence.occurrences(block, start, start + dt.timedelta(days=1), include_skipped=True):
        if found.local_date == day:
            if found.end <= now:
                raise BlockError(_("That time has already passed."))
            return found
    raise BlockError(_("The block doesn't happen on that day."))


def skip(block: Block, user, day: dt.date, now: dt.datetime | None = None) -> Skip:
    """Leave out one occurrence; the series goes on."""
    now = now or timezone.now()
    occurrence = _occurrence_on(block, day, now)
    with transaction.atomic():
        found, _created = Skip.objects.get_or_create(block=block, occurrence_date=day, defaults={"skipped_by": user})
        reminders.cancel(block, occurrence.start.astimezone(dt.UTC))
        block.save(update_fields=["updated_at"])  # the feed changed
        reminders.plan(block, now)  # the next times are still reminded
    return found


def unskip(block: Block, user, day: dt.date, now: dt.datetime | None = None) -> None:
    """Bring back a skipped occurrence: only the person who skipped it can."""
    now = now or timezone.now()
    _occurrence_on(block, day, now)
    with transaction.atomic():
        deleted, _rows = Skip.objects.filter(block=block, occurrence_date=day, skipped_by=user).delete()
        if not deleted:
            raise BlockError(_("Only the person who skipped this time can bring it back."))
        block.save(update_fields=["updated_at"])
        reminders.plan(block, now)
