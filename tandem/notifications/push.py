"""Web push to one device: VAPID and RFC 8291 (aes128gcm) through ``pywebpush``.

The payload is encrypted for the browser's own key, so the push service
(the browser vendor's server that relays it) can't read it; it still sees
the payload's size, when it was sent, and which device it goes to. That is
why what Tandem puts in a payload is a few neutral words: "Something is
waiting for you", or, for a person who opted in, the kind of thing in the
type's fixed neutral phrase; never a title or anything anyone wrote (see
SECURITY.md).
"""

from __future__ import annotations

import json

import requests
from django.conf import settings
from django.utils import timezone
from pywebpush import WebPushException, webpush

from tandem.notifications.models import PushSubscription

# How long the push service may hold a notification for a phone that is
# off: a day, after which "something is waiting" is better read in Tandem.
TTL_SECONDS = 24 * 60 * 60
TIMEOUT_SECONDS = 10
# The push service says the subscription is gone for good (unsubscribed, expired).
GONE = {404, 410}


class NotConfigured(Exception):
    """The server has no VAPID keys (``manage.py generate_vapid_keys``)."""


def configured() -> bool:
    return bool(settings.VAPID_PUBLIC_KEY and settings.VAPID_PRIVATE_KEY)


def payload(body: str, url: str = "/") -> str:
    """The JSON the service worker shows: a title, neutral words and where a tap leads."""
    return json.dumps({"title": "Tandem", "body": body, "url": url}, ensure_ascii=False)


def send(subscription: PushSubscription, data: str) -> str:
    """Push ``data`` to one device. Returns "" when the push service took it, else why not.

    A subscription the push service reports gone (404, 410) is deleted: that
    browser will never receive anything on it again.
    """
    if not configured():
        raise NotConfigured("VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY are not set")
    try:
        webpush(
            subscription.info(),
            data=data,
            vapid_private_key=settings.VAPID_PRIVATE_KEY,
            # A new dict each time: pywebpush writes "aud" and "exp" into it.
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
        )
    except WebPushException as exc:
        status = getattr(exc.response, "status_code", None)
        if status in GONE:
            subscription.delete()
            return f"{subscription.device or 'a device'}: the push service says this subscription is gone ({status})"
        reason = getattr(exc.response, "reason", "") or str(exc).splitlines()[0]
        return f"{subscription.device or 'a device'}: the push service refused it ({status} {reason})"[:200]
    except requests.RequestException as exc:
        return f"{subscription.device or 'a device'}: the push service could not be reached ({type(exc).__name__})"
    PushSubscription.objects.filter(pk=subscription.pk).update(last_success_at=timezone.now())
    return ""


def send_to_person(user, data: str) -> tuple[int, list[str]]:
    """Push to each of the person's devices: how many took it, and why the others did not."""
    if not configured():
        return 0, ["web push is not set up on this server (no VAPID keys)"]
    subscriptions = list(PushSubscription.objects.filter(user=user))
    if not subscriptions:
        return 0, ["no device has notifications turned on"]
    reasons = [why for subscription in subscriptions if (why := send(subscription, data))]
    return len(subscriptions) - len(reasons), reasons
