"""Text limits: shown before they bite, refused with a message, never cut.

A ``maxlength`` attribute makes the browser drop the end of a pasted text
without a word; no page has one. Fields carry ``data-limit`` (the counter
in app.js) and the server refuses what is over, giving every word back.
"""

from __future__ import annotations

from django import forms
from django.urls import reverse

from tandem.core.forms import LimitedBoundField
from tandem.home.tests.test_pages import EveryPageTests
from tandem.homework import services
from tandem.homework.kinds.write_then_share import ANSWER_MAX
from tandem.homework.models import Response
from tandem.safety.models import BODY_MAX, SafetyMessage
from tandem.testkit.base import TandemTestCase, make_assignment


class NoMaxlengthAnywhere(EveryPageTests):
    """Every GET page of the site, as each person who can open it."""

    def test_every_page(self):
        for name, who, url in self.pages():
            with self.subTest(page=name):
                if who:
                    self.login(who)
                else:
                    self.client.logout()
                body = self.client.get(url).content.decode()
                self.assertNotIn("maxlength", body.lower())

    # The other audits of EveryPageTests run in test_pages; not twice.
    test_quick_exit_goes_to_the_configured_address = None
    test_404_page_has_headers_too = None


class RendererTests(TandemTestCase):
    def test_a_limited_field_renders_a_data_limit(self):
        class Form(forms.Form):
            body = forms.CharField(max_length=42, widget=forms.Textarea)
            name = forms.CharField(max_length=7)
            free = forms.CharField()

        form = Form()
        html = str(form)
        self.assertNotIn("maxlength", html)
        self.assertIn('data-limit="42"', html)
        self.assertIn('data-limit="7"', html)
        self.assertIsInstance(form["body"], LimitedBoundField)
        self.assertNotIn("data-limit", str(form["free"]))


class OverTheLimitTests(TandemTestCase):
    def setUp(self):
        self.assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(self.assignment, self.bo)
        self.login(self.alice)

    def test_the_answer_box_shows_its_limit(self):
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk]))
        self.assertContains(page, f'data-limit="{ANSWER_MAX}"')

    def test_a_long_answer_is_refused_whole_and_the_saved_one_kept(self):
        url = reverse("homework:answer", args=[self.couple.pk, self.assignment.pk])
        self.client.post(url, {"body": "My first answer", "reveal_as": "shared"})
        too_long = "word " * (ANSWER_MAX // 5) + "and the end that a browser would have cut"
        for headers in ({}, {"HX-Request": "true"}):
            with self.subTest(htmx=bool(headers)):
                response = self.client.post(url, {"body": too_long, "reveal_as": "shared"}, headers=headers)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, f"under {ANSWER_MAX} characters (it has {len(too_long.strip())})")
                self.assertContains(response, "and the end that a browser would have cut")
        self.assertEqual(Response.objects.get(author=self.alice).body, "My first answer")

    def test_a_listening_message_over_the_limit_is_refused(self):
        assignment = make_assignment(self.couple, "reflective-listening", by=self.alice)
        services.opt_in(assignment, self.bo)
        url = reverse("homework:step", args=[self.couple.pk, assignment.pk, "message"])
        too_long = "x" * 2001
        response = self.client.post(url, {"body": too_long})
        self.assertContains(response, too_long)
        self.assertContains(response, "2000")
        self.assertFalse(Response.objects.filter(assignment=assignment).exists())

    def test_a_safety_message_over_the_limit_is_refused(self):
        url = reverse("safety:channel", args=[self.couple.pk])
        too_long = "y" * (BODY_MAX + 1)
        response = self.client.post(url, {"body": too_long})
        self.assertContains(response, too_long)
        self.assertContains(response, f"under {BODY_MAX} characters")
        self.assertFalse(SafetyMessage.objects.exists())
