"""A new couple's empty calendar says what it is for and how to fill it."""

from django.urls import reverse
from django.utils import timezone

from tandem.testkit.base import TandemTestCase
from tandem.testkit.pages import empty_states, primary_buttons


class EmptyCalendarTests(TandemTestCase):
    def test_nothing_planned_links_to_planning_a_block(self):
        self.login(self.alice)
        response = self.client.get(reverse("blocks:agenda", args=[self.couple.pk]))
        [state] = empty_states(response)
        self.assertIn("Time you set aside together shows up here", state["text"])
        [link] = state["links"]
        self.assertEqual(
            (link["text"], link["href"]), ("Plan your first block", reverse("blocks:plan", args=[self.couple.pk]))
        )
        self.assertNotIn("primary", link["class"])  # "Plan a block" above is the page's primary action
        self.assertEqual(primary_buttons(response), 1)

    def test_a_closed_space_offers_no_planning(self):
        self.couple.closed_at = timezone.now()
        self.couple.save(update_fields=["closed_at"])
        self.login(self.alice)
        response = self.client.get(reverse("blocks:agenda", args=[self.couple.pk]))
        [state] = empty_states(response)
        self.assertEqual(state["links"], [])
