from datetime import date

from django.urls import reverse

from tandem.checkins.models import Schedule
from tandem.testkit.base import TandemTestCase


class ScheduleTests(TandemTestCase):
    def post(self, **data):
        self.login(self.alice)
        return self.client.post(
            reverse("checkins:schedule"), {"frequency": "daily", "default_visibility": "shared", **data}
        )

    def test_some_weekdays(self):
        self.post(frequency="weekdays", weekdays=["1", "3"], track_desire="on")
        schedule = Schedule.objects.get(user=self.alice)
        self.assertEqual(schedule.weekdays, [1, 3])
        self.assertTrue(schedule.due_on(date(2027, 3, 1)))  # a Monday
        self.assertFalse(schedule.due_on(date(2027, 3, 2)))

    def test_bad_input(self):
        self.assertContains(self.post(frequency="weekdays"), "Pick at least one day")
        self.assertContains(self.post(frequency="weekly", weekdays=["1", "2"]), "pick exactly one day")
        self.assertContains(self.post(frequency="hourly"), "Select a valid choice")
        self.assertContains(self.post(frequency="weekdays", weekdays=["9"]), "Pick days from Monday to Sunday")
        self.assertFalse(Schedule.objects.exists())

    def test_off_means_no_nudge_on_home(self):
        self.login(self.alice)
        self.assertContains(self.client.get("/"), "A check-in today?")
        self.post(frequency="off")
        self.assertNotContains(self.client.get("/"), "A check-in today?")

    def test_overlap_on_the_couple_page(self):
        from tandem.checkins.models import CheckIn

        for user in (self.alice, self.bo):
            CheckIn.objects.create(
                couple=self.couple,
                author=user,
                local_date=user.today(),
                mood=3,
                energy=3,
                stress=3,
                closeness=3,
                capacity=["talk", "play"],
                visibility="shared",
            )
        self.login(self.bo)
        self.assertContains(self.client.get(reverse("home:couple", args=[self.couple.pk])), "You both have room for:")
        self.assertContains(self.client.get("/"), "<strong>talk, play</strong>", html=False)
