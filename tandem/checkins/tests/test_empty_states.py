"""A new couple's empty check-in pages say what they are for and how to fill them."""

from django.urls import reverse

from tandem.testkit.base import TandemTestCase
from tandem.testkit.pages import empty_states, primary_buttons


class EmptyCheckInPagesTests(TandemTestCase):
    def test_history_says_what_it_shows_and_links_to_checking_in(self):
        self.login(self.alice)
        response = self.client.get(reverse("checkins:recent", args=[self.couple.pk]))
        [state] = empty_states(response)
        self.assertIn("Each day one of you checks in shows up here as a card", state["text"])
        [link] = state["links"]
        self.assertEqual(
            (link["text"], link["href"]), ("Check in for today", reverse("checkins:today", args=[self.couple.pk]))
        )
        self.assertNotIn("primary", link["class"])  # "Check in now" at the top is the page's one primary action
        self.assertEqual(primary_buttons(response), 1)

    def test_progress_without_check_ins_links_to_checking_in(self):
        self.login(self.alice)
        response = self.client.get(reverse("checkins:progress", args=[self.couple.pk]))
        [state] = empty_states(response)
        self.assertIn("No check-ins in this period yet.", state["text"])
        self.assertEqual(state["links"][0]["href"], reverse("checkins:today", args=[self.couple.pk]))

    def test_progress_with_a_check_in_has_no_empty_state(self):
        from tandem.checkins.tests.test_progress import fill

        fill(self.couple, self.bo, 1)
        self.login(self.alice)
        self.assertEqual(empty_states(self.client.get(reverse("checkins:progress", args=[self.couple.pk]))), [])
