"""Reminders: planned per person, sent exactly once, neutral, cancelled on change."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.blocks import reminders, services
from tandem.blocks.models import Block, CalendarSettings, Reminder
from tandem.testkit.base import TandemTestCase, at_once, make_block, make_couple, make_person

UTC = dt.UTC


def opt_in(person, minutes=60, detailed=False):
    return CalendarSettings.objects.update_or_create(
        user=person, defaults={"remind": True, "minutes_before": minutes, "detailed_wording": detailed}
    )[0]


class PlanningTests(TandemTestCase):
    def setUp(self):
        opt_in(self.alice)

    def accepted_block(self, **plan):
        proposal = make_block(self.couple, self.bo, status="proposed", **plan)
        with self.captureOnCommitCallbacks(execute=True):
            return services.accept(proposal, self.alice)

    def test_accepting_plans_reminders_for_who_asked_and_enqueues_them(self):
        block = self.accepted_block(weekdays="MO,TU,WE,TH,FR,SA,SU")
        planned = Reminder.objects.filter(block=block)
        self.assertEqual({r.user for r in planned}, {self.alice})  # Bo never asked
        # Every occurrence in the next two weeks (the block starts in 3 days).
        self.assertIn(planned.count(), (11, 12))
        first = planned.order_by("send_at").first()
        self.assertEqual(first.occurrence_start - first.send_at, dt.timedelta(minutes=60))
        tasks = DBTaskResult.objects.filter(task_path="tandem.blocks.reminders.send_reminder")
        self.assertEqual(tasks.count(), planned.count())
        self.assertEqual({t.run_after for t in tasks}, set(planned.values_list("send_at", flat=True)))

    def test_planning_twice_makes_nothing_new(self):
        block = self.accepted_block()
        self.assertEqual(reminders.plan(block), [])
        self.assertEqual(Reminder.objects.count(), 1)

    def test_a_block_every_four_weeks_still_gets_its_next_reminder(self):
        block = self.accepted_block(weekdays="MO,TU,WE,TH,FR,SA,SU", interval=4, days_ahead=20)
        self.assertEqual(Reminder.objects.filter(block=block).count(), 1)

    def test_a_proposal_is_never_reminded(self):
        make_block(self.couple, self.bo, status="proposed")
        self.assertEqual(Reminder.objects.count(), 0)


class SendingTests(TandemTestCase):
    def setUp(self):
        for person in (self.alice, self.bo):  # closeness blocks need both to be open to touch
            person.consent_level = 1
            person.save()
        opt_in(self.alice)
        self.alice.time_zone = "Europe/Berlin"
        self.alice.save()
        self.block = make_block(self.couple, self.alice, kind="closeness", weekdays="MO,TU,WE,TH,FR,SA,SU")
        reminders.plan(self.block)
        self.reminder = Reminder.objects.order_by("send_at").first()
        self.at_send_time = self.reminder.send_at + dt.timedelta(seconds=1)

    def test_sent_once_with_neutral_wording_in_the_recipients_zone(self):
        self.assertEqual(
            reminders.handle(self.reminder.pk, now=self.reminder.send_at - dt.timedelta(minutes=1)), "early"
        )
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(reminders.handle(self.reminder.pk, now=self.at_send_time), "sent")
        self.assertEqual(reminders.handle(self.reminder.pk, now=self.at_send_time), "gone")
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, [self.alice.email])
        self.assertEqual(message.subject, "Tandem: time together at 19:30")
        text = (message.subject + message.body).lower()
        for word in ("closeness", "intima", "sex", "touch", "bo", "partner"):
            self.assertNotIn(word, text)
        self.reminder.refresh_from_db()
        self.assertEqual(self.reminder.status, Reminder.Status.SENT)

    def test_detailed_wording_only_when_asked(self):
        opt_in(self.alice, detailed=True)
        reminders.handle(self.reminder.pk, now=self.at_send_time)
        self.assertEqual(mail.outbox[0].subject, "Tandem: closeness at 19:30")

    def test_the_time_is_in_the_recipients_own_zone(self):
        opt_in(self.bo)
        self.bo.time_zone = "Asia/Tokyo"
        self.bo.save()
        reminders.plan(self.block)
        bos = Reminder.objects.filter(user=self.bo).order_by("send_at").first()
        reminders.handle(bos.pk, now=bos.send_at)
        self.assertEqual(mail.outbox[0].subject, "Tandem: time together at 03:30")  # 19:30 Berlin in winter

    def test_a_failed_send_is_tried_again_later(self):
        from unittest import mock

        with (
            mock.patch.object(reminders, "deliver", side_effect=OSError("smtp down")),
            self.captureOnCommitCallbacks(execute=True),
        ):
            self.assertEqual(reminders.handle(self.reminder.pk, now=self.at_send_time), "failed")
        self.reminder.refresh_from_db()
        self.assertEqual(self.reminder.status, Reminder.Status.PENDING)
        retry = DBTaskResult.objects.order_by("-enqueued_at").first()
        self.assertEqual(retry.run_after, self.at_send_time + reminders.RETRY_AFTER)
        self.assertEqual(reminders.handle(self.reminder.pk, now=self.at_send_time), "sent")


class CatchUpTests(TandemTestCase):
    def test_after_downtime_it_sends_what_is_still_useful_and_skips_what_has_ended(self):
        opt_in(self.alice)
        block = make_block(self.couple, self.alice, weekdays="MO,TU,WE,TH,FR,SA,SU", days_ahead=1)
        reminders.plan(block)
        due = list(Reminder.objects.order_by("send_at"))
        # The worker was down for two days: it comes back during the third occurrence.
        back = due[2].occurrence_start + dt.timedelta(minutes=10)
        counts = reminders.send_due(now=back)
        self.assertEqual(counts, {"missed": 2, "sent": 1})
        self.assertEqual(len(mail.outbox), 1)
        statuses = [r.status for r in Reminder.objects.order_by("send_at")[:4]]
        self.assertEqual(statuses, ["missed", "missed", "sent", "pending"])
        # Catching up again sends nothing twice.
        self.assertEqual(reminders.send_due(now=back), {})
        self.assertEqual(len(mail.outbox), 1)

    def test_the_sweep_command_plans_and_sends(self):
        opt_in(self.alice)
        make_block(self.couple, self.alice)
        call_command("send_reminders", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(Reminder.objects.count(), 1)


class CancellingTests(TandemTestCase):
    def setUp(self):
        opt_in(self.alice)
        self.block = make_block(self.couple, self.alice, weekdays="MO,TU,WE,TH,FR,SA,SU")
        reminders.plan(self.block)

    def pending(self):
        return Reminder.objects.pending().filter(block=self.block)

    def test_accepting_a_change_cancels_and_replans(self):
        old = set(self.pending().values_list("occurrence_start", flat=True))
        change = services.propose(
            self.couple,
            self.bo,
            replaces=self.block,
            **{**{f: getattr(self.block, f) for f in services.PLAN_FIELDS}, "start_time": dt.time(20, 0)},
        )
        self.assertEqual(set(self.pending().values_list("occurrence_start", flat=True)), old)  # not yet
        services.accept(change, self.alice)
        new = set(self.pending().values_list("occurrence_start", flat=True))
        self.assertTrue(new)
        self.assertFalse(new & old)
        self.assertEqual(Reminder.objects.filter(status="cancelled").count(), len(old))
        cancelled = Reminder.objects.filter(status="cancelled").first()
        self.assertEqual(reminders.handle(cancelled.pk, now=cancelled.send_at), "gone")
        self.assertEqual(len(mail.outbox), 0)

    def test_skipping_cancels_that_occurrence_only(self):
        day = self.block.start_date + dt.timedelta(days=2)
        before = self.pending().count()
        services.skip(self.block, self.bo, day)
        self.assertEqual(self.pending().count(), before - 1)
        services.unskip(self.block, self.bo, day)
        self.assertEqual(self.pending().count(), before)

    def test_ending_cancels_everything(self):
        services.end(self.block, self.bo)
        self.assertEqual(self.pending().count(), 0)

    def test_turning_reminders_off_cancels_mine(self):
        self.login(self.alice)
        response = self.client.post(
            reverse("blocks:reminders", args=[self.couple.pk]), {"minutes_before": "60", "channel": "email"}
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.pending().count(), 0)


class SettingsFormTests(TandemTestCase):
    def test_bad_input_gives_a_clear_message_and_keeps_what_was_saved(self):
        opt_in(self.alice, minutes=30)
        self.login(self.alice)
        url = reverse("blocks:reminders", args=[self.couple.pk])
        for data, message in [
            ({"remind": "on", "minutes_before": "7", "channel": "email"}, "Choose when to be reminded"),
            ({"remind": "on", "minutes_before": "60", "channel": "pigeon"}, "Choose how to be reminded"),
        ]:
            with self.subTest(data=data):
                self.assertContains(self.client.post(url, data), message)
        self.assertEqual(CalendarSettings.objects.get(user=self.alice).minutes_before, 30)

    def test_outsiders_and_the_therapist_get_404(self):
        url = reverse("blocks:reminders", args=[self.couple.pk])
        for person in [*self.outsiders, self.theo]:
            self.login(person)
            self.assertEqual(self.client.post(url, {"remind": "on", "minutes_before": "60"}).status_code, 404)
        self.assertFalse(CalendarSettings.objects.exists())


class WorkerTests(TransactionTestCase):
    """The real path: a queued task, run by ``manage.py db_worker``.

    A transaction test case, because the worker closes its database
    connection when it is done.
    """

    def test_the_worker_runs_the_queued_task(self):
        a = make_person("worker-a@example.org", "Ash", time_zone="Europe/Berlin")
        b = make_person("worker-b@example.org", "Bea")
        couple = make_couple(a, b)
        opt_in(a, minutes=1440)
        # The next 00:30 in Ash's zone, less than a day away: its one-day-ahead reminder is already due.
        block = make_block(couple, a, start_date=next_half_past_midnight(a), start_time=dt.time(0, 30))
        (reminder,) = reminders.plan(block)  # enqueued on commit: autocommit here
        self.assertLess(reminder.send_at, timezone.now())
        # (Saving the block also asked for its couple to be told what waits: another task.)
        runs = DBTaskResult.objects.filter(task_path=reminders.send_reminder.module_path)
        self.assertEqual(runs.count(), 1)
        call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].subject, "Tandem: time together at 00:30")
        self.assertEqual(Reminder.objects.get().status, Reminder.Status.SENT)
        sent, check = runs.order_by("run_after")
        self.assertEqual(sent.status, "SUCCESSFUL")
        # The check after the lease waits; when it runs it finds the reminder sent.
        self.assertEqual((check.status, check.args_kwargs["args"]), ("READY", [reminder.pk]))
        self.assertGreater(check.run_after, timezone.now() + reminders.lease() - dt.timedelta(seconds=5))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing workers are tested on PostgreSQL (CI runs it)")
class RacingWorkersTests(TransactionTestCase):
    def test_two_workers_send_a_reminder_exactly_once(self):
        for round_ in range(5):  # a race that shows rarely still shows
            a = make_person(f"race-a{round_}@example.org", "Ash")
            b = make_person(f"race-b{round_}@example.org", "Bea")
            couple = make_couple(a, b)
            opt_in(a)
            block = make_block(couple, a)
            (reminder,) = reminders.plan(block)
            barrier = threading.Barrier(2)
            outcomes: list[str] = []

            def work(pk=reminder.pk, at=reminder.send_at, barrier=barrier, outcomes=outcomes):
                try:
                    barrier.wait(timeout=10)
                    outcomes.append(reminders.handle(pk, now=at))
                finally:
                    connections.close_all()

            mail.outbox = []
            at_once(work)
            self.assertEqual(len(mail.outbox), 1, outcomes)
            self.assertEqual(outcomes.count("sent"), 1, outcomes)  # the other: "taken" or "gone"
            self.assertEqual(Reminder.objects.get(pk=reminder.pk).status, Reminder.Status.SENT)


class ReminderBlockHelper(TandemTestCase):
    def test_block_kind_words_for_detailed_wording(self):
        block = make_block(self.couple, self.alice, kind=Block.Kind.ACTIVITY)
        self.assertEqual(reminders.describe(block), "shared activity")


class SecondReaderFindingsTests(TandemTestCase):
    """Cases a review of the calendar found; each once let a reminder through or lost one."""

    def setUp(self):
        opt_in(self.alice)

    def test_a_closed_space_sends_nothing_more(self):
        from tandem.couples.services import leave_couple

        block = make_block(self.couple, self.alice, weekdays="MO,TU,WE,TH,FR,SA,SU")
        first = reminders.plan(block)[0]
        leave_couple(self.couple)
        block.refresh_from_db()
        self.assertEqual(reminders.handle(first.pk, now=first.send_at), "cancelled")
        self.assertEqual(len(mail.outbox), 0)
        self.assertEqual(reminders.plan(block), [])

    def test_skipping_keeps_the_next_reminder_of_a_sparse_series(self):
        from tandem.blocks.models import WEEKDAYS

        day = self.alice.today() + dt.timedelta(days=2)
        block = make_block(self.couple, self.alice, start_date=day, weekdays=WEEKDAYS[day.weekday()], interval=4)
        (only,) = reminders.plan(block)
        services.skip(block, self.bo, only.occurrence_start.astimezone(block.zone).date())
        pending = Reminder.objects.pending().filter(block=block)
        self.assertEqual(pending.count(), 1)
        self.assertGreater(pending.get().occurrence_start, only.occurrence_start)

    def test_a_stale_copy_of_a_withdrawn_proposal_cannot_be_accepted(self):
        proposal = make_block(self.couple, self.alice, status="proposed")
        stale = Block.objects.get(pk=proposal.pk)
        services.withdraw(proposal, self.alice)
        with self.assertRaisesMessage(services.BlockError, "already been answered"):
            services.accept(stale, self.bo)
        self.assertEqual(Block.objects.get(pk=proposal.pk).status, Block.Status.WITHDRAWN)
        self.assertFalse(Reminder.objects.exists())

    def test_closeness_reminders_wait_while_anyone_paused_everything(self):
        from tandem.boundaries.models import CouplePause

        for person in (self.alice, self.bo):
            person.consent_level = 1
            person.save()
        block = make_block(self.couple, self.alice, kind="closeness", weekdays="MO,TU,WE,TH,FR,SA,SU")
        first = reminders.plan(block)[0]
        self.login(self.bo)
        self.client.post(reverse("boundaries:pause_everything"), {})
        self.assertTrue(CouplePause.objects.exists())
        self.assertEqual(Reminder.objects.pending().filter(block=block).count(), 0)
        self.assertEqual(reminders.plan(block), [])
        Reminder.objects.filter(pk=first.pk).update(status="pending")
        self.assertEqual(reminders.handle(first.pk, now=first.send_at), "cancelled")
        self.client.post(reverse("boundaries:pause_everything"), {"lift": "1"})
        self.assertGreater(Reminder.objects.pending().filter(block=block).count(), 0)
        self.assertEqual(len(mail.outbox), 0)

    def closeness_block_with_reminders(self):
        for person in (self.alice, self.bo):
            person.consent_level = 1
            person.save()
        block = make_block(self.couple, self.alice, kind="closeness", weekdays="MO,TU,WE,TH,FR,SA,SU")
        reminders.plan(block)
        self.assertGreater(Reminder.objects.pending().filter(block=block).count(), 0)
        return block

    def test_a_lowered_consent_level_withdraws_closeness_reminders_and_a_raised_one_brings_them_back(self):
        block = self.closeness_block_with_reminders()
        self.login(self.bo)
        profile = {"display_name": "Bo", "time_zone": self.bo.time_zone, "language": self.bo.language}
        self.client.post(reverse("accounts:profile"), {**profile, "consent_level": 0})
        self.assertEqual(Reminder.objects.pending().filter(block=block).count(), 0)
        self.client.post(reverse("accounts:profile"), {**profile, "consent_level": 1})
        self.assertGreater(Reminder.objects.pending().filter(block=block).count(), 0)

    def test_a_hard_season_withdraws_intimacy_homework_reminders_until_it_ends(self):
        from tandem.homework import services as homework
        from tandem.seasons import services as seasons
        from tandem.testkit.base import make_assignment

        for person in (self.alice, self.bo):
            person.consent_level = 1
            person.save()
        assignment = make_assignment(self.couple, "sensory-exploration", by=self.alice)
        homework.opt_in(assignment, self.bo)
        block = make_block(
            self.couple, self.alice, kind=Block.Kind.HOMEWORK, assignment=assignment, weekdays="MO,TU,WE,TH,FR,SA,SU"
        )
        reminders.plan(block)
        self.assertGreater(Reminder.objects.pending().filter(block=block).count(), 0)
        season = seasons.start(self.couple, self.alice, reason="", reason_shared=False, expected_weeks=2)
        self.assertEqual(Reminder.objects.pending().filter(block=block).count(), 0)
        seasons.ready_to_end(season, self.alice)
        seasons.ready_to_end(season, self.bo)
        self.assertGreater(Reminder.objects.pending().filter(block=block).count(), 0)

    def test_a_claim_left_by_a_dead_worker_is_released(self):
        block = make_block(self.couple, self.alice)
        (reminder,) = reminders.plan(block)
        self.assertTrue(reminders.claim(reminder.pk, now=reminder.send_at))
        # The worker died before sending. Once the lease ran out, a sweep takes it over.
        later = reminder.send_at + reminders.lease() + dt.timedelta(seconds=1)
        self.assertEqual(reminders.send_due(now=later), {"sent": 1})
        self.assertEqual(len(mail.outbox), 1)

    def test_an_occurrence_already_under_way_is_not_reminded(self):
        block = make_block(self.couple, self.alice, weekdays="MO,TU,WE,TH,FR,SA,SU")
        under_way = block.first_start + dt.timedelta(minutes=20)
        planned = reminders.plan(block, now=under_way)
        self.assertTrue(planned)
        self.assertTrue(all(r.occurrence_start > under_way for r in planned))


def next_half_past_midnight(person) -> dt.date:
    """The day of the next 00:30 in the person's zone: today before 00:30, else tomorrow.
    (Always "tomorrow" made the test fail when run between midnight and 00:30 there.)"""
    now = timezone.now().astimezone(person.zone)
    return now.date() if now.time() < dt.time(0, 30) else now.date() + dt.timedelta(days=1)
