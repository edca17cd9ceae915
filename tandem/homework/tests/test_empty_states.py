"""A new couple's empty homework pages say what they are for and how to fill them."""

from django.urls import reverse

from tandem.testkit.base import TandemTestCase
from tandem.testkit.pages import empty_states, primary_buttons


class EmptyHomeworkPagesTests(TandemTestCase):
    def test_this_week_with_nothing_open_leads_to_the_library(self):
        self.login(self.alice)
        response = self.client.get(reverse("homework:this_week", args=[self.couple.pk]))
        [state] = empty_states(response)
        self.assertIn("The exercises you do together show up here", state["text"])
        [link] = state["links"]
        self.assertEqual(
            (link["text"], link["href"]), ("Choose an exercise", reverse("homework:library", args=[self.couple.pk]))
        )
        self.assertIn("primary", link["class"])
        self.assertEqual(primary_buttons(response), 1)

    def test_what_we_have_done_leads_to_this_week(self):
        self.login(self.alice)
        response = self.client.get(reverse("homework:history", args=[self.couple.pk]))
        [state] = empty_states(response)
        self.assertIn("Each exercise you finish together shows up here", state["text"])
        self.assertEqual(state["links"][0]["href"], reverse("homework:this_week", args=[self.couple.pk]))
        self.assertEqual(primary_buttons(response), 1)
