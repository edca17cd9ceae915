"""Queueing and sending notifications: in the worker, exactly once.

* **Queueing** (``notify``): for a person whose channel is e-mail or push, a
  ``Delivery`` row per item (a unique constraint keeps one per person, kind
  and item, so telling twice is harmless) and a ``send_delivery`` task to
  run when it may be sent: at once, or when the person's quiet hours end.
* **Exactly once.** Whoever runs a delivery first claims it with a
  conditional ``UPDATE ... WHERE state = 'queued'``: the database lets one
  claimant see one changed row, so two workers (or a task enqueued twice)
  send one notification, as block reminders do (``blocks/reminders.py``).
* **Lease.** A claim holds for ``NOTIFICATION_LEASE_SECONDS``, renewed by
  the sending worker (a thread) however slow the push service or mail
  server. A worker that dies mid-send stops renewing; the look enqueued
  with the claim (for just after the lease) then finds it stale, gives it
  back and sends it, and marks the dead worker's task run failed. Giving
  back is conditional on the claim being stale, so a live worker's claim is
  never taken, and taking it again is ``claim``'s, which one caller wins.
  ``send_due`` (``manage.py tell_waiting``) does the same for lost tasks.
* **Quiet hours** are read in the person's own zone at send time (they may
  have changed them since); a delivery that comes due inside them waits.
* **Daily cap.** Past the person's cap for their day, a delivery is folded
  into one digest for the next morning instead: one "some things are
  waiting" rather than a burst.
* **Wording** is neutral on every channel: "Tandem: something is waiting
  for you". A person who opted into ``detailed_wording`` is told what kind
  of thing in the type's neutral phrase (``types.py``: "a time together is
  proposed to you"), never a title or anything intimate, and a push payload
  carries no more than that phrase (``push.py``).
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

from tandem.core import leases, mail
from tandem.notifications import push, types
from tandem.notifications.models import Channel, Delivery, NotificationSettings

log = logging.getLogger(__name__)

# With no quiet hours, a digest goes out at this local time the next day.
DIGEST_AT = dt.time(8, 0)
# The look after a lease runs this much after it would have run out, so
# that it finds the claim stale rather than a moment too fresh.
LEASE_CHECK_GRACE = dt.timedelta(seconds=1)


def lease() -> dt.timedelta:
    """How long a claim holds unless its worker renews it (``NOTIFICATION_LEASE_SECONDS``)."""
    return dt.timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)


def _now(now: dt.datetime | None) -> dt.datetime:
    return now or timezone.now()


def notify(user, kind: str, key: str, now: dt.datetime | None = None) -> Delivery | None:
    """Tell ``user`` that an item (``kind``, ``key``) waits for them, by their channel.

    Returns the queued delivery, or None: they chose no channel, or this item
    was told already (at most one notification per item). Call it inside the
    transaction that made the item; the task is enqueued on commit.
    """
    now = _now(now)
    choice = NotificationSettings.of(user)
    if not choice.wants(kind):
        return None
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                user=user,
                channel=choice.channel,
                kind=kind,
                key=key,
                send_after=choice.quiet_ends(now, user.zone),
            )
    except IntegrityError:  # told already
        return None
    _enqueue(delivery)
    return delivery


def _enqueue(delivery: Delivery) -> None:
    run_after = delivery.send_after

    def enqueue() -> None:
        send_delivery.using(run_after=run_after).enqueue(delivery.pk)

    transaction.on_commit(enqueue)


def _enqueue_check(delivery: Delivery, at: dt.datetime) -> None:
    """Enqueue a look at a claimed delivery, at once rather than on commit:
    with the claim, which the worker commits before it starts sending."""
    send_delivery.using(run_after=at).enqueue(delivery.pk, lease_check=True)


def claim(delivery_id: int, now: dt.datetime | None = None) -> bool:
    """Take the delivery for sending. True for exactly one caller."""
    now = _now(now)
    return bool(
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.QUEUED).update(
            state=Delivery.State.SENDING, sent_at=now, claimed_at=now, attempts=F("attempts") + 1
        )
    )


def release_stuck(now: dt.datetime | None = None, delivery_id: int | None = None) -> int:
    """Give claims whose lease ran out back to the queue: their worker died
    (a live one renews its claim while it sends, see ``core.leases.kept``).

    Conditional on the claim still being stale, so one taken or renewed
    meanwhile is left alone. A reminder's push is not the queue's: the
    reminder's own lease sends it again (``push_now``)."""
    stale = Delivery.objects.filter(state=Delivery.State.SENDING, claimed_at__lt=_now(now) - lease()).exclude(
        kind=Delivery.REMINDER
    )
    if delivery_id is not None:
        stale = stale.filter(pk=delivery_id)
    return stale.update(state=Delivery.State.QUEUED, sent_at=None)


def _local_day(moment: dt.datetime, zone) -> tuple[dt.datetime, dt.datetime]:
    day = moment.astimezone(zone).date()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0), tzinfo=zone)
    return start, end


def over_cap(user, choice: NotificationSettings, now: dt.datetime) -> bool:
    """Whether the person had their day's notifications already (claimed or sent, in their zone)."""
    start, end = _local_day(now, user.zone)
    told = Delivery.objects.filter(
        user=user, sent_at__gte=start, sent_at__lt=end, state__in=[Delivery.State.SENDING, Delivery.State.SENT]
    ).exclude(kind=Delivery.REMINDER)
    return told.count() >= choice.daily_cap


def _fold_into_digest(delivery: Delivery, choice: NotificationSettings, now: dt.datetime) -> str:
    """Past the cap: the delivery waits in the one digest of the next morning."""
    user = delivery.user
    zone = user.zone
    tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
    at = choice.quiet_until if choice.quiet_from != choice.quiet_until else DIGEST_AT
    send_after = dt.datetime.combine(tomorrow, at, tzinfo=zone).astimezone(dt.UTC)
    digest = Delivery.objects.filter(user=user, kind=Delivery.DIGEST, state=Delivery.State.QUEUED).first()
    if digest is None:
        try:
            with transaction.atomic():
                digest = Delivery.objects.create(
                    user=user, channel=delivery.channel, kind=Delivery.DIGEST, send_after=send_after
                )
        except IntegrityError:  # another worker made it a moment ago
            digest = Delivery.objects.get(user=user, kind=Delivery.DIGEST, state=Delivery.State.QUEUED)
        else:
            _enqueue(digest)
    if not Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.QUEUED).update(
        state=Delivery.State.DIGESTED, digest=digest, why=_("past the daily cap: told in the next digest")
    ):
        return "taken"
    return "digested"


def phrase(delivery: Delivery, choice: NotificationSettings | None = None) -> str:
    """What kind of thing waits, in its neutral phrase, for a person who opted in; else "".

    Read at send time: the person may have changed their mind since."""
    if delivery.kind in (Delivery.REMINDER, Delivery.DIGEST):
        return ""
    choice = choice or NotificationSettings.of(delivery.user)
    kind = types.get(delivery.kind)
    if not choice.detailed_wording or kind is None or not kind.phrase:
        return ""
    return str(kind.phrase)


def wording(delivery: Delivery) -> tuple[str, str]:
    """Subject and body: neutral words, in the person's language (the type's phrase if they opted in)."""
    user = delivery.user
    with translation.override(user.language or settings.LANGUAGE_CODE):
        if delivery.kind == Delivery.DIGEST:
            subject = _("Tandem: some things are waiting for you")
        elif what := phrase(delivery):
            subject = _("Tandem: %(what)s") % {"what": what}
        else:
            subject = _("Tandem: something is waiting for you")
        body = "\n".join(
            [
                _("Open Tandem to see it: %(url)s") % {"url": f"{settings.SITE_ROOT}/"},
                "",
                _("You asked Tandem for these notifications. You can change or stop them in your profile."),
            ]
        )
    return subject, body


def push_body(delivery: Delivery) -> str:
    """The few words of a push: never more than the type's neutral phrase (the push service relays it)."""
    with translation.override(delivery.user.language or settings.LANGUAGE_CODE):
        if delivery.kind == Delivery.DIGEST:
            return _("Some things are waiting for you.")
        if what := phrase(delivery):
            return f"{what[:1].upper()}{what[1:]}."
        return _("Something is waiting for you.")


def _send(delivery: Delivery) -> tuple[bool, str]:
    """Send by the delivery's channel: whether it went out, and why not."""
    if delivery.channel == Channel.PUSH:
        sent, reasons = push.send_to_person(delivery.user, push.payload(push_body(delivery)))
        return sent > 0, "; ".join(reasons)[:300]
    subject, body = wording(delivery)
    mail.send_now(subject, body, [delivery.user.email])
    return True, ""


def handle(delivery_id: int, now: dt.datetime | None = None, lease_check: bool = False) -> str:
    """Send one queued delivery if it is due and nobody else has. Returns what happened.

    A claim whose lease ran out (its worker died) is given back and sent.
    ``lease_check``: this run only looks at a claim (enqueued with it, for
    just after its lease): it takes it over if stale, else leaves it."""
    now = _now(now)
    delivery = Delivery.objects.select_related("user").filter(pk=delivery_id).first()
    if delivery is None:
        return "gone"
    if delivery.state == Delivery.State.SENDING and delivery.kind != Delivery.REMINDER:
        if not release_stuck(now, delivery.pk):
            if lease_check:
                # Its worker is alive and renewing: look again when the lease would run out.
                _enqueue_check(delivery, at=max(now, delivery.claimed_at or now) + lease() + LEASE_CHECK_GRACE)
            return "sending"
        leases.fail_lost_runs(
            send_delivery,
            [delivery.pk],
            now - lease(),
            f"The worker stopped while sending delivery {delivery.pk}; sent again.",
        )
        delivery.state = Delivery.State.QUEUED
    elif lease_check:
        return "gone"  # sent, failed or digested meanwhile
    if delivery.state != Delivery.State.QUEUED:
        return "gone"
    if delivery.send_after > now:
        return "early"  # its own task comes at its time
    user = delivery.user
    choice = NotificationSettings.of(user)
    if delivery.kind != Delivery.REMINDER and choice.quiet_at(now, user.zone):
        # Quiet hours began (or moved) since it was queued: wait for their end.
        later = choice.quiet_ends(now, user.zone)
        if Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.QUEUED).update(send_after=later):
            delivery.send_after = later
            _enqueue(delivery)
        return "quiet"
    if delivery.kind not in (Delivery.REMINDER, Delivery.DIGEST) and over_cap(user, choice, now):
        return _fold_into_digest(delivery, choice, now)
    if not claim(delivery.pk, now):
        return "taken"
    # Should this worker die mid-send, this look (run by any worker) sends
    # the delivery once the lease has run out.
    _enqueue_check(delivery, at=now + lease() + LEASE_CHECK_GRACE)
    try:
        with leases.kept(
            Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING, attempts=delivery.attempts + 1),
            lease(),
            f"delivery-{delivery.pk}",
        ):
            went, why = _send(delivery)
    except Exception as exc:
        log.exception("Delivery %s could not be sent", delivery.pk)
        went, why = False, f"{type(exc).__name__}: {exc}"[:300]
    state = Delivery.State.SENT if went else Delivery.State.FAILED
    Delivery.objects.filter(pk=delivery.pk).update(state=state, why=why)
    if delivery.kind == Delivery.DIGEST:
        delivery.folded.update(why=_("told in a digest") if went else why)
    return state


def push_now(user, kind: str, key: str, body: str, now: dt.datetime | None = None) -> Delivery | None:
    """Push at once, from inside a worker that already holds its own claim (a block reminder).

    Recorded as a delivery like any other; the unique (person, kind, item)
    keeps it to one push even should the caller run twice. None: told already.
    """
    now = _now(now)
    try:
        with transaction.atomic():
            delivery = Delivery.objects.create(
                user=user,
                channel=Channel.PUSH,
                kind=kind,
                key=key,
                state=Delivery.State.SENDING,
                sent_at=now,
                claimed_at=now,
                attempts=1,
            )
    except IntegrityError:
        # Told already, or claimed by a worker that died before it pushed (the
        # caller's own claim ran out and came back here): take a stale one over.
        stale = Delivery.objects.filter(
            user=user, kind=kind, key=key, state=Delivery.State.SENDING, claimed_at__lt=now - lease()
        )
        if not stale.update(claimed_at=now, sent_at=now, attempts=F("attempts") + 1):
            return None
        delivery = Delivery.objects.get(user=user, kind=kind, key=key)
    sent, reasons = push.send_to_person(user, push.payload(body))
    delivery.state = Delivery.State.SENT if sent else Delivery.State.FAILED
    delivery.why = "; ".join(reasons)[:300]
    Delivery.objects.filter(pk=delivery.pk).update(state=delivery.state, why=delivery.why)
    return delivery


def record(user, channel: str, kind: str, key: str, now: dt.datetime | None = None) -> None:
    """Record a notification sent by another sender (a reminder's e-mail), for the person's list."""
    Delivery.objects.get_or_create(
        user=user, kind=kind, key=key, defaults={"channel": channel, "state": Delivery.State.SENT, "sent_at": _now(now)}
    )


def send_due(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every delivery that is due and was not (its task lost, its worker dead): the catch-up sweep."""
    now = _now(now)
    release_stuck(now)
    counts: dict[str, int] = {}
    due = Delivery.objects.filter(state=Delivery.State.QUEUED, send_after__lte=now).values_list("pk", flat=True)
    for delivery_id in due:
        outcome = handle(delivery_id, now)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


# The worker's entry point (``manage.py db_worker``).
@task()
def send_delivery(delivery_id: int, lease_check: bool = False) -> str:
    """Send one queued notification, exactly once (see ``handle``)."""
    return handle(delivery_id, lease_check=lease_check)
