"""The joint journal's moment: the partner who chooses names it, the other sees
it before being asked to agree to it (or suggests another), then both write."""

from django.urls import reverse
from django.utils.html import escape

from tandem.homework import services
from tandem.homework.models import Response
from tandem.testkit.base import TandemTestCase, make_assignment


class JournalMomentTests(TandemTestCase):
    def setUp(self):
        # Alice proposes, so Alice (role a) chooses the moment.
        self.assignment = make_assignment(self.couple, "misunderstanding-journal", by=self.alice)
        services.opt_in(self.assignment, self.bo)
        self.page_url = reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk])

    def step(self, user, action, body=""):
        self.login(user)
        url = reverse("homework:step", args=[self.couple.pk, self.assignment.pk, action])
        return self.client.post(url, {"body": body}, follow=True)

    def page(self, user):
        self.login(user)
        return self.client.get(self.page_url).content.decode()

    def test_the_chooser_names_the_moment_first(self):
        page = self.page(self.alice)
        self.assertIn("What I suggest we look at", page)
        self.assertNotIn("How I saw it, and how it felt", page)
        self.assertIn("Waiting for your partner to suggest what you look at", self.page(self.bo))

    def test_the_other_partner_sees_the_moment_before_agreeing(self):
        self.step(self.alice, "moment", "The mix-up about Friday dinner")
        page = self.page(self.bo)
        self.assertIn("The mix-up about Friday dinner", page)
        self.assertIn("This is all right with me", page)
        self.assertIn("Suggest something else", page)
        self.assertNotIn("How I saw it, and how it felt", page)  # not asked to write before agreeing
        # The chooser waits, and is not asked to agree to their own.
        page = self.page(self.alice)
        self.assertIn(escape("Waiting for your partner to agree to what you suggested."), page)
        self.assertNotIn("This is all right with me", page)

        self.step(self.bo, "moment-ok")
        for person in (self.alice, self.bo):
            page = self.page(person)
            self.assertIn("The mix-up about Friday dinner", page)
            self.assertIn("How I saw it, and how it felt", page)

    def test_suggesting_another_moment_asks_the_first_partner(self):
        self.step(self.alice, "moment", "The mix-up about Friday dinner")
        self.step(self.bo, "moment", "The text I read the wrong way")
        page = self.page(self.alice)
        self.assertIn("The text I read the wrong way", page)
        self.assertNotIn("Friday dinner", page)
        self.assertIn("This is all right with me", page)
        self.step(self.alice, "moment-ok")
        self.assertIn("How I saw it, and how it felt", self.page(self.bo))

    def test_bad_input_says_why_and_keeps_nothing_wrong(self):
        self.assertContains(self.step(self.alice, "moment", "   "), "Write a few words first")
        # The other partner can't choose first, nor agree to nothing.
        self.assertContains(self.step(self.bo, "moment", "Mine first"), "Your partner suggests what you look at first")
        self.assertContains(self.step(self.bo, "moment-ok"), "nothing to agree to yet")
        self.step(self.alice, "moment", "Friday dinner")
        self.assertContains(self.step(self.alice, "moment-ok"), escape("Your partner agrees to what you suggested"))
        self.step(self.bo, "moment-ok")
        self.assertContains(self.step(self.bo, "moment-ok"), "already agreed")
        self.assertContains(self.step(self.alice, "moment", "Another"), "already agreed")
        self.assertEqual(Response.objects.filter(step="moment").count(), 1)
        self.assertEqual(Response.objects.filter(step="moment_ok").count(), 1)

    def test_outsiders_get_404(self):
        self.login(self.olga)
        url = reverse("homework:step", args=[self.couple.pk, self.assignment.pk, "moment"])
        self.assertEqual(self.client.post(url, {"body": "x"}).status_code, 404)

    # The server, not only the page, keeps the sides for after the moment is agreed.
    def test_a_side_before_the_moment_is_agreed_is_refused_and_given_back(self):
        words = "How I saw the Friday dinner, all of it"
        for before_agreeing in (None, "suggested"):
            if before_agreeing:
                self.step(self.alice, "moment", "The mix-up about Friday dinner")
            for person in (self.alice, self.bo):
                page = self.step(person, "perspective", words)
                self.assertContains(page, "First agree together on the moment you look at")
                self.assertContains(page, words)  # given back to copy, nothing lost
        self.assertFalse(Response.objects.filter(step="perspective").exists())
        self.step(self.bo, "moment-ok")
        self.step(self.bo, "perspective", words)
        self.assertEqual(Response.objects.get(step="perspective").author, self.bo)

    def test_a_journal_begun_before_the_moment_was_asked_for_goes_on(self):
        # Written before there was a moment step: the second side is welcome.
        Response.objects.create(
            couple=self.couple, assignment=self.assignment, author=self.alice, step="perspective", body="Old side"
        )
        self.step(self.bo, "perspective", "My side too")
        self.assertEqual(Response.objects.filter(step="perspective").count(), 2)
