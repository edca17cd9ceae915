"""A new couple's empty Celebrate page says what it is for and where to begin."""

from django.urls import reverse

from tandem.testkit.base import TandemTestCase
from tandem.testkit.pages import empty_states, primary_buttons
from tandem.wins.models import Win


class EmptyCelebrateTests(TandemTestCase):
    def url(self):
        return reverse("wins:celebrate", args=[self.couple.pk])

    def test_nothing_yet_points_to_the_small_win_form(self):
        self.login(self.alice)
        response = self.client.get(self.url())
        [state] = empty_states(response)
        self.assertIn("The small wins and thank-yous you both write show up here", state["text"])
        [link] = state["links"]
        self.assertEqual((link["text"], link["href"]), ("Write down a small win", "#win-heading"))
        self.assertContains(response, 'id="win-heading"')
        self.assertEqual(primary_buttons(response), 1)  # "Share the win"

    def test_a_win_replaces_the_empty_state(self):
        Win.objects.create(couple=self.couple, author=self.bo, text="Cooked together", visibility="shared")
        self.login(self.alice)
        response = self.client.get(self.url())
        self.assertEqual(empty_states(response), [])
        self.assertContains(response, "Cooked together")
