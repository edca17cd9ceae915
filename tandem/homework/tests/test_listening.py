from django.urls import reverse

from tandem.homework import hints, kinds, services
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase, make_assignment


class ListeningTests(TandemTestCase):
    def setUp(self):
        # Alice proposes, so Alice (role a) speaks first.
        self.assignment = make_assignment(self.couple, "reflective-listening", by=self.alice)
        services.opt_in(self.assignment, self.bo)

    def say(self, user, action, body=""):
        self.login(user)
        url = reverse("homework:step", args=[self.couple.pk, self.assignment.pk, action])
        return self.client.post(url, {"body": body}, follow=True)

    def state(self):
        return kinds.listening.state(self.assignment)

    def test_full_dialogue_with_a_clarification_then_roles_swap(self):
        self.say(self.alice, "message", "I miss our Sunday walks.")
        self.assertEqual(self.state().waiting_for, "restatement")
        self.say(self.bo, "restatement", "You want more walks.")
        self.say(self.alice, "message", "Not quite: I miss the time with you, not the walking.")
        self.say(self.bo, "restatement", "You miss unhurried time together.")
        self.say(self.alice, "confirm")
        state = self.state()
        self.assertEqual((state.phase, state.speaker_id, state.waiting_for), (2, self.bo.pk, "message"))
        self.say(self.bo, "message", "I feel rushed in the evenings.")
        self.say(self.alice, "restatement", "Evenings feel rushed to you.")
        self.say(self.bo, "confirm")
        self.assignment.refresh_from_db()
        self.assertEqual(self.assignment.status, Assignment.Status.COMPLETED)
        page = self.say(self.alice, "message", "one more").content.decode()
        self.assertIn("isn&#x27;t under way", page)

    def test_turns_are_enforced(self):
        response = self.say(self.bo, "message", "Me first")
        self.assertContains(response, "not your turn")
        self.say(self.alice, "message", "Hello")
        self.assertContains(self.say(self.alice, "restatement", "I heard myself"), "not your turn")
        self.assertContains(self.say(self.bo, "confirm"), "not your turn")
        self.assertEqual(self.assignment.responses.count(), 1)

    def test_empty_message_keeps_nothing_and_says_why(self):
        response = self.say(self.alice, "message", "   ")
        self.assertContains(response, "Write a few words first")
        self.assertEqual(self.assignment.responses.count(), 0)

    def test_a_blaming_message_asks_first_with_the_words_kept(self):
        response = self.say(self.alice, "message", "You never listen to me.")
        page = response.content.decode()
        self.assertIn("can sound like blame", page)
        self.assertIn('data-testid="hint-ask"', page)
        self.assertIn("Send as it is", page)
        self.assertIn("Rephrase", page)
        self.assertIn("You never listen to me.</textarea>", page)  # the words, back in the box
        self.assertNotIn('data-testid="unsaved"', page)  # nothing went wrong: it is a question
        self.assertNotIn("Sent.", page)
        self.assertEqual(self.assignment.responses.count(), 0)
        # …and kept as the draft, should the page be closed now.
        from tandem.drafts.models import Draft

        self.assertTrue(Draft.objects.filter(author=self.alice).exists())

    def test_send_as_it_is_sends(self):
        self.login(self.alice)
        url = reverse("homework:step", args=[self.couple.pk, self.assignment.pk, "message"])
        response = self.client.post(url, {"body": "You never listen to me.", "as_is": "1"}, follow=True)
        self.assertContains(response, "Sent.")
        self.assertNotContains(response, "can sound like blame")  # asked already: not again after
        self.assertEqual(self.assignment.responses.get().body, "You never listen to me.")

    def test_a_message_without_a_hint_sends_at_once(self):
        response = self.say(self.alice, "message", "I felt alone last night.")
        self.assertContains(response, "Sent.")
        self.assertNotContains(response, 'data-testid="hint-ask"')
        self.assertEqual(self.assignment.responses.count(), 1)

    def test_the_clarification_asks_first_too_and_htmx_gets_the_panel(self):
        self.say(self.alice, "message", "I miss our walks.")
        self.say(self.bo, "restatement", "You want more walks.")
        self.login(self.alice)
        url = reverse("homework:step", args=[self.couple.pk, self.assignment.pk, "message"])
        body = self.client.post(
            url, {"body": "You always get it wrong"}, headers={"HX-Request": "true"}
        ).content.decode()
        self.assertIn('id="work-panel"', body)
        self.assertIn('data-testid="hint-ask"', body)
        self.assertNotIn("<html", body)
        self.assertEqual(self.assignment.responses.count(), 2)

    def test_a_restatement_of_blaming_words_gets_no_blame_hint(self):
        """The listener says back the speaker's words ("you always…" is theirs to
        restate): neither asked before sending nor hinted after. The speaker's
        own message still is."""
        self.say(self.alice, "message", "I feel alone when the evenings go to work.")
        response = self.say(self.bo, "restatement", "You feel alone: I always work late and you never see me.")
        self.assertContains(response, "Sent.")
        self.assertNotContains(response, "can sound like blame")
        self.assertNotContains(response, 'data-testid="hint-ask"')
        self.assertEqual(self.state().waiting_for, "confirmation")
        self.assertFalse(kinds.action("listening", "restatement").hint)
        # The speaker clarifying is their own message again: asked first.
        self.assertContains(self.say(self.alice, "message", "You never see it"), 'data-testid="hint-ask"')

    def test_an_empty_message_with_as_is_is_still_refused(self):
        self.login(self.alice)
        url = reverse("homework:step", args=[self.couple.pk, self.assignment.pk, "message"])
        self.assertContains(self.client.post(url, {"body": "  ", "as_is": "1"}), "Write a few words first")
        self.assertEqual(self.assignment.responses.count(), 0)

    def test_blame_words(self):
        self.assertIsNone(hints.blame_hint("I feel lonely when evenings are busy."))
        for text in ("you always do this", "It's your fault", "you should call"):
            self.assertIsNotNone(hints.blame_hint(text), text)

    def test_live_hint_fragment(self):
        self.login(self.alice)
        url = reverse("homework:hint", args=[self.couple.pk])
        self.assertContains(self.client.post(url, {"body": "you always forget"}), "I-statement")
        self.assertNotContains(self.client.post(url, {"body": "I felt alone"}), "I-statement")

    def test_either_partner_can_pause_the_dialogue(self):
        services.pause(self.assignment, self.bo)
        self.assertContains(self.say(self.alice, "message", "Hello"), "paused for now")
        self.assertEqual(self.assignment.responses.count(), 0)

    def test_htmx_step_returns_the_panel(self):
        self.login(self.alice)
        url = reverse("homework:step", args=[self.couple.pk, self.assignment.pk, "message"])
        body = self.client.post(url, {"body": "Hello there"}, headers={"HX-Request": "true"}).content.decode()
        self.assertIn('id="work-panel"', body)
        self.assertIn("Hello there", body)
        self.assertNotIn("<html", body)

    def test_unknown_step_is_404(self):
        self.login(self.alice)
        url = reverse("homework:step", args=[self.couple.pk, self.assignment.pk, "shout"])
        self.assertEqual(self.client.post(url, {"body": "x"}).status_code, 404)
