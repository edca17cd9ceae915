"""What a person does with their notification choices and devices."""

from __future__ import annotations

from django.db import transaction

from tandem.core.keyed_hash import keyed_hash
from tandem.notifications.models import NotificationSettings, PushSubscription

ENDPOINT_PURPOSE = "tandem.notifications.endpoint"


def endpoint_hash(endpoint: str) -> str:
    return keyed_hash(endpoint, purpose=ENDPOINT_PURPOSE)


@transaction.atomic
def subscribe(user, endpoint: str, p256dh: str, auth: str, device: str) -> PushSubscription:
    """Keep this browser's push subscription for ``user``.

    The same browser subscribing again (after a new key, or after another
    person used it) replaces its old row: one browser, one owner, so a
    shared phone never gets the previous person's notifications.
    """
    digest = endpoint_hash(endpoint)
    PushSubscription.objects.filter(endpoint_hash=digest).delete()
    return PushSubscription.objects.create(
        user=user, endpoint=endpoint, endpoint_hash=digest, p256dh=p256dh, auth=auth, device=device[:80]
    )


def remove(user, subscription_id: int) -> int:
    """Forget one of the person's devices (only their own). Returns how many rows went."""
    deleted, _ = PushSubscription.objects.filter(user=user, pk=subscription_id).delete()
    return deleted


def remove_endpoint(user, endpoint: str) -> int:
    """Forget this browser (it turned notifications off itself)."""
    deleted, _ = PushSubscription.objects.filter(user=user, endpoint_hash=endpoint_hash(endpoint)).delete()
    return deleted


def devices(user) -> list[PushSubscription]:
    return list(PushSubscription.objects.filter(user=user))


def settings_of(user) -> NotificationSettings:
    return NotificationSettings.of(user)
