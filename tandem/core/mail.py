"""Every e-mail Tandem sends leaves from the task worker, never from a request.

Why: a request that talks to an SMTP server takes longer when there is
someone to write to, and that difference tells an attacker whether an address
has an account (password reset, e-mail change). It also turns a mail server
that is down into an error page. So a request only *prepares* a message and
queues it (``queue``, on commit); the worker's ``send_email`` task sends it.

Requests that must not reveal whether an address is known prepare a message
either way and queue it with no recipient when there is nobody to write to
(``queue(..., to=[])``): the same rendering, the same encryption, the same
row inserted, so the request does the same work. The worker then has
nothing to send and says so.

The prepared message (it can hold a reset link) waits in the task table
sealed with the encryption-at-rest keys (``tandem.core.crypto``), so a copy
of the database does not hand out working links. Rotating those keys while
messages wait in the queue: keep the old key in the ring until the queue is
empty (``rotate_encryption_key`` re-seals columns, not queued tasks).

The reminders of blocks are sent by the worker too, inside their own
exactly-once claim (``tandem.blocks.reminders``), through ``send_now``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from functools import partial

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.tasks import task
from django.utils import timezone

from tandem.core import crypto

log = logging.getLogger(__name__)

# The authenticated-data label of a queued message (see crypto._aad): a
# sealed message is only ever opened as a queued message.
LABEL = "core.mail.queued"
# After a failed send (the mail server down or refusing), try again after
# these many seconds; then give up. Reset links last three days, e-mail
# change links one day, so the last try is still useful.
RETRY_AFTER = (60, 5 * 60, 30 * 60, 2 * 3600)


class NotSent(Exception):
    """A send failed. Says which kind of failure only: never an address or a word of the message."""


def seal(subject: str, body: str, to: list[str]) -> str:
    """The message as one encrypted string, ready to be a task argument."""
    return crypto.encrypt(json.dumps({"subject": subject, "body": body, "to": list(to)}), LABEL)


def queue(subject: str, body: str, to: list[str]) -> None:
    """Send this message from the worker once the current transaction commits.

    ``to`` may be empty: the message is then prepared and queued like any
    other and the worker sends nothing (see the module's docstring).
    """
    transaction.on_commit(partial(send_email.enqueue, seal(subject, body, to)))


def send_now(subject: str, body: str, to: list[str]) -> int:
    """Send at once, in this process. Only the worker calls this."""
    if not to:
        return 0
    return EmailMultiAlternatives(subject, body, None, to).send()


@task()
def send_email(sealed: str, attempt: int = 1) -> int:
    """The worker's side: open a queued message and send it (0 when it has no recipient)."""
    message = json.loads(crypto.decrypt(sealed, LABEL))
    try:
        return send_now(message["subject"], message["body"], message["to"])
    except Exception as exc:
        retrying = attempt <= len(RETRY_AFTER)
        if retrying:
            at = timezone.now() + dt.timedelta(seconds=RETRY_AFTER[attempt - 1])
            send_email.using(run_after=at).enqueue(sealed, attempt + 1)
        outcome = "trying again later" if retrying else "giving up"
        log.warning("An e-mail could not be sent (%s, attempt %s): %s", type(exc).__name__, attempt, outcome)
        # Fail the task (the operator sees it in the task table) without the
        # exception's text: SMTP errors quote recipients.
        raise NotSent(f"{type(exc).__name__} on attempt {attempt}; {outcome}") from None
