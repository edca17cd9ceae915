"""Block reminders by push: the person's chosen channel, neutral even with detail on, recorded, once."""

from __future__ import annotations

import json

from django.core import mail
from django.test import override_settings

from tandem.blocks import reminders
from tandem.blocks.models import CalendarSettings
from tandem.notifications import services
from tandem.notifications.models import Delivery
from tandem.notifications.tests.helpers import Browser, PushService, vapid_keys
from tandem.testkit.base import TandemTestCase, make_block


@override_settings(**vapid_keys())
class ReminderByPushTests(TandemTestCase):
    def remind(self, channel: str, detailed: bool = True):
        CalendarSettings.objects.update_or_create(
            user=self.alice,
            defaults={"remind": True, "minutes_before": 60, "channel": channel, "detailed_wording": detailed},
        )
        block = make_block(self.couple, self.alice, kind="conversation")
        (reminder,) = reminders.plan(block)
        return reminder

    def test_a_push_reminder_is_encrypted_neutral_and_recorded(self):
        browser = Browser()
        services.subscribe(self.alice, browser.endpoint, browser.p256dh, browser.auth, "Chrome on Android")
        reminder = self.remind("push", detailed=True)
        service = PushService()
        with service.patch():
            self.assertEqual(reminders.handle(reminder.pk, now=reminder.send_at), "sent")
            self.assertEqual(reminders.handle(reminder.pk, now=reminder.send_at), "gone")
        (sent,) = service.requests
        message = json.loads(browser.decrypt(sent["data"]))
        self.assertEqual(message["title"], "Tandem")
        self.assertEqual(message["body"], "Time together at 19:30")  # not "conversation", detail or not
        self.assertEqual(mail.outbox, [])
        record = Delivery.objects.get()
        self.assertEqual((record.kind, record.channel, record.state), ("reminder", "push", Delivery.State.SENT))

    def test_a_push_reminder_with_no_device_is_recorded_as_failed_and_not_retried(self):
        reminder = self.remind("push")
        self.assertEqual(reminders.handle(reminder.pk, now=reminder.send_at), "sent")
        record = Delivery.objects.get()
        self.assertEqual((record.state, record.why), (Delivery.State.FAILED, "no device has notifications turned on"))

    def test_an_email_reminder_is_recorded_too(self):
        reminder = self.remind("email", detailed=False)
        reminders.handle(reminder.pk, now=reminder.send_at)
        self.assertEqual(len(mail.outbox), 1)
        record = Delivery.objects.get()
        self.assertEqual((record.kind, record.channel, record.state), ("reminder", "email", Delivery.State.SENT))
