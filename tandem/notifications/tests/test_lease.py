"""A claimed delivery is a lease: a dead worker's claim is sent once after it, a live one's never taken."""

from __future__ import annotations

import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.notifications import delivery
from tandem.notifications.models import Delivery
from tandem.notifications.tests.helpers import PushService
from tandem.notifications.tests.test_push import KEYS, NOON, choose, device
from tandem.testkit.base import TandemTestCase, at_once, make_person

LEASE = dt.timedelta(seconds=30)


def looks(pk: int) -> list[DBTaskResult]:
    """The looks after a lease enqueued for this delivery."""
    return [
        run
        for run in DBTaskResult.objects.filter(task_path=delivery.send_delivery.module_path).order_by("run_after")
        if run.args_kwargs == {"args": [pk], "kwargs": {"lease_check": True}}
    ]


@override_settings(**KEYS, NOTIFICATION_LEASE_SECONDS=30)
class LeaseTests(TandemTestCase):
    def setUp(self):
        choose(self.alice, quiet_from=dt.time(0), quiet_until=dt.time(0))
        device(self.alice)
        self.queued = delivery.notify(self.alice, "block", "block:1", now=NOON)

    def test_a_claim_whose_worker_died_is_sent_once_after_the_lease(self):
        self.assertTrue(delivery.claim(self.queued.pk, NOON))  # a worker claimed it, then died
        service = PushService()
        with service.patch():
            self.assertEqual(delivery.handle(self.queued.pk, now=NOON + LEASE - dt.timedelta(seconds=1)), "sending")
            self.assertEqual(service.requests, [])  # within the lease: never taken
            self.assertEqual(delivery.handle(self.queued.pk, now=NOON + LEASE + dt.timedelta(seconds=1)), "sent")
            self.assertEqual(delivery.handle(self.queued.pk, now=NOON + 2 * LEASE), "gone")
        self.assertEqual(len(service.requests), 1)
        self.queued.refresh_from_db()
        self.assertEqual((self.queued.state, self.queued.attempts), (Delivery.State.SENT, 2))

    def test_a_live_workers_renewed_claim_is_never_taken(self):
        delivery.claim(self.queued.pk, NOON)
        Delivery.objects.filter(pk=self.queued.pk).update(claimed_at=NOON + dt.timedelta(seconds=20))  # renewed
        later = NOON + LEASE + dt.timedelta(seconds=1)
        with PushService().patch() as post:
            self.assertEqual(delivery.handle(self.queued.pk, now=later, lease_check=True), "sending")
            self.assertEqual(delivery.release_stuck(later), 0)
        self.assertFalse(post.called)
        # It looks again when the renewed lease would run out.
        (look,) = looks(self.queued.pk)
        self.assertEqual(look.run_after, later + LEASE + delivery.LEASE_CHECK_GRACE)

    def test_sending_enqueues_a_look_for_just_after_the_lease_which_then_finds_it_sent(self):
        with PushService().patch():
            self.assertEqual(delivery.handle(self.queued.pk, now=NOON), "sent")
        (look,) = looks(self.queued.pk)
        self.assertEqual(look.run_after, NOON + LEASE + delivery.LEASE_CHECK_GRACE)
        with PushService().patch() as post:
            self.assertEqual(delivery.handle(self.queued.pk, now=look.run_after, lease_check=True), "gone")
        self.assertFalse(post.called)

    def test_the_dead_workers_task_run_is_marked_failed_saying_why(self):
        with self.captureOnCommitCallbacks(execute=True):
            queued = delivery.notify(self.alice, "block", "block:2")
        (run,) = DBTaskResult.objects.filter(
            task_path=delivery.send_delivery.module_path, args_kwargs__args=[queued.pk]
        )
        run.claim("dead-worker")
        long_ago = timezone.now() - 2 * LEASE
        DBTaskResult.objects.filter(pk=run.pk).update(started_at=long_ago)
        delivery.claim(queued.pk, long_ago)
        with PushService().patch():
            self.assertEqual(delivery.handle(queued.pk, lease_check=True), "sent")
        run.refresh_from_db()
        self.assertEqual(run.status, "FAILED")
        self.assertIn("WorkerLost", run.exception_class_path)

    def test_the_sweep_sends_what_lost_its_task_or_its_worker(self):
        stuck = delivery.notify(self.alice, "block", "block:2", now=NOON)
        delivery.claim(stuck.pk, NOON)
        reminder = delivery.push_now(self.alice, Delivery.REMINDER, "reminder:1", "Time together", now=NOON)
        Delivery.objects.filter(pk=reminder.pk).update(state=Delivery.State.SENDING)  # its worker died
        service = PushService()
        with service.patch():
            self.assertEqual(delivery.send_due(now=NOON + LEASE + dt.timedelta(seconds=1)), {"sent": 2})
        self.assertEqual(len(service.requests), 2)
        # A reminder's push is the reminder's to send again (its own lease), not the sweep's.
        self.assertEqual(Delivery.objects.get(pk=reminder.pk).state, Delivery.State.SENDING)

    def test_a_reminders_push_whose_worker_died_is_pushed_when_the_reminder_comes_back(self):
        with (
            PushService(status=500).patch(),
            mock.patch.object(delivery.push, "send_to_person", side_effect=SystemExit),
            pytest.raises(SystemExit),
        ):  # the worker died mid-push
            delivery.push_now(self.alice, Delivery.REMINDER, "reminder:1", "Time together", now=NOON)
        self.assertIsNone(delivery.push_now(self.alice, Delivery.REMINDER, "reminder:1", "Time together", now=NOON))
        service = PushService()
        with service.patch():
            later = NOON + LEASE + dt.timedelta(seconds=1)
            again = delivery.push_now(self.alice, Delivery.REMINDER, "reminder:1", "Time together", now=later)
        self.assertEqual((again.state, len(service.requests)), (Delivery.State.SENT, 1))


@override_settings(**KEYS, NOTIFICATION_LEASE_SECONDS=3)
class RenewalTests(TransactionTestCase):
    """The sending worker renews its claim while a slow push service takes its time."""

    def test_a_slow_send_keeps_its_claim(self):
        person = make_person("slow@example.org", "Sam")
        choose(person, quiet_from=dt.time(0), quiet_until=dt.time(0))
        device(person)
        queued = delivery.notify(person, "block", "block:1")
        taken_meanwhile = []

        def slow(*args, **kwargs):
            time.sleep(2.5)
            # Another look, as if 1.5 s later still: the claim, renewed, is not stale.
            taken_meanwhile.append(delivery.release_stuck(timezone.now() + dt.timedelta(seconds=1.5)))
            return 1, []

        with mock.patch.object(delivery.push, "send_to_person", side_effect=slow):
            self.assertEqual(delivery.handle(queued.pk), "sent")
        self.assertEqual(taken_meanwhile, [0])
        queued.refresh_from_db()
        self.assertGreater(queued.claimed_at, queued.sent_at)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing workers are tested on PostgreSQL (CI runs it)")
@override_settings(**KEYS, NOTIFICATION_LEASE_SECONDS=30)
class RacingLooksTests(TransactionTestCase):
    def test_two_workers_finding_a_dead_claim_send_it_once(self):
        for round_ in range(5):
            person = make_person(f"lease{round_}@example.org", "Ash")
            choose(person, quiet_from=dt.time(0), quiet_until=dt.time(0))
            device(person)
            queued = delivery.notify(person, "block", "k", now=NOON)
            delivery.claim(queued.pk, NOON)  # the worker that died
            barrier = threading.Barrier(2)
            outcomes: list[str] = []
            later = NOON + LEASE + dt.timedelta(seconds=1)

            def work(pk=queued.pk, barrier=barrier, outcomes=outcomes, later=later):
                try:
                    barrier.wait(timeout=10)
                    outcomes.append(delivery.handle(pk, now=later, lease_check=True))
                finally:
                    connections.close_all()

            service = PushService()
            with service.patch():
                at_once(work)
            self.assertEqual(len(service.requests), 1, outcomes)
            self.assertEqual(outcomes.count("sent"), 1, outcomes)
