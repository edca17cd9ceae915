"""A new therapist's empty caseload says what it will show and leads to inviting a couple."""

from django.urls import reverse

from tandem.testkit.base import TandemTestCase
from tandem.testkit.pages import empty_states, primary_buttons


class EmptyCaseloadTests(TandemTestCase):
    def test_no_couple_yet_leads_to_inviting_one(self):
        self.login(self.una)
        response = self.client.get(reverse("clinic:caseload"))
        [state] = empty_states(response)
        self.assertIn(
            "Each couple you invite shows up here, with their homework, programs and measures.", state["text"]
        )
        [link] = state["links"]
        self.assertEqual((link["text"], link["href"]), ("Invite your first couple", reverse("clinic:practice")))
        self.assertIn("primary", link["class"])
        self.assertEqual(primary_buttons(response), 1)
        self.assertNotContains(response, "Sort by")  # nothing to sort before the first couple

    def test_a_linked_couple_replaces_it(self):
        self.login(self.theo)
        response = self.client.get(reverse("clinic:caseload"))
        self.assertEqual(empty_states(response), [])
        self.assertContains(response, "Sort by")
