"""Telling: a notification for each waiting item, once, from the state.

What waits on a person is decided in one place (``items.py``); telling
asks it and never decides again. ``tell(user)`` takes all of the person's
current items and queues a notification (``notifications.delivery.notify``,
which keeps the person's channel, quiet hours, daily cap and digest) for
each one not told yet, except:

* types the person switched off (``kinds_off``, chosen per type on their
  notifications page, where turns registers ``items.LABELS``);
* items that began waiting before the person turned notifications on
  (``told_from``): turning them on is not a flood of old items.

An item is told once: its delivery key is the item's key and the moment it
began waiting ("homework_turn:42@20261201T183734.717000"), unique per person. The same
waiting item is never told twice however often ``tell`` runs; a listening
turn that comes back later, or a questionnaire due again, began waiting at
another moment and is a new notification.

When: after anything that can make an item is saved, the couple is told on
commit (``receivers.py``: one ``tell_couple`` task per couple and
transaction, run by the worker, so a request only enqueues); what comes
with time (a questionnaire falling due, a hold lifting in a worker) is
caught by ``manage.py tell_waiting`` from cron.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_lazy as _lazy

from tandem.clinic.models import CareLink
from tandem.couples.models import Membership
from tandem.notifications import delivery
from tandem.notifications.models import Channel, Delivery, NotificationSettings
from tandem.turns import items

# What kind of thing waits, for a person who asked to be told (``detailed_wording``):
# neutral words, never an exercise's title, a boundary or who said what. A type
# without a phrase here is told in the neutral words only.
PHRASES = {
    items.HOMEWORK_YES: _lazy("a suggestion waits for your yes"),
    items.HOMEWORK_TURN: _lazy("it is your turn in something you do together"),
    items.BLOCK: _lazy("a time together is proposed to you"),
    items.BLOCK_CHANGE: _lazy("a change to a time together is proposed to you"),
    items.AGREEMENT: _lazy("an agreement waits for your confirmation"),
    items.MEASURE: _lazy("a questionnaire is due"),
    items.CARE_LINK: _lazy("a care link waits for your yes"),
    items.SAFETY: _lazy("a couple wrote to you"),
    items.FLAG: _lazy("a questionnaire answer needs a look"),
    items.STAGE: _lazy("a stage waits for your approval"),
    items.REVISIT: _lazy("an agreement is ready to look at again"),
    items.THANKS: _lazy("a note waits for you"),
    items.QUIET: _lazy("a couple may like to hear from you"),
}


# The types that wait on a therapist only: offered to therapists alone.
FOR_THERAPISTS = {items.SAFETY, items.FLAG, items.STAGE, items.QUIET}


def key_of(item: items.WaitingItem) -> str:
    """The item as told once: its key, since when it waits, and its due day if it has one."""
    key = f"{item.key}@{item.at.astimezone(dt.UTC):%Y%m%dT%H%M%S.%f}"
    if item.due is not None:
        key += f"/{item.due.isoformat()}"
    return key


def tell(user, now: dt.datetime | None = None) -> list[Delivery]:
    """Queue a notification for each of ``user``'s waiting items not told yet. Returns the new deliveries."""
    choice = NotificationSettings.of(user)
    if choice.channel == Channel.NONE or choice.told_from is None:
        return []  # no item query for the many who are told nothing
    now = now or timezone.now()
    waiting = {
        key_of(item): item
        for item in items.for_person(user, limit=None, now=now)
        if choice.wants(item.code, since=item.at)
    }
    told = set(Delivery.objects.filter(user=user, key__in=list(waiting)).values_list("kind", "key"))
    made = []
    for key, item in waiting.items():
        if (item.code, key) not in told and (queued := delivery.notify(user, item.code, key, now)):
            made.append(queued)
    return made


def people_of(couple_id) -> list:
    """Whom a couple's change can make an item for: its active partners and its linked therapists."""
    from tandem.accounts.models import User

    partners = Membership.objects.filter(couple_id=couple_id, active=True).values("user")
    therapists = CareLink.objects.active().filter(couple_id=couple_id).values("therapist__user")
    return list(User.objects.filter(Q(pk__in=partners) | Q(pk__in=therapists)).order_by("pk"))


def tell_everyone(now: dt.datetime | None = None) -> int:
    """Tell every person who chose a channel (the sweep). Returns how many deliveries were queued."""
    from tandem.accounts.models import User

    chosen = NotificationSettings.objects.exclude(channel=Channel.NONE).values("user")
    return sum(len(tell(user, now)) for user in User.objects.filter(pk__in=chosen).order_by("pk"))


# The worker's entry point (enqueued by ``receivers.py``).
@task()
def tell_couple(couple_id: str) -> int:
    """Tell the couple's partners and therapists what newly waits for them."""
    return sum(len(tell(person)) for person in people_of(couple_id))
