"""Web push: encrypted for the browser's key, neutral, once, and a gone device forgotten."""

from __future__ import annotations

import datetime as dt
import json
import threading
import zoneinfo

import http_ece
import pytest
from django.core import mail
from django.db import connection, connections
from django.test import TransactionTestCase, override_settings

from tandem.notifications import delivery, push, services
from tandem.notifications.models import Channel, Delivery, NotificationSettings, PushSubscription
from tandem.notifications.tests.helpers import Browser, PushService, vapid_keys
from tandem.testkit.base import TandemTestCase, at_once, make_person

KEYS = vapid_keys()
NOON = dt.datetime(2026, 3, 4, 12, 0, tzinfo=dt.UTC)


def choose(user, channel=Channel.PUSH, **fields) -> NotificationSettings:
    fields = {"quiet_from": dt.time(22), "quiet_until": dt.time(7), **fields}
    choice, _ = NotificationSettings.objects.update_or_create(user=user, defaults={"channel": channel, **fields})
    return choice


def device(user, browser: Browser | None = None, name: str = "Firefox on Android") -> tuple[PushSubscription, Browser]:
    browser = browser or Browser()
    return services.subscribe(user, browser.endpoint, browser.p256dh, browser.auth, name), browser


@override_settings(**KEYS)
class PayloadTests(TandemTestCase):
    def setUp(self):
        choose(self.alice)
        self.subscription, self.browser = device(self.alice)

    def test_the_payload_is_encrypted_for_the_device_and_says_only_something_is_waiting(self):
        queued = delivery.notify(self.alice, "turn", "assignment:1:turn", now=NOON)
        service = PushService()
        with service.patch():
            self.assertEqual(delivery.handle(queued.pk, now=NOON), "sent")
        (sent,) = service.requests
        self.assertEqual(sent["url"], self.browser.endpoint)
        self.assertEqual(sent["headers"]["content-encoding"], "aes128gcm")
        self.assertTrue(sent["headers"]["Authorization"].startswith("vapid t="))
        body = sent["data"]
        self.assertNotIn(b"waiting", body)  # what the push service sees is ciphertext
        message = json.loads(self.browser.decrypt(body))
        self.assertEqual(message, {"title": "Tandem", "body": "Something is waiting for you.", "url": "/"})

    def test_another_key_cannot_read_it(self):
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        service = PushService()
        with service.patch():
            delivery.handle(queued.pk, now=NOON)
        stranger = Browser(auth_secret=self.browser.auth_secret)
        with pytest.raises(http_ece.ECEException, match="InvalidTag"):
            stranger.decrypt(service.requests[0]["data"])

    def test_the_delivery_is_recorded_and_the_device_marked_reached(self):
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        with PushService().patch():
            delivery.handle(queued.pk, now=NOON)
        queued.refresh_from_db()
        self.assertEqual((queued.state, queued.channel, queued.why), (Delivery.State.SENT, "push", ""))
        self.assertEqual(queued.sent_at, NOON)
        self.subscription.refresh_from_db()
        self.assertIsNotNone(self.subscription.last_success_at)

    def test_each_device_of_the_person_gets_it(self):
        _, phone = device(self.alice, name="Chrome on Android")
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        service = PushService()
        with service.patch():
            delivery.handle(queued.pk, now=NOON)
        self.assertEqual({r["url"] for r in service.requests}, {self.browser.endpoint, phone.endpoint})

    def test_a_gone_subscription_is_deleted(self):
        for status in (410, 404):
            with self.subTest(status=status):
                subscription, _ = device(self.alice)
                service = PushService(status=status)
                with service.patch():
                    why = push.send(subscription, push.payload("Something is waiting for you."))
                self.assertIn(f"gone ({status})", why)
                self.assertFalse(PushSubscription.objects.filter(pk=subscription.pk).exists())

    def test_410_on_the_only_device_fails_the_delivery_saying_why(self):
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        with PushService(status=410).patch():
            self.assertEqual(delivery.handle(queued.pk, now=NOON), "failed")
        queued.refresh_from_db()
        self.assertEqual(queued.state, Delivery.State.FAILED)
        self.assertIn("gone (410)", queued.why)
        self.assertFalse(PushSubscription.objects.filter(user=self.alice).exists())

    def test_another_failure_keeps_the_device_and_records_the_reason(self):
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        with PushService(status=500).patch():
            self.assertEqual(delivery.handle(queued.pk, now=NOON), "failed")
        queued.refresh_from_db()
        self.assertIn("refused it (500", queued.why)
        self.assertTrue(PushSubscription.objects.filter(pk=self.subscription.pk).exists())

    def test_an_unreachable_push_service_is_a_recorded_failure(self):
        import requests

        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        with PushService().patch() as post:
            post.side_effect = requests.ConnectionError("no route")
            delivery.handle(queued.pk, now=NOON)
        queued.refresh_from_db()
        self.assertEqual(queued.state, Delivery.State.FAILED)
        self.assertIn("could not be reached (ConnectionError)", queued.why)

    def test_no_device_is_a_recorded_failure(self):
        PushSubscription.objects.all().delete()
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        with PushService().patch() as post:
            delivery.handle(queued.pk, now=NOON)
        self.assertFalse(post.called)
        queued.refresh_from_db()
        self.assertEqual((queued.state, queued.why), (Delivery.State.FAILED, "no device has notifications turned on"))

    def test_sending_twice_pushes_once(self):
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        service = PushService()
        with service.patch():
            outcomes = [delivery.handle(queued.pk, now=NOON), delivery.handle(queued.pk, now=NOON)]
        self.assertEqual(outcomes, ["sent", "gone"])
        self.assertEqual(len(service.requests), 1)

    def test_a_delivery_another_worker_claimed_is_not_sent_again(self):
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        self.assertTrue(delivery.claim(queued.pk, NOON))  # the other worker, mid-send
        service = PushService()
        with service.patch():
            self.assertEqual(delivery.handle(queued.pk, now=NOON), "sending")
        self.assertEqual(service.requests, [])

    def test_the_same_item_is_told_once(self):
        self.assertIsNotNone(delivery.notify(self.alice, "turn", "assignment:1", now=NOON))
        self.assertIsNone(delivery.notify(self.alice, "turn", "assignment:1", now=NOON))
        self.assertEqual(Delivery.objects.count(), 1)

    def test_the_same_browser_subscribing_again_replaces_its_row(self):
        device(self.bo, self.browser)  # the phone is now Bo's: Alice's notifications must stop there
        self.assertEqual(list(PushSubscription.objects.values_list("user", flat=True)), [self.bo.pk])

    def test_the_endpoint_and_keys_are_encrypted_at_rest(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT endpoint, p256dh, auth FROM notifications_pushsubscription")
            row = cursor.fetchone()
        self.assertTrue(all(value.startswith("enc1:") for value in row), row)
        self.assertNotIn(self.browser.endpoint, " ".join(row))


@override_settings(VAPID_PUBLIC_KEY="", VAPID_PRIVATE_KEY="")
class NotConfiguredTests(TandemTestCase):
    def test_without_vapid_keys_a_push_fails_saying_so(self):
        choose(self.alice)
        device(self.alice)
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        with PushService().patch() as post:
            delivery.handle(queued.pk, now=NOON)
        self.assertFalse(post.called)
        queued.refresh_from_db()
        self.assertIn("no VAPID keys", queued.why)


@override_settings(**KEYS)
class ChannelTests(TandemTestCase):
    def test_nobody_is_told_by_default(self):
        self.assertEqual(NotificationSettings.of(self.alice).channel, Channel.NONE)
        self.assertIsNone(delivery.notify(self.alice, "turn", "k", now=NOON))
        self.assertFalse(Delivery.objects.exists())

    def test_email_says_only_something_is_waiting(self):
        choose(self.alice, Channel.EMAIL)
        queued = delivery.notify(self.alice, "turn", "k", now=NOON)
        self.assertEqual(delivery.handle(queued.pk, now=NOON), "sent")
        (message,) = mail.outbox
        self.assertEqual(message.subject, "Tandem: something is waiting for you")
        self.assertEqual(message.to, [self.alice.email])
        self.assertIn("http://", message.body)

    def test_a_type_switched_off_is_not_told(self):
        choose(self.alice, Channel.EMAIL, kinds_off=["turn"])
        self.assertIsNone(delivery.notify(self.alice, "turn", "k", now=NOON))
        self.assertIsNotNone(delivery.notify(self.alice, "suggestion", "k", now=NOON))


@override_settings(**KEYS)
class QuietHoursAndCapTests(TandemTestCase):
    def setUp(self):
        self.alice.time_zone = "Europe/Berlin"
        self.alice.save(update_fields=["time_zone"])
        self.berlin = zoneinfo.ZoneInfo("Europe/Berlin")
        device(self.alice)

    def at(self, hour: int, minute: int = 0, day: int = 4) -> dt.datetime:
        return dt.datetime(2026, 3, day, hour, minute, tzinfo=self.berlin)

    def test_inside_quiet_hours_in_their_own_zone_it_waits_until_they_end(self):
        choose(self.alice)  # quiet 22:00 to 07:00, Berlin time
        late = self.at(23, 30)  # 22:30 UTC
        queued = delivery.notify(self.alice, "turn", "k", now=late)
        self.assertEqual(queued.send_after, self.at(7, 0, day=5))
        service = PushService()
        with service.patch():
            self.assertEqual(delivery.handle(queued.pk, now=late), "early")
            self.assertEqual(delivery.handle(queued.pk, now=self.at(7, 0, day=5)), "sent")
        self.assertEqual(len(service.requests), 1)

    def test_quiet_hours_are_read_in_the_persons_zone_not_utc(self):
        choose(self.alice)
        # 21:30 UTC is 22:30 in Berlin: quiet there, though not in UTC.
        queued = delivery.notify(self.alice, "turn", "k", now=dt.datetime(2026, 3, 4, 21, 30, tzinfo=dt.UTC))
        self.assertEqual(queued.send_after, self.at(7, 0, day=5))

    def test_quiet_hours_that_began_after_queueing_hold_it_too(self):
        choose(self.alice)
        queued = delivery.notify(self.alice, "turn", "k", now=self.at(12))
        choose(self.alice, quiet_from=dt.time(12), quiet_until=dt.time(14))
        with PushService().patch() as post:
            self.assertEqual(delivery.handle(queued.pk, now=self.at(12, 5)), "quiet")
        self.assertFalse(post.called)
        queued.refresh_from_db()
        self.assertEqual((queued.state, queued.send_after), (Delivery.State.QUEUED, self.at(14)))

    def test_same_start_and_end_means_no_quiet_hours(self):
        choice = choose(self.alice, quiet_from=dt.time(0), quiet_until=dt.time(0))
        self.assertFalse(choice.quiet_at(self.at(3), self.berlin))

    def test_past_the_daily_cap_one_digest_the_next_morning_instead_of_a_burst(self):
        choose(self.alice, daily_cap=2)
        service = PushService()
        outcomes = []
        with service.patch():
            for n in range(5):
                queued = delivery.notify(self.alice, "turn", f"item:{n}", now=self.at(10 + n))
                outcomes.append(delivery.handle(queued.pk, now=self.at(10 + n)))
        self.assertEqual(outcomes, ["sent", "sent", "digested", "digested", "digested"])
        self.assertEqual(len(service.requests), 2)
        digest = Delivery.objects.get(kind=Delivery.DIGEST)
        self.assertEqual(digest.send_after, self.at(7, 0, day=5))  # when the quiet hours end
        self.assertEqual(digest.folded.count(), 3)
        with service.patch():
            self.assertEqual(delivery.handle(digest.pk, now=self.at(7, 0, day=5)), "sent")
        self.assertEqual(len(service.requests), 3)
        # The digest says as little as the rest.
        self.assertEqual(Delivery.objects.filter(state=Delivery.State.DIGESTED).count(), 3)

    def test_the_cap_counts_the_persons_own_day(self):
        choose(self.alice, daily_cap=1, quiet_from=dt.time(0), quiet_until=dt.time(0))
        with PushService().patch():
            first = delivery.notify(self.alice, "turn", "a", now=self.at(23, 30))
            self.assertEqual(delivery.handle(first.pk, now=self.at(23, 30)), "sent")
            # 00:10 in Berlin is a new day there (still the 4th in UTC).
            second = delivery.notify(self.alice, "turn", "b", now=self.at(0, 10, day=5))
            self.assertEqual(delivery.handle(second.pk, now=self.at(0, 10, day=5)), "sent")

    def test_reminders_do_not_count_towards_the_cap(self):
        choose(self.alice, daily_cap=1)
        with PushService().patch():
            delivery.push_now(self.alice, Delivery.REMINDER, "reminder:1", "Time together at 19:00.", now=self.at(9))
            queued = delivery.notify(self.alice, "turn", "a", now=self.at(10))
            self.assertEqual(delivery.handle(queued.pk, now=self.at(10)), "sent")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing workers are tested on PostgreSQL (CI runs it)")
@override_settings(**KEYS)
class RacingWorkersTests(TransactionTestCase):
    def test_two_workers_push_a_delivery_exactly_once(self):
        for round_ in range(5):  # a race that shows rarely still shows
            person = make_person(f"race{round_}@example.org", "Ash")
            choose(person)
            device(person)
            queued = delivery.notify(person, "turn", "k", now=NOON)
            barrier = threading.Barrier(2)
            outcomes: list[str] = []
            service = PushService()

            def work(pk=queued.pk, barrier=barrier, outcomes=outcomes):
                try:
                    barrier.wait(timeout=10)
                    outcomes.append(delivery.handle(pk, now=NOON))
                finally:
                    connections.close_all()

            with service.patch():
                at_once(work)
            self.assertEqual(len(service.requests), 1, outcomes)
            self.assertEqual(outcomes.count("sent"), 1, outcomes)
