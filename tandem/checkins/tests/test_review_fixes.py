"""Edge cases a second reader found: defaults, closed spaces, windows."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tandem.checkins.models import CheckIn, RapidCheckIn, Schedule
from tandem.checkins.services import capacity_overlap
from tandem.couples.services import leave_couple
from tandem.seasons import services as seasons
from tandem.testkit.base import TandemTestCase, make_couple, make_person

GOOD = {"mood": "3", "energy": "3", "stress": "3", "closeness": "3", "capacity": ["talk"], "visibility": "private"}


class DefaultVisibilityTests(TandemTestCase):
    def setUp(self):
        Schedule.objects.create(user=self.alice, default_visibility="private")
        self.login(self.alice)

    def test_both_forms_start_from_my_private_default(self):
        page = self.client.get(reverse("checkins:today", args=[self.couple.pk])).content.decode()
        self.assertNotIn('value="shared" required id="id_visibility_0" checked', page)
        self.assertEqual(page.count('value="private"'), page.count('value="private" required') or 2)
        self.assertIn("checked", page.split('value="private"')[1][:40])
        self.assertIn("checked", page.split('value="private"')[2][:40])

    def test_a_refused_rapid_check_in_keeps_the_private_default(self):
        self.client.post(reverse("checkins:today", args=[self.couple.pk]), GOOD)
        response = self.client.post(reverse("checkins:rapid", args=[self.couple.pk]), {"colour": "purple"})
        page = response.content.decode()
        self.assertIn("You already checked in today", page)
        full_form = page.split("checkin-form")[1]
        self.assertIn("checked", full_form.split('value="private"')[1][:40])
        self.assertFalse(RapidCheckIn.objects.exists())


class OverlapTests(TandemTestCase):
    def test_my_private_check_in_takes_no_part(self):
        for user, visibility in ((self.alice, "private"), (self.bo, "shared")):
            CheckIn.objects.create(
                couple=self.couple,
                author=user,
                local_date=user.today(),
                mood=3,
                energy=3,
                stress=3,
                closeness=3,
                capacity=["talk"],
                visibility=visibility,
            )
        overlap = capacity_overlap(self.couple, self.alice)
        self.assertEqual(overlap.both, [])
        self.assertTrue(overlap.i_checked_in)


class ClosedSpaceTests(TandemTestCase):
    def test_a_check_in_in_a_closed_space_stays_there(self):
        self.login(self.alice)
        self.client.post(reverse("checkins:today", args=[self.couple.pk]), {**GOOD, "note": "old space"})
        leave_couple(self.couple)
        new = make_couple(self.alice, make_person("new@example.org", "Nia"))
        page = self.client.get(reverse("checkins:today", args=[new.pk]))
        self.assertNotContains(page, "old space")
        self.client.post(reverse("checkins:today", args=[new.pk]), {**GOOD, "note": "new space"})
        self.assertEqual(
            set(CheckIn.objects.values_list("couple_id", "note")),
            {(self.couple.pk, "old space"), (new.pk, "new space")},
        )


class SuggestionWindowTests(TandemTestCase):
    def high(self, days_ago: int, n: int = 3):
        for i in range(n):
            item = CheckIn.objects.create(
                couple=self.couple,
                author=self.bo,
                local_date=self.bo.today() - timedelta(days=days_ago + i),
                mood=3,
                energy=3,
                stress=5,
                closeness=3,
                visibility="shared",
            )
            CheckIn.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days_ago + i))

    def test_old_check_ins_do_not_count(self):
        self.high(400)
        self.assertFalse(seasons.should_suggest(self.couple))

    def test_not_suggested_again_right_after_a_season(self):
        self.high(1)
        self.assertTrue(seasons.should_suggest(self.couple))
        season = seasons.start(self.couple, self.alice, reason="work", reason_shared=False, expected_weeks=1)
        seasons.ready_to_end(season, self.alice)
        seasons.ready_to_end(season, self.bo)
        self.assertFalse(seasons.should_suggest(self.couple))


class HeldOptInTests(TandemTestCase):
    def test_no_opt_in_to_held_homework(self):
        from tandem.homework import services
        from tandem.testkit.base import make_assignment

        touch = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
        seasons.start(self.couple, self.alice, reason="health", reason_shared=False, expected_weeks=2)
        with self.assertRaisesMessage(services.HomeworkError, "Held during your hard season"):
            services.opt_in(touch, self.bo)
