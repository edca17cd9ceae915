"""The consent question right after pairing: asked of each partner privately,
in the profile's words, saved as the profile saves it; "Not now" keeps the level."""

from django.urls import reverse
from django.utils.html import escape

from tandem.accounts.forms import ProfileForm
from tandem.couples.models import Membership
from tandem.couples.signals import holds_changed
from tandem.couples.tests.test_pairing import PairingTestCase


class ConsentQuestionTests(PairingTestCase):
    def pair(self):
        couple, invite = self.start_space()
        self.login(self.kai)
        response = self.client.post(reverse("couples:join", args=[invite.token]))
        return couple, response

    def url(self, couple):
        return reverse("couples:consent_question", args=[couple.pk])

    def waiting(self, couple, user) -> bool:
        return Membership.objects.get(couple=couple, user=user).consent_question_waiting

    def test_the_joiner_is_asked_right_after_joining(self):
        couple, response = self.pair()
        self.assertRedirects(response, self.url(couple))
        page = self.client.get(self.url(couple))
        # The profile's own words: every choice, the label and the help text.
        field = ProfileForm().fields["consent_level"]
        for _value, words in field.choices:
            self.assertContains(page, str(words))
        self.assertContains(page, str(field.help_text))
        self.assertContains(page, "You can change this any time")
        self.assertContains(page, "Not now")

    def test_both_partners_are_asked_once_paired_and_not_before(self):
        couple, invite = self.start_space()
        self.assertFalse(self.waiting(couple, self.nadia))
        self.assertNotContains(self.client.get(reverse("home:home")), 'data-testid="consent-question"')
        self.login(self.kai)
        self.client.post(reverse("couples:join", args=[invite.token]))
        self.assertTrue(self.waiting(couple, self.nadia))
        self.assertTrue(self.waiting(couple, self.kai))
        # The inviter: on home, until answered or dismissed.
        self.login(self.nadia)
        home = self.client.get(reverse("home:home"))
        self.assertContains(home, 'data-testid="consent-question"')
        self.assertContains(home, self.url(couple))

    def test_an_answer_is_saved_through_the_profile_path_and_closes_the_question(self):
        couple, _response = self.pair()
        seen = []

        def receiver(sender, couple, lifted, **kwargs):
            seen.append((couple.pk, lifted))

        holds_changed.connect(receiver)
        self.addCleanup(holds_changed.disconnect, receiver)
        response = self.client.post(self.url(couple), {"consent_level": "2"})
        self.assertRedirects(response, reverse("home:home"))
        self.kai.refresh_from_db()
        self.assertEqual(self.kai.consent_level, 2)
        self.assertEqual(seen, [(couple.pk, True)])
        self.assertFalse(self.waiting(couple, self.kai))
        self.assertNotContains(self.client.get(reverse("home:home")), 'data-testid="consent-question"')
        # The other partner is still asked, and sees nothing of the answer.
        self.assertTrue(self.waiting(couple, self.nadia))
        self.login(self.nadia)
        home = self.client.get(reverse("home:home")).content.decode()
        self.assertIn('data-testid="consent-question"', home)
        self.assertNotIn("Also sensual touch", home)

    def test_not_now_keeps_the_level_and_closes_the_question(self):
        couple, _response = self.pair()
        self.kai.consent_level = 1
        self.kai.save(update_fields=["consent_level"])
        # Even with a level in the same post, "Not now" changes nothing.
        response = self.client.post(self.url(couple), {"not_now": "1", "consent_level": "3"})
        self.assertRedirects(response, reverse("home:home"))
        self.kai.refresh_from_db()
        self.assertEqual(self.kai.consent_level, 1)
        self.assertFalse(self.waiting(couple, self.kai))

    def test_not_now_from_home(self):
        couple, _response = self.pair()
        self.login(self.nadia)
        self.client.post(self.url(couple), {"not_now": "1"})
        self.assertNotContains(self.client.get(reverse("home:home")), 'data-testid="consent-question"')
        self.assertEqual(self.nadia.consent_level, 0)

    def test_a_bad_value_says_so_and_changes_nothing(self):
        couple, _response = self.pair()
        for data, message in (
            ({"consent_level": "7"}, "That isn't one of the levels"),
            ({"consent_level": "sexual"}, "That isn't one of the levels"),
            ({}, "Pick one of the levels"),
        ):
            response = self.client.post(self.url(couple), data)
            self.assertContains(response, escape(message))
            self.kai.refresh_from_db()
            self.assertEqual(self.kai.consent_level, 0)
            self.assertTrue(self.waiting(couple, self.kai))

    def test_get_writes_nothing(self):
        couple, _response = self.pair()
        self.client.get(self.url(couple))
        self.assertTrue(self.waiting(couple, self.kai))

    def test_outsiders_and_the_therapist_get_404(self):
        for person in (self.olga, self.theo, self.una):
            self.login(person)
            self.assertEqual(self.client.get(self.url(self.couple)).status_code, 404)
            self.assertEqual(self.client.post(self.url(self.couple), {"consent_level": "3"}).status_code, 404)
        self.olga.refresh_from_db()
        self.assertEqual(self.olga.consent_level, 0)

    def test_couples_made_before_are_not_asked(self):
        # Partners paired outside the invite flow (and every row from before this question) stay unasked.
        self.login(self.alice)
        self.assertNotContains(self.client.get(reverse("home:home")), 'data-testid="consent-question"')
