"""Notifications that reach a person outside Tandem: preferences, devices, deliveries.

* ``NotificationSettings``: one person's channel (none, e-mail, push), quiet
  hours in their own zone and a daily cap.
* ``PushSubscription``: one browser on one device that agreed to web push.
  The endpoint and its keys are a capability (whoever has them can push to
  that phone), so they are encrypted at rest; ``endpoint_hash`` recognises
  the same browser subscribing again without keeping the URL in the clear.
* ``Delivery``: one notification to one person on one channel, with what
  became of it (queued, sent, failed and why, or folded into a digest). The
  in-app item stays where it is whatever happens here: a lost push loses
  nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.fields import EncryptedTextField


class Channel(models.TextChoices):
    NONE = "none", _("Nowhere: I look in Tandem myself")
    EMAIL = "email", _("By e-mail")
    PUSH = "push", _("As a notification on the devices where I turned it on")


class NotificationSettings(models.Model):
    """One person's notification choices.

    Nowhere by default: a notification is itself a trace that someone else
    holding the phone, or reading the inbox, could notice. A person turns it
    on when they want it, knowing where it will show.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    channel = models.CharField(_("tell me when something waits for me"), max_length=10, choices=Channel.choices,
                               default=Channel.NONE)  # fmt: skip
    # Quiet hours in the person's own zone; start == end means none. Crossing
    # midnight (22:00 to 07:00) is the usual case.
    quiet_from = models.TimeField(_("quiet from"), default=dt.time(22, 0))
    quiet_until = models.TimeField(_("quiet until"), default=dt.time(7, 0))
    daily_cap = models.PositiveSmallIntegerField(
        _("at most this many a day"), default=3, help_text=_("Past it, one digest the next morning instead.")
    )
    # Types of waiting item the person switched off (their codes, ``types.py``).
    kinds_off = models.JSONField(default=list, blank=True)
    # Off by default: the words say only that something waits. On, they say
    # what kind of thing in neutral words ("a time together is proposed to
    # you"), never a title or anything intimate.
    detailed_wording = models.BooleanField(_("Say what kind of thing is waiting"), default=False, help_text=_(
        "For example “Tandem: a time together is proposed to you”. Never the name of an exercise or anything "
        "you wrote."))  # fmt: skip
    # When the person last turned notifications on (from nowhere to a
    # channel): what already waited then is not told, so turning them on
    # does not bring a flood of old items.
    told_from = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"

    def save(self, *args, **kwargs) -> None:
        # Turned on (from nowhere, or never chosen): items from now on are told.
        if self.channel != Channel.NONE and getattr(self, "_stored_channel", Channel.NONE) == Channel.NONE:
            self.told_from = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "told_from"}
        super().save(*args, **kwargs)
        self._stored_channel = self.channel

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        # Remember the channel as stored, to see it turned on in ``save``.
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        instance._stored_channel = instance.__dict__.get("channel", Channel.NONE)
        return instance

    @classmethod
    def of(cls, user) -> NotificationSettings:
        """The person's settings, or the defaults (unsaved) if they never chose."""
        return cls.objects.filter(user=user).first() or cls(user=user)

    def wants(self, kind: str, since: dt.datetime | None = None) -> bool:
        """Whether to tell this person about an item of ``kind`` (waiting ``since``, if given):
        they chose a channel, did not switch the type off, and it began waiting after they turned on."""
        if self.channel == Channel.NONE or kind in (self.kinds_off or []):
            return False
        return since is None or (self.told_from is not None and since >= self.told_from)

    def quiet_at(self, moment: dt.datetime, zone) -> bool:
        """Whether ``moment`` falls in the quiet hours, read in the person's zone."""
        if self.quiet_from == self.quiet_until:
            return False
        local = moment.astimezone(zone).time()
        if self.quiet_from < self.quiet_until:
            return self.quiet_from <= local < self.quiet_until
        return local >= self.quiet_from or local < self.quiet_until

    def quiet_ends(self, moment: dt.datetime, zone) -> dt.datetime:
        """The first moment at or after ``moment`` outside the quiet hours."""
        if not self.quiet_at(moment, zone):
            return moment
        local = moment.astimezone(zone)
        end = dt.datetime.combine(local.date(), self.quiet_until, tzinfo=zone)
        if end <= local:
            end = dt.datetime.combine(local.date() + dt.timedelta(days=1), self.quiet_until, tzinfo=zone)
        return end.astimezone(dt.UTC)


class PushSubscription(models.Model):
    """One browser on one device that a person allowed to show Tandem's notifications."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions")
    endpoint = EncryptedTextField(max_length=2000)
    # Keyed hash of the endpoint: the same browser subscribing again replaces its row.
    endpoint_hash = models.CharField(max_length=64, unique=True)
    p256dh = EncryptedTextField(max_length=200)
    auth = EncryptedTextField(max_length=100)
    device = models.CharField(max_length=80, blank=True)  # "Firefox on Android", as the session list
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user_id}"

    def info(self) -> dict:
        """The subscription as the browser gave it, for ``pywebpush``."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class Delivery(models.Model):
    """One notification to one person on one channel, and what became of it."""

    REMINDER = "reminder"  # a block reminder (sent inside the reminder's own claim)
    DIGEST = "digest"  # several waiting items past the daily cap, in one notification

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")  # claimed by one worker
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        DIGESTED = "digested", _("In a digest")  # past the daily cap: told in the next digest

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=10, choices=[c for c in Channel.choices if c[0] != Channel.NONE])
    # What it is about: a waiting item's type ("block", "homework_turn", ...), "reminder" or "digest".
    kind = models.CharField(max_length=40)
    # Which item ("block:<id>@<since when>", see turns/tell.py): at most one notification per item and person.
    key = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    why = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    # A claim is a lease (``NOTIFICATION_LEASE_SECONDS``), renewed while its
    # worker sends; ``attempts`` fences a worker whose claim was taken over.
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    digest = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="folded")

    class Meta:
        indexes = [models.Index(fields=["user", "state", "sent_at"], name="delivery_user_state")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "key"], condition=~Q(key=""), name="delivery_once_per_item"
            ),
            # One digest waiting per person at a time; later overflow joins it.
            models.UniqueConstraint(
                fields=["user"], condition=Q(kind="digest", state="queued"), name="delivery_one_waiting_digest"
            ),
        ]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.kind}, {self.state})"
