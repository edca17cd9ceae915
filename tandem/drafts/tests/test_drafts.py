"""Drafts: long writing kept while it is typed, for its author alone, until it is sent."""

from __future__ import annotations

import json

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.clinic.models import CareLink
from tandem.couples.services import leave_couple
from tandem.drafts.models import BODY_MAX, MAX_PER_AUTHOR, Draft
from tandem.homework import kinds, services
from tandem.homework.models import Debrief, Response
from tandem.privacy.export import build_export, measures_bundle
from tandem.privacy.retention import empty_closed_space, narrow_shared_space
from tandem.privacy.services import erase_person
from tandem.safety.models import SafetyMessage
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


class RestoreAndSendTests(DraftCase):
    """Each of the five forms: restored when the page opens again, gone when sent, kept when refused."""

    def test_the_write_then_share_answer(self):
        self.save(self.alice, self.answer_slot)
        page = self.page(self.alice)
        self.assertContains(page, WORDS)
        self.assertContains(page, "Your draft from")
        self.assertContains(page, json.dumps({"slot": self.answer_slot}).replace('"', "&quot;"))
        self.post(self.alice, "answer", body=LATER, reveal_as="shared")
        self.assertEqual(Response.objects.get(author=self.alice, step="answer").body, LATER)
        self.assertIsNone(self.draft(self.alice, self.answer_slot))
        self.assertNotContains(self.page(self.alice), "Your draft from")

    def test_a_draft_of_a_saved_answer_is_the_newer_writing(self):
        self.post(self.alice, "answer", body=WORDS, reveal_as="shared")
        self.save(self.alice, self.answer_slot, LATER)
        self.assertContains(self.page(self.alice), LATER)

    def test_the_write_then_share_reply(self):
        self.post(self.alice, "answer", body="mine", reveal_as="shared")
        self.post(self.bo, "answer", body="his", reveal_as="shared")
        slot = f"step:{self.assignment.pk}:reply"
        self.save(self.alice, slot, "a reply I am still writing")
        self.assertContains(self.page(self.alice), "a reply I am still writing")
        self.post(self.alice, "reply", body="a reply I am still writing")
        self.assertTrue(Response.objects.filter(author=self.alice, step="reply").exists())
        self.assertIsNone(self.draft(self.alice, slot))

    def test_the_journal_entries(self):
        journal = make_assignment(self.couple, "misunderstanding-journal", by=self.alice)
        services.opt_in(journal, self.bo)
        # The moment first: its words are a draft too, until suggested.
        self.save(self.alice, f"step:{journal.pk}:moment", "The party")
        self.assertContains(self.page(self.alice, journal), "The party</textarea>")
        self.step(self.alice, "moment", "The party last month", journal)
        self.assertIsNone(self.draft(self.alice, f"step:{journal.pk}:moment"))
        kinds.joint_journal.agree_moment(journal, self.bo)
        slot = f"step:{journal.pk}:perspective"
        self.save(self.alice, slot, "I thought the party was just us two")
        page = self.page(self.alice, journal)
        self.assertContains(page, "I thought the party was just us two</textarea>")
        self.assertContains(page, "data-draft")
        self.step(self.alice, "perspective", "I thought the party was just us two.", journal)
        self.assertIsNone(self.draft(self.alice, slot))
        # The next entries too: restating, and what we'll try next time.
        kinds.joint_journal.perspective(journal, self.bo, "I had invited my sister.")
        self.save(self.alice, f"step:{journal.pk}:restate", "You had made plans")
        self.assertContains(self.page(self.alice, journal), "You had made plans</textarea>")
        self.step(self.alice, "restate", "You had made plans long before.", journal)
        self.assertIsNone(self.draft(self.alice, f"step:{journal.pk}:restate"))

    def test_the_listening_turns(self):
        listening = make_assignment(self.couple, "reflective-listening", by=self.alice)
        services.opt_in(listening, self.bo)
        speaker = listening.parts.get(role="a").user
        listener = listening.parts.get(role="b").user
        slot = f"step:{listening.pk}:message"
        self.save(speaker, slot, "I feel alone when the phone comes out")
        self.assertContains(self.page(speaker, listening), "I feel alone when the phone comes out</textarea>")
        self.step(speaker, "message", "I feel alone when the phone comes out at dinner.", listening)
        self.assertIsNone(self.draft(speaker, slot))
        restate = f"step:{listening.pk}:restatement"
        self.save(listener, restate, "You feel alone")
        self.assertContains(self.page(listener, listening), "You feel alone</textarea>")
        self.step(listener, "restatement", "You feel alone when I look at my phone.", listening)
        self.assertIsNone(self.draft(listener, restate))

    def test_the_debrief(self):
        self.post(self.alice, "answer", body="mine", reveal_as="shared")
        self.post(self.bo, "answer", body="his", reveal_as="shared")
        slot = f"debrief:{self.assignment.pk}"
        self.save(self.alice, slot, "It was tender and a bit scary", field="note")
        self.assertContains(self.page(self.alice), "It was tender and a bit scary</textarea>")
        self.post(self.alice, "debrief", feeling="4", note="It was tender and a bit scary.", visibility="private")
        self.assertEqual(Debrief.objects.get(author=self.alice).note, "It was tender and a bit scary.")
        self.assertIsNone(self.draft(self.alice, slot))

    def test_the_safety_message(self):
        self.save(self.alice, "safety:message", "I am scared to say this")
        self.login(self.alice)
        url = reverse("safety:channel", args=[self.couple.pk])
        page = self.client.get(url)
        self.assertContains(page, "I am scared to say this</textarea>")
        self.assertContains(page, "data-draft")
        self.client.post(url, {"body": "I am scared to say this in front of them."})
        self.assertEqual(SafetyMessage.objects.get().body, "I am scared to say this in front of them.")
        self.assertIsNone(self.draft(self.alice, "safety:message"))


class RefusedSubmitTests(DraftCase):
    """A refused submit keeps the draft, with the words it came with."""

    def test_a_refused_answer_keeps_its_draft(self):
        self.save(self.alice, self.answer_slot)
        services.pause(self.assignment, self.bo)
        response = self.post(self.alice, "answer", body=LATER, reveal_as="shared")
        self.assertContains(response, LATER)
        self.assertFalse(Response.objects.exists())
        self.assertEqual(self.draft(self.alice, self.answer_slot).body, LATER)

    def test_an_invalid_answer_keeps_its_draft(self):
        self.save(self.alice, self.answer_slot)
        self.post(self.alice, "answer", body=LATER, reveal_as="everyone")
        self.assertEqual(self.draft(self.alice, self.answer_slot).body, LATER)
        # An empty submit deletes nothing.
        self.post(self.alice, "answer", body="", reveal_as="shared")
        self.assertEqual(self.draft(self.alice, self.answer_slot).body, LATER)

    def test_a_refused_step_keeps_its_draft(self):
        listening = make_assignment(self.couple, "reflective-listening", by=self.alice)
        services.opt_in(listening, self.bo)
        listener = listening.parts.get(role="b").user
        slot = f"step:{listening.pk}:restatement"
        self.save(listener, slot, "You feel")
        self.step(listener, "restatement", "You feel alone.", listening)  # not their turn yet
        self.assertFalse(Response.objects.filter(assignment=listening).exists())
        self.assertEqual(self.draft(listener, slot).body, "You feel alone.")

    def test_a_refused_debrief_keeps_its_draft(self):
        slot = f"debrief:{self.assignment.pk}"
        self.save(self.alice, slot, "a note", field="note")
        self.post(self.alice, "debrief", feeling="4", note="a longer note", visibility="private")  # not done yet
        self.assertFalse(Debrief.objects.exists())
        self.assertEqual(self.draft(self.alice, slot).body, "a longer note")

    def test_a_refused_safety_message_keeps_its_draft(self):
        self.save(self.alice, "safety:message", "I am scared")
        CareLink.objects.filter(pk=self.link.pk).update(status=CareLink.Status.ENDED)
        self.login(self.alice)
        self.client.post(reverse("safety:channel", args=[self.couple.pk]), {"body": "I am scared to say this."})
        self.assertFalse(SafetyMessage.objects.exists())
        self.assertEqual(self.draft(self.alice, "safety:message").body, "I am scared to say this.")


class OnlyTheAuthorTests(DraftCase):
    def test_the_partner_never_sees_a_draft(self):
        self.save(self.alice, self.answer_slot)
        self.save(self.alice, "safety:message", "a safety draft of hers")
        page = self.page(self.bo)
        self.assertNotContains(page, WORDS)
        self.assertNotContains(page, "Your draft from")
        self.login(self.bo)
        channel = self.client.get(reverse("safety:channel", args=[self.couple.pk]))
        self.assertNotContains(channel, "a safety draft of hers")
        self.assertNotContains(self.client.get("/"), WORDS)

    def test_only_the_authors_export_holds_drafts_and_no_fhir_bundle_does(self):
        self.save(self.alice, self.answer_slot)
        mine = build_export(self.alice)["couples"][0]["drafts"]
        self.assertEqual([(d["slot"], d["body"]) for d in mine], [(self.answer_slot, WORDS)])
        for person in (self.bo, self.theo):
            with self.subTest(person=person.display_name):
                self.assertNotIn(WORDS, json.dumps(build_export(person), default=str))
        self.assertNotIn(WORDS, json.dumps(measures_bundle(self.alice), default=str))

    def test_erasing_the_author_erases_their_drafts(self):
        self.save(self.alice, self.answer_slot)
        self.save(self.bo, self.answer_slot, "his")
        erase_person(self.alice)
        self.assertEqual(list(Draft.objects.values_list("body", flat=True)), ["his"])

    def test_a_closed_space_keeps_each_ones_drafts_until_it_is_emptied(self):
        self.save(self.alice, self.answer_slot)
        leave_couple(self.couple)
        self.couple.refresh_from_db()
        narrow_shared_space(self.couple)
        self.assertTrue(Draft.objects.filter(author=self.alice).exists())
        self.assertEqual(build_export(self.alice)["couples"][0]["drafts"][0]["body"], WORDS)
        empty_closed_space(self.couple)
        self.assertFalse(Draft.objects.exists())
