from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tandem.homework import debriefs, kinds, programs, services
from tandem.homework.content import ProgramStep, library
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase


def finish(assignment, a, b):
    """Both partners do their part of any kind of homework."""
    if assignment.status == Assignment.Status.PROPOSED:
        for part in assignment.parts.filter(opted_in_at__isnull=True):
            services.opt_in(assignment, part.user)
        assignment.refresh_from_db()
    kind = assignment.kind
    if kind == "write_then_share":
        kinds.write_then_share.submit_answer(assignment, a, "from a")
        kinds.write_then_share.submit_answer(assignment, b, "from b")
    elif kind == "checkin":
        kinds.checkin.answer(assignment, a, "ok")
        kinds.checkin.answer(assignment, b, "ok")
    elif kind == "activity":
        kinds.activity.mark_done(assignment, a)
        kinds.activity.mark_done(assignment, b)
    elif kind == "touch":
        kinds.touch.ready_today(assignment, a)
        kinds.touch.ready_today(assignment, b)
        kinds.touch.mark_done(assignment, a)
        kinds.touch.mark_done(assignment, b)
    elif kind == "joint_journal":
        kinds.joint_journal.agree_on(assignment)
        kinds.joint_journal.perspective(assignment, a, "a")
        kinds.joint_journal.perspective(assignment, b, "b")
        kinds.joint_journal.restate(assignment, a, "heard b")
        kinds.joint_journal.restate(assignment, b, "heard a")
        kinds.joint_journal.next_time(assignment, a, "try")
        kinds.joint_journal.done(assignment, a)
        kinds.joint_journal.done(assignment, b)
    else:  # listening
        for speaker, listener in ((a, b), (b, a)):
            kinds.listening.say(assignment, speaker, "message", "m")
            kinds.listening.say(assignment, listener, "restatement", "r")
            kinds.listening.say(assignment, speaker, "confirmation")
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.COMPLETED, assignment.status


class OccurrenceTests(TandemTestCase):
    def test_steps_unroll_by_times(self):
        steps = [ProgramStep("appreciations", "once", 1, 1), ProgramStep("rapid-check-in", "daily", 3, 1)]
        items = programs.occurrences(steps)
        self.assertEqual(
            [(o.step.exercise, o.repeat) for o in items],
            [("appreciations", 1)] + [("rapid-check-in", i) for i in (1, 2, 3)],
        )


class ProgramFlowTests(TandemTestCase):
    def start(self, slug="hard-season"):
        return programs.start(self.couple, library().programs[slug], self.alice)

    def test_whole_hard_season_program_at_the_pace_of_both(self):
        run = self.start()
        total = programs.progress(run).total
        for index in range(total):
            current = programs.progress(run).current
            self.assertIsNotNone(current, f"step {index} did not open")
            self.assertEqual(current.step_index, index)
            # Only one step is ever open.
            self.assertEqual(run.assignments.open().count(), 1)
            finish(current, self.alice, self.bo)
        run.refresh_from_db()
        self.assertIsNotNone(run.finished_at)
        self.assertEqual(programs.progress(run).percent, 100)

    def test_the_next_step_waits_for_the_slower_partner(self):
        run = self.start()
        first = programs.progress(run).current
        services.opt_in(first, self.alice)
        services.opt_in(first, self.bo)
        kinds.write_then_share.submit_answer(first, self.alice, "done quickly")
        self.assertEqual(run.assignments.count(), 1)  # Bo hasn't written: nothing new opens

    def test_a_lapsed_step_holds_the_program_until_renewed(self):
        run = self.start()
        first = programs.progress(run).current
        Assignment.objects.filter(pk=first.pk).update(due_at=timezone.now() - timedelta(hours=1))
        Assignment.objects.lapse_overdue()
        self.assertEqual(run.assignments.count(), 1)
        fresh = services.renew(Assignment.objects.get(pk=first.pk), self.bo)
        self.assertEqual((fresh.program_run_id, fresh.step_index), (run.pk, 0))
        finish(fresh, self.alice, self.bo)
        self.assertEqual(programs.progress(run).current.step_index, 1)

    def test_a_step_above_the_couples_level_waits_without_naming_anyone(self):
        run = self.start("talking-about-desire")
        # Run until the step that needs more than talk.
        while (current := programs.progress(run).current) is not None:
            finish(current, self.alice, self.bo)
        state = programs.progress(run)
        self.assertIn("fits what you are both open to", state.waiting_reason)
        self.login(self.bo)
        page = self.client.get(reverse("homework:program", args=[self.couple.pk, run.pk]))
        self.assertContains(page, "fits what you are both open to")
        # Both raise their level: calling advance opens it.
        for user in (self.alice, self.bo):
            user.consent_level = 3
            user.save()
        self.assertIsNotNone(programs.advance(run))

    def test_sensate_focus_program_waits_for_comfort_and_approval(self):
        for user in (self.alice, self.bo):
            user.consent_level = 3
            user.save()
        run = self.start("sensate-focus")
        steps = programs.run_steps(run)
        first_stage_times = steps[0].times
        for _ in range(first_stage_times):
            current = programs.progress(run).current
            self.assertEqual(current.exercise.slug, "sensate-focus-1")
            finish(current, self.alice, self.bo)
            for user in (self.alice, self.bo):
                debriefs.debrief(current, user, feeling=4, comfortable=True)
        # Stage 2 waits for the linked therapist's approval.
        self.assertIn("felt comfortable", programs.progress(run).waiting_reason)
        last = run.assignments.filter(exercise__slug="sensate-focus-1").order_by("-completed_at").first()
        last.approved_at = timezone.now()
        last.save()
        self.assertEqual(programs.advance(run).exercise.slug, "sensate-focus-2")

    def test_start_stop_and_pages(self):
        self.login(self.alice)
        response = self.client.post(reverse("homework:program_start", args=[self.couple.pk, "reconnect"]))
        run = self.couple.program_runs.get()
        self.assertRedirects(response, reverse("homework:program", args=[self.couple.pk, run.pk]))
        page = self.client.get(reverse("homework:program", args=[self.couple.pk, run.pk]))
        self.assertContains(page, "0 of")
        again = self.client.post(reverse("homework:program_start", args=[self.couple.pk, "reconnect"]), follow=True)
        self.assertContains(again, "already doing this program")
        self.login(self.bo)
        self.client.post(reverse("homework:program_stop", args=[self.couple.pk, run.pk]))
        run.refresh_from_db()
        self.assertIsNotNone(run.stopped_at)
        self.assertFalse(run.assignments.open().exists())

    def test_unknown_program_is_404(self):
        self.login(self.alice)
        self.assertEqual(
            self.client.post(reverse("homework:program_start", args=[self.couple.pk, "nope"])).status_code, 404
        )


class ProgramSafetyTests(TandemTestCase):
    def start(self, slug="hard-season"):
        return programs.start(self.couple, library().programs[slug], self.alice)

    def test_steps_wait_for_a_fresh_yes_from_both(self):
        run = self.start()
        first = programs.progress(run).current
        self.assertFalse(first.parts.exclude(opted_in_at=None).exists())

    def test_renewing_twice_opens_the_step_once(self):
        run = self.start()
        first = programs.progress(run).current
        Assignment.objects.filter(pk=first.pk).update(due_at=timezone.now() - timedelta(hours=1))
        Assignment.objects.lapse_overdue()
        stale = Assignment.objects.get(pk=first.pk)
        services.renew(stale, self.alice)
        with self.assertRaisesMessage(services.HomeworkError, "renewed already"):
            services.renew(stale, self.bo)
        self.assertEqual(run.assignments.open().count(), 1)

    def test_a_set_aside_step_waits_until_offered_again(self):
        run = self.start()
        first = programs.progress(run).current
        services.set_aside(first, self.bo)
        programs.advance_running(self.couple)
        state = programs.progress(run)
        self.assertIsNone(state.current)
        self.assertTrue(state.set_aside)
        self.login(self.alice)
        page = self.client.get(reverse("homework:program", args=[self.couple.pk, run.pk]))
        self.assertContains(page, "Offer this step again")
        self.client.post(reverse("homework:program_offer_again", args=[self.couple.pk, run.pk]))
        self.assertEqual(programs.progress(run).current.step_index, 0)

    def test_touch_program_moves_on_by_itself_after_debriefs_and_approval(self):
        for user in (self.alice, self.bo):
            user.refresh_from_db()
            user.consent_level = 3
            user.save()
        run = self.start("sensate-focus")
        for _ in range(programs.run_steps(run)[0].times):
            current = programs.progress(run).current
            finish(current, self.alice, self.bo)
            for user in (self.alice, self.bo):
                self.login(user)
                self.client.post(
                    reverse("homework:debrief", args=[self.couple.pk, current.pk]),
                    {"feeling": "4", "comfortable": "yes", "visibility": "private"},
                )
        self.assertIsNone(programs.progress(run).current)
        self.login(self.theo)
        self.client.post(reverse("clinic:approve_stage", args=[self.couple.pk, current.pk]))
        self.assertEqual(programs.progress(run).current.exercise.slug, "sensate-focus-2")

    def test_raising_a_consent_level_in_the_profile_moves_a_waiting_program(self):
        run = self.start("talking-about-desire")
        while (current := programs.progress(run).current) is not None:
            finish(current, self.alice, self.bo)
        self.assertIn("open to", programs.progress(run).waiting_reason)
        for user in (self.alice, self.bo):
            self.login(user)
            self.client.post(
                reverse("accounts:profile"),
                {"display_name": user.display_name, "time_zone": "UTC", "language": "en", "consent_level": 2},
            )
        self.assertIsNotNone(programs.progress(run).current)
