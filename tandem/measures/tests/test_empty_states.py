"""A partner's empty measures page says what it is for, and leads to the one that is due."""

from django.urls import reverse

from tandem.measures.tests.helpers import plan
from tandem.testkit.base import TandemTestCase
from tandem.testkit.pages import empty_states


class EmptyMeasuresTests(TandemTestCase):
    def url(self):
        return reverse("measures:overview", args=[self.couple.pk])

    def test_no_scores_and_nothing_due_says_the_therapist_asks(self):
        self.login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "When your therapist asks for one, it shows up here.")
        [state] = empty_states(response)
        self.assertIn("your scores show up here as a chart", state["text"])
        self.assertEqual(state["links"], [])  # nothing a partner can start alone

    def test_no_scores_with_one_due_points_to_the_link_above_once(self):
        plan(self.couple, self.alice, "gad7", self.theo)
        self.login(self.alice)
        response = self.client.get(self.url())
        [state] = empty_states(response)
        self.assertIn("Once you fill in the questionnaire above", state["text"])
        self.assertEqual(state["links"], [])  # the "To fill in" link is the one next step
        self.assertContains(response, reverse("measures:fill", args=[self.couple.pk, "gad7"]), count=1)
