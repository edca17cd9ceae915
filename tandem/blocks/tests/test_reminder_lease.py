"""The lease of a reminder's claim: a dead worker's reminder goes out after
seconds, once, and a live worker's reminder is never taken from it."""

import datetime as dt
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path
from unittest import mock
from urllib.parse import quote

from django.core import mail
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.blocks import reminders
from tandem.blocks.models import CalendarSettings, Reminder
from tandem.testkit.base import TandemTestCase, make_block, make_couple, make_person
from tandem.testkit.smtp import SmtpSink

ROOT = Path(__file__).resolve().parents[3]


def opt_in(person, minutes=60):
    CalendarSettings.objects.update_or_create(user=person, defaults={"remind": True, "minutes_before": minutes})


def tasks_of(reminder):
    runs = DBTaskResult.objects.filter(task_path=reminders.send_reminder.module_path).order_by("run_after")
    return [run for run in runs if run.args_kwargs["args"] == [reminder.pk]]


class LeaseTests(TandemTestCase):
    def setUp(self):
        opt_in(self.alice)
        (self.reminder,) = reminders.plan(make_block(self.couple, self.alice))
        self.at = self.reminder.send_at + dt.timedelta(seconds=1)

    def test_the_lease_is_a_setting_of_seconds(self):
        self.assertEqual(reminders.lease(), dt.timedelta(seconds=30))
        with override_settings(REMINDER_LEASE_SECONDS=5):
            self.assertEqual(reminders.lease(), dt.timedelta(seconds=5))

    def test_claiming_enqueues_a_check_for_just_after_the_lease_before_sending(self):
        queued_when_sending = []

        def deliver(reminder):
            queued_when_sending.append(len(tasks_of(reminder)))

        with mock.patch.object(reminders, "deliver", side_effect=deliver), self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(reminders.handle(self.reminder.pk, now=self.at), "sent")
        self.assertEqual(queued_when_sending, [1])  # committed before the send began
        (check,) = tasks_of(self.reminder)
        self.assertEqual(check.run_after, self.at + reminders.lease() + reminders.LEASE_CHECK_GRACE)
        self.assertEqual(check.args_kwargs["kwargs"], {"lease_check": True})
        # When the check runs, the reminder is sent: nothing more happens.
        self.assertEqual(reminders.handle(self.reminder.pk, now=check.run_after, lease_check=True), "gone")

    def test_after_a_failed_send_the_check_leaves_the_retry_to_its_own_time(self):
        with mock.patch.object(reminders, "deliver", side_effect=OSError("smtp down")):
            self.assertEqual(reminders.handle(self.reminder.pk, now=self.at), "failed")
        (check,) = tasks_of(self.reminder)  # the retry itself is queued on commit
        self.assertEqual(reminders.handle(self.reminder.pk, now=check.run_after, lease_check=True), "gone")
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Reminder.objects.get(pk=self.reminder.pk).status, Reminder.Status.PENDING)

    def test_a_fresh_claim_is_left_to_its_worker_and_looked_at_again_later(self):
        self.assertTrue(reminders.claim(self.reminder.pk, now=self.at))
        soon = self.at + reminders.lease() / 2
        self.assertEqual(reminders.handle(self.reminder.pk, now=soon), "sending")  # a second run of its task
        self.assertEqual(tasks_of(self.reminder), [])
        self.assertEqual(reminders.handle(self.reminder.pk, now=soon, lease_check=True), "sending")
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(Reminder.objects.get(pk=self.reminder.pk).status, Reminder.Status.SENDING)
        (again,) = tasks_of(self.reminder)
        self.assertEqual(again.run_after, soon + reminders.lease() + reminders.LEASE_CHECK_GRACE)

    def test_a_renewed_claim_is_not_taken_however_long_the_send(self):
        self.assertTrue(reminders.claim(self.reminder.pk, now=self.at))
        renewed = self.at + reminders.lease() * 0.9  # what the sending worker's keeper does
        Reminder.objects.filter(pk=self.reminder.pk).update(claimed_at=renewed)
        self.assertEqual(reminders.handle(self.reminder.pk, now=self.at + reminders.lease() * 1.5), "sending")
        self.assertEqual(reminders.release_stuck(self.at + reminders.lease() * 1.5), 0)
        self.assertEqual(len(mail.outbox), 0)

    def test_a_claim_run_out_is_taken_over_once_and_the_dead_run_is_closed(self):
        from django_tasks_db.models import DBTaskResult

        self.assertTrue(reminders.claim(self.reminder.pk, now=self.at))
        dead = DBTaskResult.objects.create(
            task_path=reminders.send_reminder.module_path,
            args_kwargs={"args": [self.reminder.pk], "kwargs": {}},
            backend_name="default",
            run_after=self.reminder.send_at,
            status="RUNNING",
            started_at=self.at,
        )
        later = self.at + reminders.lease() + reminders.LEASE_CHECK_GRACE
        self.assertEqual(reminders.handle(self.reminder.pk, now=later), "sent")
        self.assertEqual(reminders.handle(self.reminder.pk, now=later), "gone")
        self.assertEqual(len(mail.outbox), 1)
        reminder = Reminder.objects.get(pk=self.reminder.pk)
        self.assertEqual((reminder.status, reminder.attempts), (Reminder.Status.SENT, 2))
        dead.refresh_from_db()
        self.assertEqual(dead.status, "FAILED")
        self.assertEqual(dead.exception_class_path, "tandem.core.leases.WorkerLost")


class LeaseKeeperTests(TransactionTestCase):
    """The keeper thread writes through its own connection: a transaction test case."""

    @override_settings(REMINDER_LEASE_SECONDS=0.6)
    def test_a_slow_send_keeps_renewing_its_claim(self):
        a, b = make_person("keep-a@example.org", "Ash"), make_person("keep-b@example.org", "Bea")
        opt_in(a)
        (reminder,) = reminders.plan(make_block(make_couple(a, b), a))
        now = timezone.now()
        Reminder.objects.filter(pk=reminder.pk).update(send_at=now - dt.timedelta(seconds=1))
        seen = []

        def slow_send(reminder):
            time.sleep(1.2)  # twice the lease
            seen.append(Reminder.objects.get(pk=reminder.pk).claimed_at)

        with mock.patch.object(reminders, "deliver", side_effect=slow_send):
            self.assertEqual(reminders.handle(reminder.pk, now=now), "sent")
        self.assertGreater(seen[-1], now + dt.timedelta(seconds=0.5))  # renewed while sending
        self.assertEqual(Reminder.objects.get(pk=reminder.pk).status, Reminder.Status.SENT)


class KilledWorkerTests(TransactionTestCase):
    """The real failure: ``manage.py db_worker`` killed with SIGKILL in the middle of a send.

    The workers are separate processes on the test database: PostgreSQL's
    test database as it is; on SQLite the in-memory test database is copied
    to a file for them and copied back afterwards.
    """

    LEASE = 2

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="tandem-lease-"))
        self.workers: list[subprocess.Popen] = []

    def tearDown(self):
        for worker in self.workers:
            if worker.poll() is None:
                worker.kill()
                worker.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def database_env(self) -> dict[str, str]:
        if connection.vendor == "sqlite":
            self.sqlite_file = self.tmp / "shared.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.sqlite_file) as copy:
                connection.connection.backup(copy)
            return {"SQLITE_PATH": str(self.sqlite_file)}
        db = connection.settings_dict
        auth = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
        return {"DATABASE_URL": f"postgres://{auth}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"}

    def copy_back(self) -> None:
        if connection.vendor == "sqlite":
            with sqlite3.connect(self.sqlite_file) as copy:
                copy.execute("PRAGMA journal_mode=DELETE")
                copy.backup(connection.connection)

    def start_worker(self, database: dict, smtp_port: int) -> subprocess.Popen:
        keep = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "SQLITE_PATH", "PYTEST"))}
        env = {
            **keep,
            **database,
            "DEBUG": "True",  # the development keys: the same as this test process's
            "DJANGO_SETTINGS_MODULE": "tandem.settings",
            "REMINDER_LEASE_SECONDS": str(self.LEASE),
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_USE_TLS": "False",
            "EMAIL_TIMEOUT": "300",
            "LOG_LEVEL": "WARNING",
        }
        worker = subprocess.Popen(  # our own manage.py
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=(self.tmp / f"worker-{len(self.workers)}.log").open("w"),
        )
        self.workers.append(worker)
        return worker

    def test_a_worker_killed_while_sending_is_replaced_after_the_lease_and_the_reminder_goes_once(self):
        a = make_person("killed-a@example.org", "Ash", time_zone="Europe/Berlin")
        b = make_person("killed-b@example.org", "Bea")
        opt_in(a, minutes=1440)
        block = make_block(make_couple(a, b), a, start_date=next_half_past_midnight(a), start_time=dt.time(0, 30))
        (reminder,) = reminders.plan(block)  # due now; its task is queued (autocommit)
        database = self.database_env()

        # A mail server that accepts the connection and then never answers: the send hangs.
        with socket.create_server(("127.0.0.1", 0)) as silent:
            silent.settimeout(60)
            first = self.start_worker(database, silent.getsockname()[1])
            hung, _ = silent.accept()  # the worker has claimed the reminder and is sending
            in_send_at = time.time()
            os.kill(first.pid, signal.SIGKILL)
            first.wait(timeout=10)
            hung.close()

        with SmtpSink() as sink:
            second = self.start_worker(database, sink.port)
            deadline = time.time() + 60
            while not sink.messages and time.time() < deadline and second.poll() is None:
                time.sleep(0.1)
            sent_after = time.time() - in_send_at
            time.sleep(self.LEASE + 2)  # the follow-up check runs too, and must send nothing more
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=20)
        self.copy_back()

        self.assertEqual(len(sink.messages), 1, (self.tmp / "worker-1.log").read_text())
        subject = str(make_header(decode_header(message_from_bytes(sink.messages[0])["Subject"])))
        self.assertEqual(subject, "Tandem: time together at 00:30")
        self.assertGreaterEqual(sent_after, self.LEASE)  # not before the lease ran out
        reminder.refresh_from_db()
        self.assertEqual((reminder.status, reminder.attempts), (Reminder.Status.SENT, 2))
        runs = {run.status for run in tasks_of(reminder)}
        self.assertNotIn("RUNNING", runs)  # the killed worker's run is closed, not running for ever
        lost = [run for run in tasks_of(reminder) if run.exception_class_path.endswith("WorkerLost")]
        self.assertEqual(len(lost), 1)


def next_half_past_midnight(person) -> dt.date:
    """The day of the next 00:30 in the person's zone: today before 00:30, else tomorrow.
    (Always "tomorrow" made the test fail when run between midnight and 00:30 there.)"""
    now = timezone.now().astimezone(person.zone)
    return now.date() if now.time() < dt.time(0, 30) else now.date() + dt.timedelta(days=1)
