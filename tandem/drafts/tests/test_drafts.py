"""Drafts: long writing kept while it is typed, for its author alone, until it is sent."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.couples.services import leave_couple
from tandem.drafts.models import BODY_MAX, MAX_PER_AUTHOR, Draft
from tandem.homework import services
from tandem.testkit.base import TandemTestCase, make_assignment, stored_anywhere

WORDS = "the way you hum while cooking, and"
LATER = "the way you hum while cooking, and how you sing off key"


def raw_body(draft: Draft) -> str:
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {q('body')} FROM {q(Draft._meta.db_table)} WHERE id = %s", [draft.pk])  # noqa: S608
        return cursor.fetchone()[0]


class DraftCase(TandemTestCase):
    def setUp(self):
        self.assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(self.assignment, self.bo)
        self.answer_slot = f"step:{self.assignment.pk}:answer"

    def save(self, user, slot, body=WORDS, couple=None, field="body", **extra):
        self.login(user)
        url = reverse("drafts:save", args=[(couple or self.couple).pk])
        return self.client.post(url, {"slot": slot, field: body, **extra}, headers={"HX-Request": "true"})

    def page(self, user, assignment=None):
        self.login(user)
        assignment = assignment or self.assignment
        return self.client.get(reverse("homework:assignment", args=[self.couple.pk, assignment.pk]))

    def post(self, user, name, assignment=None, **data):
        self.login(user)
        assignment = assignment or self.assignment
        return self.client.post(reverse(f"homework:{name}", args=[self.couple.pk, assignment.pk]), data)

    def step(self, user, action, body, assignment=None):
        self.login(user)
        assignment = assignment or self.assignment
        return self.client.post(reverse("homework:step", args=[self.couple.pk, assignment.pk, action]), {"body": body})

    def draft(self, user, slot) -> Draft | None:
        return Draft.objects.filter(author=user, couple=self.couple, slot=slot).first()


class KeepingTests(DraftCase):
    def test_a_draft_is_kept_encrypted_for_its_author(self):
        response = self.save(self.alice, self.answer_slot)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        self.assertContains(response, "Draft saved")
        draft = self.draft(self.alice, self.answer_slot)
        self.assertEqual(draft.body, WORDS)
        stored = raw_body(draft)
        self.assertTrue(stored.startswith("enc1:"), stored)
        self.assertNotIn("hum while", stored)
        self.assertEqual(stored_anywhere("hum while cooking"), [])

    def test_a_second_save_replaces_the_first(self):
        self.save(self.alice, self.answer_slot)
        self.save(self.alice, self.answer_slot, LATER)
        self.assertEqual(Draft.objects.count(), 1)
        self.assertEqual(self.draft(self.alice, self.answer_slot).body, LATER)

    def test_an_emptied_box_deletes_the_draft(self):
        self.save(self.alice, self.answer_slot)
        for empty in ("", "  \n "):
            with self.subTest(empty=empty):
                response = self.save(self.alice, self.answer_slot, empty)
                self.assertEqual(response.status_code, 204)
                self.assertFalse(Draft.objects.exists())

    def test_the_words_are_read_from_the_field_the_slot_names(self):
        self.save(self.alice, f"debrief:{self.assignment.pk}", "a note", field="note", body_ignored="x")
        self.assertEqual(self.draft(self.alice, f"debrief:{self.assignment.pk}").body, "a note")

    def test_each_partner_has_their_own_draft_of_the_same_form(self):
        self.save(self.alice, self.answer_slot)
        self.save(self.bo, self.answer_slot, "bo's own words")
        self.assertEqual(self.draft(self.alice, self.answer_slot).body, WORDS)
        self.assertEqual(self.draft(self.bo, self.answer_slot).body, "bo's own words")

    def test_past_the_cap_the_oldest_draft_goes(self):
        for n in range(MAX_PER_AUTHOR):
            self.save(self.alice, f"step:{n + 1000}:message", f"words {n}")
        Draft.objects.filter(slot="step:1000:message").update(updated_at=timezone.now() - timezone.timedelta(days=9))
        self.save(self.alice, self.answer_slot)
        self.assertEqual(Draft.objects.filter(author=self.alice).count(), MAX_PER_AUTHOR)
        self.assertIsNone(self.draft(self.alice, "step:1000:message"))
        self.assertIsNotNone(self.draft(self.alice, self.answer_slot))
        # Rewriting one that exists drops nothing.
        self.save(self.alice, "step:1001:message", "again")
        self.assertEqual(Draft.objects.filter(author=self.alice).count(), MAX_PER_AUTHOR)


class BadInputTests(DraftCase):
    def test_a_bad_slot_is_refused_plainly(self):
        for slot in (
            "",
            "answer",
            f"answer:{self.assignment.pk}",
            "step:abc:answer",
            "step:0:answer",
            f"step:{self.assignment.pk}:Answer",
            f"step:{self.assignment.pk}:answer:extra",
            "safety:message2",
            "debrief:1 ",
            "../../etc",
            "x" * 500,
        ):
            with self.subTest(slot=slot):
                response = self.save(self.alice, slot)
                self.assertEqual(response.status_code, 400)
                self.assertContains(response, "can't keep a draft", status_code=400)
        self.assertFalse(Draft.objects.exists())

    def test_a_missing_text_field_is_refused(self):
        self.login(self.alice)
        response = self.client.post(reverse("drafts:save", args=[self.couple.pk]), {"slot": self.answer_slot})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(Draft.objects.exists())

    def test_a_too_long_draft_is_refused_with_the_count_and_the_last_one_kept(self):
        self.save(self.alice, self.answer_slot)
        response = self.save(self.alice, self.answer_slot, "x" * (BODY_MAX + 1))
        self.assertEqual(response.status_code, 400)
        self.assertContains(
            response, "too long to keep (20,001 characters; a draft keeps up to 20,000)", status_code=400
        )
        self.assertContains(response, "Your words are still in the box", status_code=400)
        self.assertEqual(self.draft(self.alice, self.answer_slot).body, WORDS)
        # Exactly at the limit is kept whole, never cut.
        self.assertEqual(self.save(self.alice, self.answer_slot, "y" * BODY_MAX).status_code, 200)
        self.assertEqual(len(self.draft(self.alice, self.answer_slot).body), BODY_MAX)

    def test_a_null_character_is_refused_and_the_last_draft_kept(self):
        self.save(self.alice, self.answer_slot)
        response = self.save(self.alice, self.answer_slot, "before\x00after")
        self.assertContains(response, "null character", status_code=400)
        self.assertEqual(self.draft(self.alice, self.answer_slot).body, WORDS)

    def test_without_the_csrf_token_nothing_is_kept(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.alice)
        response = client.post(reverse("drafts:save", args=[self.couple.pk]), {"slot": self.answer_slot, "body": WORDS})
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Draft.objects.exists())

    def test_get_writes_nothing(self):
        self.login(self.alice)
        url = reverse("drafts:save", args=[self.couple.pk])
        response = self.client.get(url, {"slot": self.answer_slot, "body": WORDS})
        self.assertEqual(response.status_code, 405)
        self.page(self.alice)
        self.assertFalse(Draft.objects.exists())

    def test_outsiders_the_therapist_and_strangers_get_404(self):
        for user in (*self.outsiders, self.theo):
            with self.subTest(user=user.display_name):
                self.assertEqual(self.save(user, self.answer_slot).status_code, 404)
        self.client.logout()
        url = reverse("drafts:save", args=[self.couple.pk])
        self.assertEqual(self.client.post(url, {"slot": self.answer_slot, "body": WORDS}).status_code, 404)
        self.assertFalse(Draft.objects.exists())

    def test_a_closed_space_keeps_no_draft(self):
        leave_couple(self.couple)
        self.assertEqual(self.save(self.alice, self.answer_slot).status_code, 404)
        self.assertFalse(Draft.objects.exists())
