from django.urls import reverse

from tandem.homework import kinds, services
from tandem.homework.models import Debrief
from tandem.testkit.base import TandemTestCase, make_assignment


class DebriefTests(TandemTestCase):
    def setUp(self):
        self.assignment = make_assignment(self.couple, "cooperative-challenge", by=self.alice)
        services.opt_in(self.assignment, self.bo)

    def url(self):
        return reverse("homework:debrief", args=[self.couple.pk, self.assignment.pk])

    def finish(self):
        kinds.activity.mark_done(self.assignment, self.alice)
        kinds.activity.mark_done(self.assignment, self.bo)

    def test_debrief_waits_for_completion(self):
        self.login(self.alice)
        response = self.client.post(self.url(), {"feeling": "4", "visibility": "private"}, follow=True)
        self.assertContains(response, "opens once you have both done your parts")
        self.assertFalse(Debrief.objects.exists())

    def test_private_by_default_and_shared_by_choice(self):
        self.finish()
        self.login(self.alice)
        self.client.post(self.url(), {"feeling": "5", "word": "giddy", "note": "secret note", "visibility": "private"})
        self.login(self.bo)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk]))
        self.assertNotContains(page, "secret note")
        self.assertNotContains(page, "giddy")
        self.client.post(self.url(), {"feeling": "3", "word": "tired", "visibility": "shared"})
        self.login(self.alice)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk]))
        self.assertContains(page, "tired")

    def test_bad_input(self):
        self.finish()
        self.login(self.alice)
        for data, message in (
            ({"visibility": "private"}, "Pick how it felt"),
            ({"feeling": "9", "visibility": "private"}, "Pick how it felt"),
            ({"feeling": "3", "word": "x" * 31, "visibility": "private"}, "One word is plenty"),
            ({"feeling": "3", "visibility": "care_team_and_friends"}, "Choose who reads"),
        ):
            with self.subTest(data=data):
                self.assertContains(self.client.post(self.url(), data), message)
        self.assertFalse(Debrief.objects.exists())


class CheckinStepTests(TandemTestCase):
    def test_both_check_in_and_it_completes(self):
        assignment = make_assignment(self.couple, "daily-check-in", by=self.alice)
        services.opt_in(assignment, self.bo)
        url = reverse("homework:step", args=[self.couple.pk, assignment.pk, "checkin"])
        self.login(self.alice)
        self.client.post(url, {"body": "Tired but glad"})
        self.login(self.bo)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, assignment.pk]))
        self.assertContains(page, "Tired but glad")
        self.client.post(url, {"body": "Good day"})
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, "completed")
