from datetime import date, timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from tandem.homework import debriefs, kinds, services
from tandem.homework.content import library
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase, make_assignment


class TouchTests(TandemTestCase):
    def setUp(self):
        self.assignment = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
        services.opt_in(self.assignment, self.bo)

    def test_session_starts_only_when_both_are_ready_today(self):
        kinds.touch.ready_today(self.assignment, self.alice)
        self.assertFalse(kinds.touch.session_open(self.assignment))
        with self.assertRaisesMessage(services.HomeworkError, "both of you are ready on the same day"):
            kinds.touch.mark_done(self.assignment, self.alice)
        self.login(self.bo)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk]))
        # Bo is never told Alice is waiting on them, nor anything like a refusal.
        self.assertNotContains(page, "Alice is ready")
        self.assertContains(page, "ready today")
        kinds.touch.ready_today(self.assignment, self.bo)
        self.assertTrue(kinds.touch.session_open(self.assignment))

    def test_yesterdays_ready_does_not_count(self):
        kinds.touch.ready_today(self.assignment, self.alice)
        kinds.touch.ready_today(self.assignment, self.bo)
        tomorrow = lambda user: kinds.touch.today_for(user) + timedelta(days=1)  # noqa: E731
        self.assertFalse(kinds.touch.session_open(self.assignment, today=tomorrow))

    def test_ready_uses_each_partners_own_time_zone(self):
        self.alice.refresh_from_db()
        self.bo.refresh_from_db()
        self.alice.time_zone = "Pacific/Kiritimati"  # UTC+14
        self.bo.time_zone = "Pacific/Pago_Pago"  # UTC-11
        self.alice.save()
        self.bo.save()
        self.assertNotEqual(kinds.touch.today_for(self.alice), kinds.touch.today_for(self.bo))
        kinds.touch.ready_today(self.assignment, self.alice)
        kinds.touch.ready_today(self.assignment, self.bo)
        self.assertTrue(kinds.touch.session_open(self.assignment))

    def test_not_today_is_just_another_day(self):
        kinds.touch.ready_today(self.assignment, self.alice)
        kinds.touch.not_today(self.assignment, self.alice)
        part = self.assignment.parts.get(user=self.alice)
        self.assertIsNone(part.ready_on)

    def complete_stage(self, comfortable=(True, True)):
        kinds.touch.ready_today(self.assignment, self.alice)
        kinds.touch.ready_today(self.assignment, self.bo)
        kinds.touch.mark_done(self.assignment, self.alice)
        kinds.touch.mark_done(self.assignment, self.bo)
        for user, ok in zip((self.alice, self.bo), comfortable, strict=True):
            debriefs.debrief(self.assignment, user, feeling=4, comfortable=ok)

    def stage_two(self):
        for user in (self.alice, self.bo):
            user.consent_level = 2
            user.save()
        return services.propose(self.couple, library().exercise("sensate-focus-2"), self.alice)

    def test_next_stage_needs_both_comfortable_and_therapist_approval(self):
        self.complete_stage(comfortable=(True, False))
        with self.assertRaisesMessage(services.HomeworkError, "stage opens"):
            self.stage_two()
        # Bo changes their debrief: now both are comfortable; the therapist is linked, so approval is needed.
        debriefs.debrief(self.assignment, self.bo, feeling=4, comfortable=True)
        with self.assertRaisesMessage(services.HomeworkError, "therapist has approved"):
            self.stage_two()
        self.login(self.theo)
        page = self.client.get(reverse("clinic:couple", args=[self.couple.pk]))
        self.assertContains(page, "Approve the next stage")
        self.client.post(reverse("clinic:approve_stage", args=[self.couple.pk, self.assignment.pk]))
        self.assertEqual(self.stage_two().exercise.slug, "sensate-focus-2")

    def test_without_a_therapist_both_comfortable_is_enough(self):
        self.link.status = "ended"
        self.link.save()
        self.complete_stage()
        self.assertEqual(self.stage_two().status, Assignment.Status.PROPOSED)

    def test_touch_debrief_requires_the_comfort_answer(self):
        kinds.touch.ready_today(self.assignment, self.alice)
        kinds.touch.ready_today(self.assignment, self.bo)
        kinds.touch.mark_done(self.assignment, self.alice)
        kinds.touch.mark_done(self.assignment, self.bo)
        self.login(self.alice)
        url = reverse("homework:debrief", args=[self.couple.pk, self.assignment.pk])
        response = self.client.post(url, {"feeling": "4", "visibility": "private", "word": "calm"})
        self.assertContains(response, "Say whether this stage felt comfortable")
        self.assertContains(response, 'value="calm"')

    def test_therapist_approval_is_audited_and_other_therapists_get_404(self):
        self.complete_stage()
        url = reverse("clinic:approve_stage", args=[self.couple.pk, self.assignment.pk])
        self.login(self.una)
        self.assertEqual(self.client.post(url).status_code, 404)
        self.login(self.theo)
        self.client.post(url)
        from tandem.clinic.models import AuditEntry

        self.assertTrue(AuditEntry.objects.filter(object_type="homework.assignment").exists())

    def test_today_for_falls_back_to_utc(self):
        with mock.patch.object(self.alice, "time_zone", "Not/AZone"):
            self.assertIsInstance(kinds.touch.today_for(self.alice), date)


class TouchHoldTests(TandemTestCase):
    def test_a_lowered_consent_level_holds_the_session_without_naming_anyone(self):
        assignment = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
        services.opt_in(assignment, self.bo)
        self.bo.refresh_from_db()
        self.bo.consent_level = 0
        self.bo.save()
        with self.assertRaisesMessage(services.HomeworkError, "fits what you are both open to"):
            kinds.touch.ready_today(assignment, self.alice)

    def test_done_still_works_after_midnight_once_the_session_began(self):
        assignment = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
        services.opt_in(assignment, self.bo)
        kinds.touch.ready_today(assignment, self.alice)
        kinds.touch.ready_today(assignment, self.bo)
        assignment.refresh_from_db()
        self.assertIsNotNone(assignment.session_opened_at)
        later = timezone.now() + timedelta(days=1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            kinds.touch.mark_done(assignment, self.alice)
            kinds.touch.mark_done(assignment, self.bo)
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.COMPLETED)
        with self.assertRaisesMessage(services.HomeworkError, "already started"):
            kinds.touch.not_today(assignment, self.alice)
