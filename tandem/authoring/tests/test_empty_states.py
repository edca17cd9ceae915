"""A new practice's exercises page says what its own exercises are for and how to write one."""

from django.urls import reverse

from tandem.testkit.base import TandemTestCase
from tandem.testkit.pages import empty_states, primary_buttons


class EmptyExercisesTests(TandemTestCase):
    def test_none_written_leads_to_writing_one(self):
        self.login(self.una)
        response = self.client.get(reverse("authoring:list"))
        own = empty_states(response)[0]
        self.assertIn("The ones you write can be given to your couples like any in the library.", own["text"])
        [link] = own["links"]
        self.assertEqual((link["text"], link["href"]), ("Write your first exercise", reverse("authoring:new")))
        self.assertNotIn("primary", link["class"])  # "Write a new exercise" above is the one primary action
        self.assertEqual(primary_buttons(response), 1)
