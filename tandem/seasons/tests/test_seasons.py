from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from tandem.checkins.models import CheckIn, RapidCheckIn
from tandem.homework import kinds, programs, services
from tandem.homework.content import library
from tandem.homework.models import Assignment
from tandem.seasons import services as seasons
from tandem.seasons.models import HardSeason
from tandem.testkit.base import TandemTestCase, make_assignment


def checkin(couple, author, day: int, stress: int, visibility="shared"):
    return CheckIn.objects.create(
        couple=couple,
        author=author,
        local_date=date(2027, 1, day),
        mood=3,
        energy=3,
        stress=stress,
        closeness=3,
        visibility=visibility,
    )


class SuggestionTests(TandemTestCase):
    def test_three_of_the_last_five_high_stress_check_ins(self):
        for day, stress in enumerate([4, 2, 5, 1, 4], start=1):
            checkin(self.couple, self.bo, day, stress)
        self.assertTrue(seasons.should_suggest(self.couple))

    def test_just_below_two_of_five(self):
        for day, stress in enumerate([4, 2, 5, 1, 3], start=1):
            checkin(self.couple, self.bo, day, stress)
        self.assertFalse(seasons.should_suggest(self.couple))

    def test_only_the_last_five_count(self):
        # Three high ones, but the oldest falls outside the last five.
        for day, stress in enumerate([5, 4, 4, 1, 1, 1], start=1):
            checkin(self.couple, self.bo, day, stress)
        self.assertFalse(seasons.should_suggest(self.couple))

    def test_private_check_ins_never_cause_a_suggestion(self):
        for day in range(1, 6):
            checkin(self.couple, self.bo, day, 5, visibility="private")
        self.assertFalse(seasons.should_suggest(self.couple))

    def rapid(self, colour, days_ago, author=None):
        item = RapidCheckIn.objects.create(
            couple=self.couple, author=author or self.alice, local_date=date.today(), colour=colour, visibility="shared"
        )
        RapidCheckIn.objects.filter(pk=item.pk).update(created_at=timezone.now() - timedelta(days=days_ago))

    def test_two_reds_in_a_week(self):
        self.rapid("red", 1)
        self.assertFalse(seasons.should_suggest(self.couple))
        self.rapid("red", 6)
        self.assertTrue(seasons.should_suggest(self.couple))

    def test_reds_more_than_a_week_apart_or_from_different_partners(self):
        self.rapid("red", 1)
        self.rapid("red", 8)
        self.rapid("red", 2, author=self.bo)
        self.assertFalse(seasons.should_suggest(self.couple))

    def test_suggestion_shows_but_never_switches_on(self):
        for day in range(1, 4):
            checkin(self.couple, self.bo, day, 5)
        self.login(self.alice)
        page = self.client.get(reverse("checkins:recent", args=[self.couple.pk]))
        self.assertContains(page, "Consider a hard season")
        self.assertFalse(HardSeason.objects.exists())


class SeasonTests(TandemTestCase):
    def start(self, user=None, **data):
        self.login(user or self.alice)
        return self.client.post(
            reverse("seasons:season", args=[self.couple.pk]),
            {"reason": "work", "expected_weeks": "2", **data},
        )

    def test_reason_is_private_unless_shared(self):
        self.start()
        self.login(self.bo)
        page = self.client.get(reverse("seasons:season", args=[self.couple.pk]))
        self.assertContains(page, "On since")
        self.assertNotContains(page, "(work)")
        HardSeason.objects.update(reason_shared=True)
        self.assertContains(self.client.get(reverse("seasons:season", args=[self.couple.pk])), "(work)")

    def test_bad_input(self):
        self.assertContains(self.start(reason="boredom"), "Pick one of the listed reasons")
        self.assertContains(self.start(expected_weeks="99"), "Choose one of the listed lengths")
        self.assertFalse(HardSeason.objects.exists())

    def test_second_start_says_it_is_on(self):
        self.start()
        response = self.client.post(
            reverse("seasons:season", args=[self.couple.pk]), {"reason": "health", "expected_weeks": "1"}, follow=True
        )
        self.assertContains(response, "already on")
        self.assertEqual(HardSeason.objects.count(), 1)

    def test_holds_intimacy_homework_and_program_steps_then_resumes_after_both_are_ready(self):
        touch = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
        services.opt_in(touch, self.bo)
        Assignment.objects.filter(pk=touch.pk).update(due_at=timezone.now() + timedelta(days=1))
        run = programs.start(self.couple, library().programs["reconnect"], self.alice)
        first = programs.progress(run).current
        for user in (self.alice, self.bo):
            services.opt_in(first, user)
        self.start()
        season = HardSeason.objects.get()
        # Held, not failed: no step, no new proposal, no lapse.
        with self.assertRaisesMessage(services.HomeworkError, "Held during your hard season"):
            kinds.touch.ready_today(touch, self.alice)
        with self.assertRaisesMessage(services.HomeworkError, "Held during your hard season"):
            services.propose(self.couple, library().exercise("tactile-game"), self.alice)
        Assignment.objects.filter(pk=touch.pk).update(due_at=timezone.now() - timedelta(hours=1))
        Assignment.objects.lapse_overdue()
        touch.refresh_from_db()
        self.assertEqual(touch.status, Assignment.Status.ACTIVE)
        # Lighter homework still works.
        services.propose(self.couple, library().exercise("appreciations"), self.alice)
        # The program's next step waits.
        kinds.checkin.answer(first, self.alice, "ok")
        kinds.checkin.answer(first, self.bo, "ok")
        self.assertIn("hard season", programs.progress(run).waiting_reason)

        # Ending needs both.
        self.assertFalse(seasons.ready_to_end(season, self.alice))
        HardSeason.objects.filter(pk=season.pk).update(started_at=timezone.now() - timedelta(days=3))
        self.assertTrue(seasons.ready_to_end(season, self.bo))
        touch.refresh_from_db()
        self.assertGreater(touch.due_at, timezone.now() + timedelta(days=2))  # moved on by the season's length
        self.assertIsNotNone(programs.progress(run).current)  # the program moved on by itself

    def test_ready_view_and_rapid_first(self):
        self.start()
        self.login(self.bo)
        page = self.client.get(reverse("checkins:today", args=[self.couple.pk]))
        self.assertContains(page, "One tap is enough in a hard season")
        self.client.post(reverse("seasons:ready", args=[self.couple.pk]))
        self.login(self.alice)
        response = self.client.post(reverse("seasons:ready", args=[self.couple.pk]), follow=True)
        self.assertContains(response, "You came through it together")
        self.assertIsNotNone(HardSeason.objects.get().ended_at)
