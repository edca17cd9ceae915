"""Reminders of blocks: planned as rows, sent by the task worker.

How it holds together:

* **Planning.** For each partner who asked for reminders, a ``Reminder`` row
  is made for every occurrence in the next two weeks (and always at least
  the next one, so a block every four weeks is not forgotten). A unique
  constraint keeps one live row per person and occurrence, so planning
  twice is harmless. Each new row enqueues ``send_reminder`` to run
  at its time (``django-tasks-db`` keeps the task in the database).
* **Exactly once.** Whoever runs a reminder first claims the row with a
  conditional ``UPDATE ... WHERE status = 'pending'``; the database lets
  exactly one claimant see one changed row, so two workers racing (or a
  task enqueued twice) send one e-mail.
* **Lease.** A claim is a lease of ``REMINDER_LEASE_SECONDS``: while a
  worker sends, a thread renews it every third of that time, however slow
  the mail server. A worker killed mid-send stops renewing; the check task
  enqueued with the claim (to run just after the lease) then finds the claim
  run out, releases it and sends, and marks the dead worker's task run as
  failed (it would stay "running" in the task table for ever). The release
  is conditional on the claim being stale, so a live worker's reminder is
  never taken from it, and still only one claimant sends.
* **Catch-up.** Tasks wait in the database while no worker runs; when one
  comes back it runs them all: a reminder whose occurrence has already
  ended is marked missed instead of sent. ``send_due`` (the
  ``send_reminders`` command) sweeps for due rows too, should tasks have
  been lost (a queue emptied, a backend switched).
* **Cancelling.** Changing, skipping or ending a block cancels its pending
  rows; a task that then runs finds nothing to claim.
* **Chaining.** Handling a reminder plans the block's next ones, so a
  series never runs dry.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tandem.blocks import recurrence
from tandem.blocks.models import Block, CalendarSettings, Reminder
from tandem.core import dates, leases, mail
from tandem.homework import holds
from tandem.notifications import delivery as notifications
from tandem.notifications.models import Channel, Delivery

log = logging.getLogger(__name__)

PLAN_AHEAD = dt.timedelta(days=14)
RETRY_AFTER = dt.timedelta(minutes=5)
# The check after a lease runs this much after it would have run out, so
# that it finds the claim stale rather than a moment too fresh.
LEASE_CHECK_GRACE = dt.timedelta(seconds=1)


def lease() -> dt.timedelta:
    """How long a claim holds unless its worker renews it (``REMINDER_LEASE_SECONDS``)."""
    return dt.timedelta(seconds=settings.REMINDER_LEASE_SECONDS)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def on_hold(block: Block) -> bool:
    """Whether the block's reminders wait: it is not planned, or a hold
    holds it (see ``homework.holds``: a closed space; closeness or homework
    that is paused or held).

    Consent first: nothing intimate arrives in an inbox while either partner
    has paused everything, the couple's level no longer covers it, or a hard
    season holds intimacy homework.
    """
    if block.status != Block.Status.ACTIVE:
        return True
    return bool(holds.of_couple(block.couple).block(block))


def plan(block: Block, now: dt.datetime | None = None) -> list[Reminder]:
    """Make the block's missing reminder rows and enqueue them. Idempotent.

    Only occurrences that have not started yet are reminded, and only to
    partners who are still in the (open) space.
    """
    now = _now(now)
    if on_hold(block):
        return []
    partners = [m.user for m in block.couple.memberships.filter(active=True).select_related("user")]
    wanted = [
        (person, choice)
        for person in partners
        if (choice := CalendarSettings.objects.filter(user=person).first()) is not None and choice.remind
    ]
    if not wanted:
        return []
    coming = [o for o in recurrence.occurrences(block, now, now + PLAN_AHEAD) if o.start > now]
    if not coming:
        following = recurrence.next_occurrence(block, now)
        coming = [following] if following else []
    made = []
    for person, choice in wanted:
        for occurrence in coming:
            start = occurrence.start.astimezone(dt.UTC)
            send_at = start - dt.timedelta(minutes=choice.minutes_before)
            try:
                with transaction.atomic():
                    reminder, created = Reminder.objects.exclude(status=Reminder.Status.CANCELLED).get_or_create(
                        block=block,
                        user=person,
                        occurrence_start=start,
                        defaults={
                            "occurrence_end": occurrence.end.astimezone(dt.UTC),
                            "send_at": send_at,
                            "channel": choice.channel,
                        },
                    )
            except IntegrityError:  # planned at the same moment elsewhere
                continue
            if created:
                made.append(reminder)
    for reminder in made:
        _enqueue(reminder)
    return made


def _enqueue(reminder: Reminder, at: dt.datetime | None = None) -> None:
    run_after = at or reminder.send_at

    def enqueue() -> None:
        send_reminder.using(run_after=run_after).enqueue(reminder.pk)

    transaction.on_commit(enqueue)


def _enqueue_check(reminder: Reminder, at: dt.datetime) -> None:
    """Enqueue a look at a claimed reminder, at once rather than on commit:
    with the claim, which the worker commits before it starts sending."""
    send_reminder.using(run_after=at).enqueue(reminder.pk, lease_check=True)


def cancel(block: Block, occurrence_start: dt.datetime | None = None) -> int:
    """Cancel the block's pending reminders (of one occurrence, or all)."""
    pending = Reminder.objects.pending().filter(block=block)
    if occurrence_start is not None:
        pending = pending.filter(occurrence_start=occurrence_start)
    return pending.update(status=Reminder.Status.CANCELLED)


def cancel_held(couple) -> int:
    """Cancel pending reminders of the couple's blocks that are now on hold."""
    held = Block.objects.active().filter(couple=couple).with_holds().exclude(hold="")
    return Reminder.objects.pending().filter(block__in=held.values("pk")).update(status=Reminder.Status.CANCELLED)


def replan_couple(couple, now: dt.datetime | None = None) -> None:
    """After something that may lift a hold (a pause lifted, a level raised)."""
    for block in Block.objects.active().filter(couple=couple).select_related("couple", "assignment__exercise"):
        plan(block, now)


def replan_person(user, now: dt.datetime | None = None) -> None:
    """After a person changes their reminder choices: start afresh."""
    Reminder.objects.pending().filter(user=user).update(status=Reminder.Status.CANCELLED)
    for block in Block.objects.active().filter(couple__memberships__user=user, couple__memberships__active=True):
        plan(block, now)


def claim(reminder_id: int, now: dt.datetime | None = None) -> bool:
    """Take the reminder for sending. True for exactly one caller."""
    return bool(
        Reminder.objects.filter(pk=reminder_id, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.SENDING, attempts=F("attempts") + 1, claimed_at=_now(now)
        )
    )


def release_stuck(now: dt.datetime | None = None, reminder_id: int | None = None) -> int:
    """Make claims whose lease ran out pending again: their worker died (a
    live one renews its claim while it sends, see ``core.leases.kept``).

    Conditional on the claim still being stale, so a claim taken or renewed
    meanwhile is left alone; taking the reminder is then ``claim``'s job,
    which only one caller wins."""
    stale = Reminder.objects.filter(status=Reminder.Status.SENDING, claimed_at__lt=_now(now) - lease())
    if reminder_id is not None:
        stale = stale.filter(pk=reminder_id)
    return stale.update(status=Reminder.Status.PENDING)


def _still_wanted(reminder: Reminder) -> bool:
    """The block is planned, the space open, the person still in it and not on hold."""
    if on_hold(reminder.block):
        return False
    return reminder.block.couple.memberships.filter(user=reminder.user, active=True).exists()


def handle(reminder_id: int, now: dt.datetime | None = None, lease_check: bool = False) -> str:
    """Send one reminder if it is still due and nobody else has. Returns what happened.

    ``lease_check``: this run only looks at a claim (queued with it, for just
    after its lease): it takes the reminder over if the lease ran out, and
    otherwise leaves it to the worker that holds it, or to whoever comes next
    (a failed send's retry keeps its own time)."""
    now = _now(now)
    reminder = (
        Reminder.objects.select_related("block__couple", "block__assignment__exercise", "user")
        .filter(pk=reminder_id)
        .first()
    )
    if reminder is None:
        return "gone"
    if reminder.status == Reminder.Status.SENDING:
        if not release_stuck(now, reminder.pk):
            if lease_check:
                # Its worker is alive and renewing: look again when the lease would run out.
                _enqueue_check(reminder, at=max(now, reminder.claimed_at) + lease() + LEASE_CHECK_GRACE)
            return "sending"
        leases.fail_lost_runs(
            send_reminder,
            [reminder.pk],
            now - lease(),
            f"The worker stopped while sending reminder {reminder.pk}; sent again.",
        )
        reminder.status = Reminder.Status.PENDING
    elif lease_check:
        return "gone"  # sent, cancelled, or given back for a retry at its own time
    if reminder.status != Reminder.Status.PENDING:
        return "gone"
    if reminder.occurrence_end <= now:
        # The worker was away and the block is over: too late to be useful.
        if Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.MISSED
        ):
            plan(reminder.block, now)
        return "missed"
    if reminder.send_at > now:
        return "early"  # a sweep ran before its time; its own task will come
    if not _still_wanted(reminder):
        Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.PENDING).update(status=Reminder.Status.CANCELLED)
        return "cancelled"
    if not claim(reminder.pk, now):
        return "taken"
    # Should this worker die mid-send, this check (run by any worker) picks
    # the reminder up once the lease has run out.
    _enqueue_check(reminder, at=now + lease() + LEASE_CHECK_GRACE)
    try:
        with leases.kept(
            Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.SENDING, attempts=reminder.attempts + 1),
            lease(),
            f"reminder-{reminder.pk}",
        ):
            deliver(reminder)
    except Exception:
        log.exception("Reminder %s could not be sent; trying again later", reminder.pk)
        Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.PENDING)
        retry = now + RETRY_AFTER
        if retry < reminder.occurrence_end:
            _enqueue(reminder, at=retry)
        return "failed"
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.SENT, sent_at=now)
    plan(reminder.block, now)
    return "sent"


def send_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Handle every pending reminder that is due (the catch-up sweep)."""
    now = _now(now)
    release_stuck(now)
    counts: dict[str, int] = {}
    for reminder_id in Reminder.objects.pending().filter(send_at__lte=now).values_list("pk", flat=True):
        outcome = handle(reminder_id, now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def wording(reminder: Reminder, neutral: bool = False) -> tuple[str, str]:
    """Subject and body, in the recipient's zone and language.

    Neutral unless the person opted into detailed wording: a reminder can
    show on a lock screen, so by default it says only "time together".
    ``neutral`` forces that whatever the opt-in (a push payload: see
    ``deliver``).
    """
    person = reminder.user
    choice = CalendarSettings.of(person)
    with translation.override(person.language or settings.LANGUAGE_CODE), timezone.override(person.zone):
        at = dates.show_time(reminder.occurrence_start)
        what = describe(reminder.block) if choice.detailed_wording and not neutral else _("time together")
        subject = _("Tandem: %(what)s at %(time)s") % {"what": what, "time": at}
        day = dates.show_day(reminder.occurrence_start)
        body = "\n".join(
            [
                _("A reminder: %(what)s, %(day)s at %(time)s.") % {"what": what, "day": day, "time": at},
                "",
                _("You asked Tandem for this reminder. You can change or stop reminders in Tandem's calendar."),
            ]
        )
    return subject, body


def describe(block: Block) -> str:
    """The detailed wording of a block: its kind, or the homework's title."""
    if block.kind == Block.Kind.HOMEWORK and block.assignment_id:
        return _("homework: %(title)s") % {"title": block.assignment.exercise.title}
    return str(block.get_kind_display()).lower()


def deliver(reminder: Reminder) -> None:
    """Send by the reminder's channel, and record the delivery (tandem/notifications).

    In the worker already, inside this reminder's claim: sent now, not queued
    again, and exactly once as the claim is. A push carries the neutral
    words even for a person who opted into detail for e-mail and feeds: the
    push service relays it, and a lock screen shows it.
    """
    key = f"reminder:{reminder.pk}"
    if reminder.channel == CalendarSettings.Channel.EMAIL:
        subject, body = wording(reminder)
        mail.send_now(subject, body, [reminder.user.email])
        notifications.record(reminder.user, Channel.EMAIL, Delivery.REMINDER, key)
    elif reminder.channel == CalendarSettings.Channel.PUSH:
        # Neither a device gone nor a push service down is retried: the
        # delivery records why, and the block is in the calendar as before.
        subject, _body = wording(reminder, neutral=True)
        what = subject.split(": ", 1)[-1]  # the title of a push is "Tandem" already
        notifications.push_now(reminder.user, Delivery.REMINDER, key, what[:1].upper() + what[1:])
    else:  # pragma: no cover - a channel without a sender is a programming error
        raise ValueError(f"no sender for channel {reminder.channel!r}")


# The worker's entry points (``manage.py db_worker``). They live beside the
# logic they run so that planning a reminder can enqueue one without a cycle.
@task()
def send_reminder(reminder_id: int, lease_check: bool = False) -> str:
    """Send one planned reminder, at most once (see ``handle``)."""
    return handle(reminder_id, lease_check=lease_check)


@task()
def send_due_reminders() -> dict[str, int]:
    """The catch-up sweep: every pending reminder that is due."""
    return send_due()
