"""A therapist gives homework: once, weekly, or relative to the next session."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tandem.clinic import schedules
from tandem.clinic.models import CareLink, HomeworkSchedule
from tandem.homework.models import Assignment, ProgramRun
from tandem.testkit.base import TandemTestCase

TODAY = dt.date(2030, 3, 1)


class ScheduleTests(TandemTestCase):
    def therapist(self):
        return self.theo.therapist

    def test_once_today_is_offered_at_once_and_waits_for_the_couple(self):
        schedule = schedules.create(
            self.therapist(), self.couple, what="exercise", slug="appreciations", cadence="once", message="Try it"
        )
        assignment = Assignment.objects.get(couple=self.couple)
        self.assertEqual(
            (assignment.source, assignment.status, assignment.message), ("therapist", "proposed", "Try it")
        )
        self.assertFalse(assignment.parts.exclude(opted_in_at=None).exists())  # both partners still decide
        schedule.refresh_from_db()
        self.assertFalse(schedule.active)

    def test_relative_to_the_next_session(self):
        CareLink.objects.filter(pk=self.link.pk).update(next_session=dt.date(2030, 3, 4))
        schedule = schedules.create(
            self.therapist(),
            self.couple,
            what="exercise",
            slug="appreciations",
            cadence="after_session",
            due_days=3,
            today=TODAY,
        )
        self.assertEqual(schedule.next_on, dt.date(2030, 3, 4))
        self.assertEqual(schedules.give_due(dt.date(2030, 3, 3)), 0)  # not before the session
        self.assertFalse(Assignment.objects.exists())
        self.assertEqual(schedules.give_due(dt.date(2030, 3, 4)), 1)
        assignment = Assignment.objects.get()
        zone = self.alice.zone
        self.assertEqual(assignment.due_at.astimezone(zone).date(), dt.date(2030, 3, 7))  # 3 days after 4 March
        self.assertEqual(schedules.give_due(dt.date(2030, 3, 5)), 0)  # given once only

    def test_weekly_gives_again_each_week_for_the_chosen_weeks(self):
        schedule = schedules.create(
            self.therapist(), self.couple, what="exercise", slug="appreciations", cadence="weekly", weeks=3,
            start_on=TODAY, today=TODAY,
        )  # fmt: skip
        self.assertEqual(Assignment.objects.count(), 1)
        schedule.refresh_from_db()
        self.assertEqual((schedule.next_on, schedule.times_left), (TODAY + dt.timedelta(weeks=1), 2))
        schedules.give_due(TODAY + dt.timedelta(days=6))
        self.assertEqual(Assignment.objects.count(), 1)
        schedules.give_due(TODAY + dt.timedelta(weeks=1))
        schedules.give_due(TODAY + dt.timedelta(weeks=2))
        schedules.give_due(TODAY + dt.timedelta(weeks=3))
        self.assertEqual(Assignment.objects.count(), 3)
        schedule.refresh_from_db()
        self.assertFalse(schedule.active)

    def test_a_program_can_be_given(self):
        schedules.create(self.therapist(), self.couple, what="program", slug="reconnect", cadence="once")
        run = ProgramRun.objects.get(couple=self.couple)
        self.assertEqual(run.source, "therapist")

    def test_what_the_couple_has_not_opened_up_to_waits_and_says_why(self):
        schedule = schedules.create(
            self.therapist(), self.couple, what="exercise", slug="mirror-of-desire", cadence="once"
        )
        self.assertFalse(Assignment.objects.exists())
        self.assertEqual(schedule.last_problem, "Not available for this couple right now.")
        self.assertTrue(schedule.active)  # tried again later
        for person in (self.alice, self.bo):
            person.consent_level = 3
            person.save()
        self.assertEqual(schedules.give_due(), 1)

    def test_rules(self):
        for kwargs, message in [
            ({"cadence": "after_session"}, "Set the date of the next session first"),
            ({"cadence": "once", "start_on": timezone.localdate() - dt.timedelta(days=1)}, "in the past"),
            ({"cadence": "weekly", "weeks": 13}, "between 1 and 12 weeks"),
            ({"cadence": "sometimes"}, "Choose once, weekly"),
            ({"cadence": "once", "slug": "no-such-thing"}, "doesn't exist"),
            ({"cadence": "once", "due_days": 40}, "between 0 and 28 days"),
        ]:
            with self.subTest(kwargs=kwargs), self.assertRaisesMessage(schedules.ScheduleError, message):
                schedules.create(self.therapist(), self.couple, what="exercise", **{"slug": "appreciations", **kwargs})
        with self.assertRaisesMessage(schedules.ScheduleError, "not linked"):
            schedules.create(self.una.therapist, self.couple, what="exercise", slug="appreciations", cadence="once")
        self.assertFalse(HomeworkSchedule.objects.exists())


class AssignViewTests(TandemTestCase):
    def post(self, **data):
        self.login(self.theo)
        return self.client.post(reverse("clinic:assign", args=[self.couple.pk]), data)

    def test_assigning_from_the_couple_page(self):
        response = self.post(item="exercise:appreciations", cadence="once", due_days="5", message="See you Tuesday")
        self.assertRedirects(response, reverse("clinic:couple", args=[self.couple.pk]))
        page = self.client.get(reverse("clinic:couple", args=[self.couple.pk]))
        self.assertContains(page, "waiting for the couple")
        # The partners see it as from their therapist, with the message.
        self.login(self.bo)
        assignment = Assignment.objects.get()
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, assignment.pk]))
        self.assertContains(page, "See you Tuesday")

    def test_the_therapist_never_sees_which_partner_said_yes(self):
        from tandem.homework import services

        self.post(item="exercise:appreciations", cadence="once", due_days="5")
        services.opt_in(Assignment.objects.get(), self.bo)
        self.login(self.theo)
        page = self.client.get(reverse("clinic:couple", args=[self.couple.pk])).content.decode()
        self.assertIn("waiting for the couple", page)
        self.assertNotIn("Bo said", page)
        self.assertNotIn("Alice said", page)

    def test_bad_input_gives_a_clear_message_and_saves_nothing(self):
        for data, message in [
            ({"item": "", "cadence": "once", "due_days": "7"}, "Choose an exercise or a program."),
            ({"item": "exercise:nope", "cadence": "once", "due_days": "7"}, "from the list"),
            ({"item": "exercise:appreciations", "cadence": "never", "due_days": "7"}, "Choose once, weekly"),
            ({"item": "exercise:appreciations", "cadence": "weekly", "due_days": "7"}, "Say for how many weeks"),
            ({"item": "exercise:appreciations", "cadence": "once", "due_days": "99"}, "between 0 and 28 days"),
            ({"item": "exercise:appreciations", "cadence": "once", "due_days": "x"}, "whole number of days"),
            (
                {"item": "exercise:appreciations", "cadence": "once", "due_days": "7", "start_on": "tomorrow"},
                "YYYY-MM-DD",
            ),
            (
                {"item": "exercise:appreciations", "cadence": "once", "due_days": "7", "start_on": "2026-02-30"},
                "2026-02-30 isn&#x27;t a real date: February 2026 has 28 days.",
            ),
            ({"item": "exercise:appreciations", "cadence": "after_session", "due_days": "3"}, "next session first"),
            ({"item": "exercise:appreciations", "cadence": "once", "due_days": "7", "message": "x" * 501}, "under 500"),
        ]:
            with self.subTest(data=data):
                response = self.post(**data)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertFalse(HomeworkSchedule.objects.exists())
        self.assertFalse(Assignment.objects.exists())

    def test_partners_outsiders_and_the_unlinked_therapist_get_404(self):
        for person in (self.alice, self.bo, self.olga, self.una):
            self.login(person)
            response = self.client.post(
                reverse("clinic:assign", args=[self.couple.pk]),
                {"item": "exercise:appreciations", "cadence": "once", "due_days": "7"},
            )
            self.assertEqual(response.status_code, 404)
        self.assertFalse(Assignment.objects.exists())

    def test_cancel_a_schedule(self):
        CareLink.objects.filter(pk=self.link.pk).update(next_session=timezone.localdate() + dt.timedelta(days=5))
        self.post(item="exercise:appreciations", cadence="after_session", due_days="3")
        schedule = HomeworkSchedule.objects.get()
        self.assertTrue(schedule.active)
        self.client.post(reverse("clinic:schedule_cancel", args=[self.couple.pk, schedule.pk]))
        schedule.refresh_from_db()
        self.assertFalse(schedule.active)
        self.login(self.una)
        response = self.client.post(reverse("clinic:schedule_cancel", args=[self.couple.pk, schedule.pk]))
        self.assertEqual(response.status_code, 404)


class CareSettingsTests(TandemTestCase):
    def test_next_session_and_stage_approval(self):
        self.login(self.theo)
        url = reverse("clinic:care_settings", args=[self.couple.pk])
        day = timezone.localdate() + dt.timedelta(days=7)
        self.assertEqual(self.client.post(url, {"next_session": day.isoformat()}).status_code, 302)
        self.link.refresh_from_db()
        self.assertEqual(self.link.next_session, day)
        self.assertFalse(self.link.stages_need_approval)  # an unticked box
        past = self.client.post(url, {"next_session": "2001-01-01", "stages_need_approval": "on"})
        self.assertContains(past, "can&#x27;t be in the past")
        self.link.refresh_from_db()
        self.assertEqual(self.link.next_session, day)  # kept

    def test_an_impossible_next_session_says_it_is_not_a_real_date(self):
        self.login(self.theo)
        url = reverse("clinic:care_settings", args=[self.couple.pk])
        response = self.client.post(url, {"next_session": "2026-02-30"})
        self.assertContains(response, "2026-02-30 isn&#x27;t a real date: February 2026 has 28 days.")
        self.assertContains(self.client.post(url, {"next_session": "30/02/2026"}), "Enter the date as YYYY-MM-DD.")
        self.link.refresh_from_db()
        self.assertIsNone(self.link.next_session)

    def test_without_required_approval_a_touch_stage_opens_on_comfort_alone(self):
        from tandem.homework import holds

        self.assertTrue(holds.of_couple(self.couple).approval_required)
        CareLink.objects.filter(pk=self.link.pk).update(stages_need_approval=False)
        self.assertFalse(holds.of_couple(self.couple).approval_required)


class NotesTests(TandemTestCase):
    def test_notes_are_the_therapists_alone(self):
        self.login(self.theo)
        url = reverse("clinic:note_add", args=[self.couple.pk])
        self.client.post(url, {"body": "Discuss pacing next time"})
        self.assertContains(self.client.get(reverse("clinic:couple", args=[self.couple.pk])), "Discuss pacing")
        empty = self.client.post(url, {"body": "   "})
        self.assertContains(empty, "Write the note first.")
        for person in (self.alice, self.bo):
            self.login(person)
            for page in (reverse("home:couple", args=[self.couple.pk]), "/"):
                self.assertNotContains(self.client.get(page), "Discuss pacing")
            self.assertEqual(self.client.post(url, {"body": "x"}).status_code, 404)


class GivingTriggersTests(TandemTestCase):
    def test_the_command_gives_what_is_due(self):
        from django.core.management import call_command

        schedule = schedules.create(
            self.theo.therapist, self.couple, what="exercise", slug="appreciations", cadence="weekly", weeks=2
        )
        HomeworkSchedule.objects.filter(pk=schedule.pk).update(next_on=timezone.localdate())
        call_command("give_scheduled_homework", stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.assertEqual(Assignment.objects.count(), 2)


class ScheduleReviewTests(TandemTestCase):
    """Cases a second reader found in the first version of schedules."""

    def test_two_runs_at_once_give_it_once(self):
        schedule = schedules.create(
            self.theo.therapist, self.couple, what="exercise", slug="appreciations", cadence="once",
            start_on=TODAY, today=TODAY - dt.timedelta(days=1),
        )  # fmt: skip
        stale = HomeworkSchedule.objects.get(pk=schedule.pk)
        self.assertTrue(schedules.give(schedule, TODAY))
        self.assertFalse(schedules.give(stale, TODAY))  # the same row, read before the first gave it
        self.assertEqual(Assignment.objects.count(), 1)

    def test_after_session_follows_a_moved_session(self):
        CareLink.objects.filter(pk=self.link.pk).update(next_session=timezone.localdate() + dt.timedelta(days=3))
        self.login(self.theo)
        self.client.post(
            reverse("clinic:assign", args=[self.couple.pk]),
            {"item": "exercise:appreciations", "cadence": "after_session", "due_days": "3"},
        )
        moved = timezone.localdate() + dt.timedelta(days=10)
        self.client.post(
            reverse("clinic:care_settings", args=[self.couple.pk]),
            {"next_session": moved.isoformat(), "stages_need_approval": "on"},
        )
        self.assertEqual(HomeworkSchedule.objects.get().next_on, moved)

    def test_a_program_keeps_the_message_and_is_not_weekly(self):
        schedules.create(self.theo.therapist, self.couple, what="program", slug="reconnect", cadence="once",
                         message="Hello from Theo")  # fmt: skip
        self.assertEqual(set(Assignment.objects.values_list("message", flat=True)), {"Hello from Theo"})
        with self.assertRaisesMessage(schedules.ScheduleError, "sets its own pace"):
            schedules.create(self.theo.therapist, self.couple, what="program", slug="talking-about-desire",
                             cadence="weekly", weeks=3)  # fmt: skip

    def test_the_couples_own_date_decides(self):
        for person in (self.alice, self.bo):
            person.time_zone = "Pacific/Auckland"
            person.save()
        schedule = schedules.create(
            self.theo.therapist, self.couple, what="exercise", slug="appreciations", cadence="once", due_days=0
        )
        self.assertEqual(schedule.last_problem, "")
        assignment = Assignment.objects.get()
        self.assertEqual(assignment.due_at.astimezone(self.alice.zone).date(), self.alice.today())

    def test_the_caseload_gives_only_its_own_therapists_schedules(self):
        from tandem.testkit.base import link_therapist, make_couple, make_person

        theirs = make_couple(make_person("u1@example.org", "U1"), make_person("u2@example.org", "U2"))
        link_therapist(theirs, self.una)
        HomeworkSchedule.objects.create(
            therapist=self.una.therapist, couple=theirs, slug="appreciations", title="Appreciations",
            next_on=timezone.localdate() - dt.timedelta(days=1),
        )  # fmt: skip
        self.login(self.theo)
        self.client.get(reverse("clinic:caseload"))
        self.assertFalse(Assignment.objects.filter(couple=theirs).exists())

    def test_missed_weeks_count_as_gone(self):
        schedule = schedules.create(
            self.theo.therapist, self.couple, what="exercise", slug="appreciations", cadence="weekly", weeks=3,
            start_on=TODAY, today=TODAY,
        )  # fmt: skip
        self.assertEqual(schedule.times_left, 2)
        schedules.give_due(TODAY + dt.timedelta(weeks=5))  # nobody looked for five weeks
        schedule.refresh_from_db()
        self.assertEqual(Assignment.objects.count(), 2)
        self.assertFalse(schedule.active)
