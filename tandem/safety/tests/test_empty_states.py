"""The private line with no messages yet says what it is for; the form below is the next step."""

from django.urls import reverse

from tandem.testkit.base import TandemTestCase
from tandem.testkit.pages import empty_states, primary_buttons


class EmptyChannelTests(TandemTestCase):
    def test_no_messages_yet_says_only_the_therapist_reads_it(self):
        self.login(self.alice)
        response = self.client.get(reverse("safety:channel", args=[self.couple.pk]))
        [state] = empty_states(response)
        self.assertIn(
            "Write below whenever you want your therapist to know something; only they read it.", state["text"]
        )
        self.assertEqual(state["links"], [])  # the form right below it is the next step
        self.assertEqual(primary_buttons(response), 1)  # "Send privately"
