from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tandem.homework import kinds, programs, services
from tandem.homework.content import library
from tandem.homework.models import Assignment
from tandem.seasons import services as seasons
from tandem.testkit.base import TandemTestCase, make_assignment
from tandem.wins.models import GratitudeNote, Milestone, Win
from tandem.wins.services import record_milestones


def complete(couple, slug, a, b):
    assignment = make_assignment(couple, slug, by=a)
    services.opt_in(assignment, b)
    if assignment.kind == "activity":
        kinds.activity.mark_done(assignment, a)
        kinds.activity.mark_done(assignment, b)
    else:
        kinds.write_then_share.submit_answer(assignment, a, "a")
        kinds.write_then_share.submit_answer(assignment, b, "b")
    return assignment


class WinTests(TandemTestCase):
    def url(self):
        return reverse("wins:celebrate", args=[self.couple.pk])

    def test_a_win_and_a_thank_you_appear_for_both(self):
        self.login(self.alice)
        self.client.post(self.url(), {"win-text": "We talked it through calmly"})
        self.client.post(self.url(), {"thanks-text": "Thank you for the tea"})
        self.login(self.bo)
        page = self.client.get(self.url())
        self.assertContains(page, "We talked it through calmly")
        self.assertContains(page, "Alice thanked you")
        self.assertContains(self.client.get("/"), "Thank you for the tea")

    def test_bad_input_keeps_the_text(self):
        self.login(self.alice)
        self.assertContains(self.client.post(self.url(), {"win-text": ""}), "Write the win first")
        long = "w" * 281
        response = self.client.post(self.url(), {"win-text": long})
        self.assertContains(response, "under 280 characters (it has 281)")
        self.assertContains(response, long)
        self.assertContains(self.client.post(self.url(), {"thanks-text": "t" * 501}), "under 500 characters")
        self.assertFalse(Win.objects.exists() or GratitudeNote.objects.exists())

    def test_no_streaks_anywhere(self):
        complete(self.couple, "appreciations", self.alice, self.bo)
        self.login(self.alice)
        for url in (self.url(), "/", reverse("homework:this_week", args=[self.couple.pk])):
            body = self.client.get(url).content.decode().lower()
            for word in ("streak", "missed", "broke", "behind"):
                self.assertNotIn(word, body, f"{word} on {url}")


class MilestoneTests(TandemTestCase):
    def kinds(self):
        return set(Milestone.objects.filter(couple=self.couple).values_list("kind", flat=True))

    def test_nothing_before_anything_happened(self):
        self.assertEqual(record_milestones(self.couple), [])

    def test_first_homework(self):
        complete(self.couple, "appreciations", self.alice, self.bo)
        self.assertEqual(self.kinds(), {"first_homework"})
        self.login(self.bo)
        self.assertContains(self.client.get("/"), "Your first homework, done together")

    def test_four_connection_conversations_not_three(self):
        for _ in range(3):
            complete(self.couple, "weekly-connection-conversation", self.alice, self.bo)
        self.assertNotIn("four_conversations", self.kinds())
        complete(self.couple, "weekly-connection-conversation", self.bo, self.alice)
        self.assertIn("four_conversations", self.kinds())
        self.assertEqual(Milestone.objects.filter(kind="four_conversations").count(), 1)

    def test_program_finished_and_hard_season_weathered(self):
        run = programs.start(self.couple, library().programs["hard-season"], self.alice)
        from tandem.homework.tests.test_programs import finish

        while (current := programs.progress(run).current) is not None:
            finish(current, self.alice, self.bo)
        self.assertIn("program_finished", self.kinds())
        season = seasons.start(self.couple, self.alice, reason="work", reason_shared=False, expected_weeks=1)
        seasons.ready_to_end(season, self.alice)
        self.assertNotIn("season_weathered", self.kinds())
        seasons.ready_to_end(season, self.bo)
        self.assertIn("season_weathered", self.kinds())

    def test_recorded_once_however_often_checked(self):
        complete(self.couple, "appreciations", self.alice, self.bo)
        record_milestones(self.couple)
        record_milestones(self.couple)
        self.assertEqual(Milestone.objects.count(), 1)

    def test_old_milestones_leave_the_home_page(self):
        complete(self.couple, "appreciations", self.alice, self.bo)
        Milestone.objects.update(achieved_at=timezone.now() - timedelta(days=8))
        self.login(self.alice)
        self.assertNotContains(self.client.get("/"), "Something to celebrate")
        self.assertEqual(Assignment.objects.count(), 1)


class MoreMilestoneTests(TandemTestCase):
    def test_a_touch_stage_completed_is_celebrated_once(self):
        for _ in range(2):
            touch = make_assignment(self.couple, "sensate-focus-1", by=self.alice)
            services.opt_in(touch, self.bo)
            kinds.touch.ready_today(touch, self.alice)
            kinds.touch.ready_today(touch, self.bo)
            kinds.touch.mark_done(touch, self.alice)
            kinds.touch.mark_done(touch, self.bo)
        self.assertEqual(Milestone.objects.filter(kind="stage_finished", ref="1").count(), 1)

    def test_a_win_shows_on_home_for_both(self):
        Win.objects.create(couple=self.couple, author=self.alice, text="Laughed a lot", visibility="shared")
        self.login(self.bo)
        self.assertContains(self.client.get("/"), "Laughed a lot")

    def test_hard_season_banner_on_home(self):
        seasons.start(self.couple, self.alice, reason="work", reason_shared=False, expected_weeks=2)
        self.login(self.bo)
        page = self.client.get("/")
        self.assertContains(page, "Hard season on")
        self.assertNotContains(page, "(work)")
        self.assertNotContains(page, "Work")
