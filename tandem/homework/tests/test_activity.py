from django.urls import reverse

from tandem.homework import kinds, services
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase, make_assignment


class ActivityTests(TandemTestCase):
    def run_activity(self, by):
        assignment = make_assignment(self.couple, "cooperative-challenge", by=by)
        services.opt_in(assignment, self.bo if by == self.alice else self.alice)
        return assignment

    def test_the_planner_alternates(self):
        planners = []
        for by in (self.alice, self.alice, self.bo, self.alice):
            planners.append(self.run_activity(by).planner)
        self.assertEqual(planners, [self.alice, self.bo, self.alice, self.bo])

    def test_only_the_planner_plans_and_both_must_mark_done(self):
        assignment = self.run_activity(self.alice)
        self.login(self.bo)
        url = reverse("homework:step", args=[self.couple.pk, assignment.pk, "plan"])
        self.assertContains(
            self.client.post(url, {"body": "Bake bread"}, follow=True), "Your partner is planning this one"
        )
        self.login(self.alice)
        self.client.post(url, {"body": "Bake bread on Saturday"})
        self.login(self.bo)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, assignment.pk]))
        self.assertContains(page, "Bake bread on Saturday")
        kinds.activity.mark_done(assignment, self.alice)
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.ACTIVE)
        kinds.activity.mark_done(assignment, self.bo)
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.COMPLETED)

    def test_shared_load_page_shows_one_balance(self):
        for by in (self.alice, self.bo, self.alice):
            self.run_activity(by)
        self.login(self.bo)
        page = self.client.get(reverse("homework:load", args=[self.couple.pk]))
        self.assertContains(page, "Planning")
        self.assertNotContains(page, "behind")
        # A balance in words and one bar, not each person's count.
        self.assertContains(page, 'data-testid="balance"')
        self.assertNotContains(page, "<meter")
        self.assertNotRegex(page.content.decode(), r"(You|Alice|Bo): \d")

    def test_the_balance_is_said_in_words_for_the_pair(self):
        from tandem.homework.views import load_balance

        self.assertEqual(load_balance(0, 0, self.bo), {"total": 0})
        self.assertEqual(load_balance(3, 3, self.bo)["words"], "About even")
        self.assertEqual(load_balance(5, 4, self.bo)["words"], "About even")
        self.assertEqual(load_balance(4, 1, self.bo)["words"], "Lately more often you")
        self.assertEqual(load_balance(1, 4, self.bo)["words"], "Lately more often Bo")
        self.assertEqual(load_balance(1, 3, self.bo)["mine_pct"], 25)
        # The nudge is for both, once it is mostly one of them over a few times.
        self.assertFalse(load_balance(2, 0, self.bo)["lopsided"])
        self.assertTrue(load_balance(1, 4, self.bo)["lopsided"])
