"""Signed out while writing: nothing sent after a session ended is lost.

``accounts:session`` tells an open page who is signed in now (app.js asks
before sending); ``core.middleware.signed_out_post`` and the CSRF failure
view are the net under it: the words come back, nothing is saved.
"""

from __future__ import annotations

import time

from django.test import Client, override_settings
from django.urls import reverse

from tandem.clinic.models import CaseNote
from tandem.core.errors import words_sent
from tandem.homework import services
from tandem.homework.models import Response
from tandem.safety.models import SafetyMessage
from tandem.security.middleware import LAST_SEEN
from tandem.testkit.base import TandemTestCase, make_assignment

WORDS = "What I wanted to say, before the tab logged me out"


class SessionStateTests(TandemTestCase):
    url = reverse("accounts:session")

    def test_signed_in_says_who_and_gives_a_token(self):
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 200)
        state = response.json()
        self.assertTrue(state["signed_in"])
        self.assertEqual(state["who"], self.alice.session_tag)
        self.assertTrue(state["csrf"])
        self.assertIn("no-store", response["Cache-Control"])

    def test_signed_out_says_so(self):
        state = self.client.get(self.url).json()
        self.assertEqual((state["signed_in"], state["who"]), (False, ""))
        self.assertTrue(state["csrf"])

    def test_the_tag_tells_people_apart_and_says_nothing(self):
        self.assertNotEqual(self.alice.session_tag, self.bo.session_tag)
        self.assertNotIn(str(self.alice.pk), self.alice.session_tag)
        self.assertNotIn("alice", self.alice.session_tag)

    def test_the_page_carries_who_it_was_opened_as(self):
        self.login(self.alice)
        page = self.client.get(reverse("accounts:profile"))
        self.assertContains(page, f'data-who="{self.alice.session_tag}"')
        self.assertContains(page, f'data-session-url="{self.url}"')
        self.assertContains(page, 'id="not-saved-signed_out"')

    def test_only_get(self):
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_signed_in_page_needs_a_session(self):
        response = self.client.get(reverse("accounts:signed_in"))
        self.assertEqual(response.status_code, 302)
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("accounts:signed_in")), "Save again")


class SignedOutPostTests(TandemTestCase):
    """A form sent with no session: 401, the words shown back, nothing saved."""

    def setUp(self):
        self.assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(self.assignment, self.bo)
        self.answer_url = reverse("homework:answer", args=[self.couple.pk, self.assignment.pk])
        self.safety_url = reverse("safety:channel", args=[self.couple.pk])

    def test_a_plain_form_gets_its_words_back(self):
        for url, data in (
            (self.answer_url, {"body": WORDS, "reveal_as": "shared"}),
            (self.safety_url, {"body": WORDS}),
        ):
            with self.subTest(url=url):
                response = self.client.post(url, data, headers={"Referer": "http://testserver/somewhere/"})
                self.assertEqual(response.status_code, 401)
                self.assertContains(response, WORDS, status_code=401)
                self.assertContains(response, "Not saved yet", status_code=401)
                self.assertContains(response, 'target="_blank"', status_code=401)
                self.assertContains(response, reverse("accounts:signed_in"), status_code=401)
                self.assertContains(response, 'href="http://testserver/somewhere/"', status_code=401)
                self.assertEqual(response["X-Tandem-Not-Saved"], "signed_out")
                self.assertIn("no-store", response["Cache-Control"])
        self.assertFalse(Response.objects.exists())
        self.assertFalse(SafetyMessage.objects.exists())

    def test_an_htmx_form_stays_where_it_is(self):
        response = self.client.post(
            self.answer_url, {"body": WORDS, "reveal_as": "shared"}, headers={"HX-Request": "true"}
        )
        self.assertEqual(response.status_code, 401)
        self.assertEqual(response["HX-Reswap"], "none")
        self.assertEqual(response["X-Tandem-Not-Saved"], "signed_out")
        self.assertEqual(response.content, b"")
        self.assertFalse(Response.objects.exists())

    def test_a_session_ended_from_another_device(self):
        self.login(self.alice)
        from tandem.security.models import SessionRecord

        SessionRecord.objects.filter(user=self.alice).delete()
        response = self.client.post(self.safety_url, {"body": WORDS})
        self.assertContains(response, WORDS, status_code=401)
        self.assertFalse(SafetyMessage.objects.exists())

    @override_settings(THERAPIST_IDLE_MINUTES=1)
    def test_a_therapist_logged_off_while_idle_keeps_the_note(self):
        self.client.force_login(self.theo)
        self.client.get("/")
        session = self.client.session
        session[LAST_SEEN] = time.time() - 3600
        session.save()
        response = self.client.post(reverse("clinic:note_add", args=[self.couple.pk]), {"body": WORDS})
        self.assertContains(response, WORDS, status_code=401)
        self.assertFalse(CaseNote.objects.exists())

    def test_a_signed_in_redirect_is_left_alone(self):
        self.login(self.alice)
        response = self.client.post(self.safety_url, {"body": WORDS})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(SafetyMessage.objects.exists())

    def test_the_log_in_form_itself_is_not_caught(self):
        response = self.client.post(reverse("accounts:login"), {"username": "x@example.org", "password": "nope"})
        self.assertEqual(response.status_code, 200)


class StaleTokenTests(TandemTestCase):
    """Signed in again in another tab: the page's CSRF token is old."""

    def test_the_words_come_back_and_nothing_is_saved(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        url = reverse("safety:channel", args=[self.couple.pk])
        response = client.post(url, {"body": WORDS, "csrfmiddlewaretoken": "x" * 64})
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, WORDS, status_code=403)
        self.assertContains(response, "Not saved yet", status_code=403)
        self.assertEqual(response["X-Tandem-Not-Saved"], "expired_form")
        self.assertFalse(SafetyMessage.objects.exists())

    def test_htmx_gets_the_reason_without_a_swap(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        url = reverse("safety:channel", args=[self.couple.pk])
        response = client.post(url, {"body": WORDS}, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response["HX-Reswap"], "none")
        self.assertEqual(response["X-Tandem-Not-Saved"], "expired_form")


class WordsSentTests(TandemTestCase):
    def test_only_writing_is_shown_back(self):
        from django.test import RequestFactory

        request = RequestFactory().post(
            "/",
            {
                "csrfmiddlewaretoken": "abc",
                "next": "/home/",
                "reveal_as": "care_team",
                "value-kissing": "yes",
                "day": "2026-12-01",
                "body": WORDS,
                "label": "Tenderness",
                "note": "  ",
            },
        )
        self.assertEqual(words_sent(request), [WORDS, "Tenderness"])


class DeliberateLogOutTests(TandemTestCase):
    def test_log_out_everywhere_goes_to_the_log_in_page(self):
        self.login(self.alice)
        response = self.client.post(reverse("security:sessions_end"), {"scope": "all"})
        self.assertRedirects(response, reverse("accounts:login"))

    def test_log_out_goes_where_it_goes(self):
        self.login(self.alice)
        response = self.client.post(reverse("accounts:logout"))
        self.assertEqual(response.status_code, 302)
