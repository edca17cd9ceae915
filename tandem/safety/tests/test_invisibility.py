"""Acceptance: the other partner can never see or infer a safety message.

Every page Bo can open is fetched before and after Alice writes to the
therapist (and the therapist reads and replies); apart from CSRF tokens and
clock times, each must be byte-identical. The list of pages is built from the
URL configuration, so a page added later is covered without touching this
test.
"""

from __future__ import annotations

import difflib
import re

from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.homework.content import library
from tandem.homework.programs import start as start_program
from tandem.safety.models import SafetyMessage, SafetyThread
from tandem.testkit.base import TandemTestCase, make_assignment, make_block
from tandem.testkit.urls import walk

SECRET = "Please do not mention this in our session"
REPLY = "Thank you for telling me. Are you safe tonight?"

CSRF = re.compile(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"')
# Clock times ("3:07 p.m.", "15:07", "noon"): only the minute a page was
# rendered could move them, never a safety message.
CLOCK = re.compile(r"\b\d{1,2}(:\d{2}){1,2}(\s?[ap]\.m\.)?|\b\d{1,2}\s?[ap]\.m\.|\bnoon\b|\bmidnight\b")

# Pages Bo must be able to open in this test, so that a broken URL pool can't
# make the comparison pass by comparing nothing.
MUST_COVER = {
    "home:home",
    "home:couple",
    "homework:this_week",
    "homework:library",
    "homework:history",
    "homework:assignment",
    "checkins:today",
    "checkins:recent",
    "checkins:progress",
    "checkins:week",
    "blocks:agenda",
    "boundaries:overview",
    "boundaries:section",
    "wins:celebrate",
    "seasons:season",
    "measures:overview",
    "clinic:audit_log",
    "clinic:link_end",
    "clinic:history",
    "accounts:profile",
    "safety:channel",
    "safety:info",
}


# Who the page was opened as (accounts User.session_tag): differs per person by design.
WHO = re.compile(r'data-who="[0-9a-f]*"')
# "just now" becomes "3 minutes ago" while a slow test runs (``|ago``).
AGO = re.compile(r"\b(\d+\s(minute|hour|day|week)s?\sago|just now)\b")


def scrub(body: str) -> str:
    return AGO.sub("<ago>", WHO.sub("data-who", CLOCK.sub("<time>", CSRF.sub(r"\1<csrf>", body))))


class InvisibilityTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Some content on Bo's pages, so that a change would have somewhere to show.
        cls.assignment = make_assignment(cls.couple)
        cls.block = make_block(cls.couple, cls.alice)
        cls.program_run = start_program(cls.couple, library().programs["hard-season"], cls.alice)

    def bo_urls(self) -> dict[str, str]:
        """{name: url} for every page named in the URL configuration that Bo can GET as HTML."""
        pool = {
            "couple_id": self.couple.pk,
            "section": "affection",
            "slug": "mirror-of-desire",
            "code": "csi4",
            "assignment_id": self.assignment.pk,
            "block_id": self.block.pk,
            "run_id": self.program_run.pk,
            "link_id": self.link.pk,
        }
        urls = {}
        for name, params in walk():
            if name.startswith("admin:") or not params <= pool.keys():
                continue
            urls[name] = reverse(name, kwargs={key: pool[key] for key in params})
        return urls

    def bo_pages(self) -> dict[str, str]:
        # One session for Bo throughout: each new log-in would add a line to his own list of sessions.
        if not hasattr(self, "bo_client"):
            self.bo_client = Client()
            self.bo_client.force_login(self.bo)
        bo = self.bo_client
        pages = {}
        for name, url in self.bo_urls().items():
            response = bo.get(url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages[name] = scrub(response.content.decode())
        return pages

    def assert_same_pages(self, before: dict[str, str], after: dict[str, str]) -> None:
        self.assertEqual(set(before), set(after))
        for name in before:
            if before[name] != after[name]:
                diff = "\n".join(
                    difflib.unified_diff(before[name].splitlines(), after[name].splitlines(), lineterm="", n=1)
                )
                self.fail(f"{name} changed for Bo:\n{diff}")

    def alice_writes_and_theo_replies(self) -> None:
        alice = Client()
        alice.force_login(self.alice)
        channel = reverse("safety:channel", args=[self.couple.pk])
        self.assertEqual(alice.post(channel, {"body": SECRET}).status_code, 302)
        theo = Client()
        theo.force_login(self.theo)
        clinic = reverse("safety:clinic", args=[self.couple.pk])
        self.assertContains(theo.get(clinic), "From Alice")
        thread = SafetyThread.objects.get(author=self.alice)
        self.assertContains(theo.get(reverse("safety:thread", args=[self.couple.pk, thread.pk])), SECRET)
        reply = reverse("safety:reply", args=[self.couple.pk, thread.pk])
        self.assertEqual(theo.post(reply, {"body": REPLY}).status_code, 302)
        self.assertContains(alice.get(channel), REPLY)  # she reads it: the reply is marked read
        self.assertEqual(alice.post(channel, {"body": "one more thing"}).status_code, 302)
        self.assertEqual(theo.get(clinic).status_code, 200)

    def check(self) -> None:
        self.bo_pages()  # once first: some pages settle things on their first visit (due homework, lapses)
        before = self.bo_pages()
        self.assertTrue(set(before) >= MUST_COVER, MUST_COVER - set(before))
        self.assert_same_pages(before, self.bo_pages())  # the pages are stable at all
        mail.outbox.clear()

        self.alice_writes_and_theo_replies()

        after = self.bo_pages()
        self.assert_same_pages(before, after)
        for body in after.values():
            self.assertNotIn(SECRET, body)
            self.assertNotIn(REPLY, body)
        self.assertEqual(SafetyMessage.objects.filter(thread__author=self.alice).count(), 3)
        # No e-mail to anyone, so none to Bo.
        self.assertEqual(mail.outbox, [])

    def test_bo_without_a_thread_of_his_own(self):
        self.check()

    def test_bo_with_a_thread_of_his_own(self):
        bo = Client()
        bo.force_login(self.bo)
        bo.post(reverse("safety:channel", args=[self.couple.pk]), {"body": "my own worry"})
        theo = Client()
        theo.force_login(self.theo)
        thread = SafetyThread.objects.get(author=self.bo)
        theo.post(reverse("safety:reply", args=[self.couple.pk, thread.pk]), {"body": "noted, Bo"})
        self.check()
        # His own page did show his own thread all along.
        self.assertIn("noted, Bo", self.bo_pages()["safety:channel"])
