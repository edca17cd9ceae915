"""Scheduled homework is given by the worker, never by a page that is only read."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.boundaries import services as boundaries
from tandem.clinic import schedules
from tandem.clinic.models import HomeworkSchedule
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase

TASK = "tandem.clinic.schedules.give_scheduled"


class ScheduleWorkerTests(TandemTestCase):
    def weekly_from_tomorrow(self):
        tomorrow = schedules.couple_today(self.couple) + dt.timedelta(days=1)
        with self.captureOnCommitCallbacks(execute=True):
            schedule = schedules.create(
                self.theo.therapist, self.couple, what="exercise", slug="appreciations", cadence="weekly",
                weeks=2, start_on=tomorrow,
            )  # fmt: skip
        return schedule, tomorrow

    def test_making_a_schedule_asks_the_worker_for_the_start_of_its_day_in_the_couples_zone(self):
        schedule, tomorrow = self.weekly_from_tomorrow()
        (queued,) = DBTaskResult.objects.filter(task_path=TASK)
        self.assertEqual(queued.args_kwargs["args"], [schedule.pk])
        self.assertEqual(queued.run_after, dt.datetime.combine(tomorrow, dt.time(0, 0), tzinfo=self.alice.zone))
        self.assertFalse(Assignment.objects.exists())

    def test_the_task_gives_it_on_its_day_and_plans_the_next_week(self):
        schedule, _tomorrow = self.weekly_from_tomorrow()
        self.assertEqual(schedules.give_scheduled.call(schedule.pk), "waiting")  # woken early: nothing given
        self.assertFalse(Assignment.objects.exists())
        HomeworkSchedule.objects.filter(pk=schedule.pk).update(next_on=schedules.couple_today(self.couple))
        with self.captureOnCommitCallbacks(execute=True):
            self.assertEqual(schedules.give_scheduled.call(schedule.pk), "given")
        self.assertEqual(Assignment.objects.count(), 1)
        schedule.refresh_from_db()
        next_run = DBTaskResult.objects.filter(task_path=TASK).order_by("-run_after").first().run_after
        self.assertEqual(next_run.astimezone(self.alice.zone).date(), schedule.next_on)
        self.assertEqual(schedules.give_scheduled.call(schedule.pk), "waiting")  # a second run gives nothing more
        self.assertEqual(Assignment.objects.count(), 1)

    def test_no_page_that_is_only_read_gives_scheduled_homework(self):
        schedule, _tomorrow = self.weekly_from_tomorrow()
        HomeworkSchedule.objects.filter(pk=schedule.pk).update(next_on=timezone.localdate() - dt.timedelta(days=1))
        self.login(self.alice)
        self.client.get(reverse("homework:this_week", args=[self.couple.pk]))
        self.login(self.theo)
        self.client.get(reverse("clinic:caseload"))
        self.client.get(reverse("clinic:couple", args=[self.couple.pk]))
        self.assertFalse(Assignment.objects.exists())
        self.assertEqual(schedules.give_due(), 1)  # the worker's (and cron's) job

    def test_held_homework_is_offered_when_the_hold_lifts(self):
        boundaries.pause_everything(self.couple, self.bo)
        for person in (self.alice, self.bo):
            person.consent_level = 1
            person.save()
        with self.captureOnCommitCallbacks(execute=True):
            schedule = schedules.create(
                self.theo.therapist, self.couple, what="exercise", slug="sensory-exploration", cadence="once"
            )
        self.assertFalse(Assignment.objects.exists())
        self.assertTrue(schedule.active)
        with self.captureOnCommitCallbacks(execute=True):
            boundaries.lift_my_pause(self.couple, self.bo)
        queued = DBTaskResult.objects.get(task_path="tandem.clinic.schedules.give_due_for")
        self.assertEqual(schedules.give_due_for.call(*queued.args_kwargs["args"]), 1)
        self.assertEqual(Assignment.objects.get().exercise.slug, "sensory-exploration")
