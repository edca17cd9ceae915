"""Erasure (issue 8, point 5): deleting an account removes what the person
wrote, ends the couple and the care link, and keeps only a pseudonymous trail."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from tandem.accounts.models import User
from tandem.authoring.models import PracticeExercise
from tandem.authoring.tests.factories import make_practice_exercise
from tandem.blocks.models import Block
from tandem.boundaries.models import Answer
from tandem.clinic.models import AuditEntry, CareLink, CaseNote
from tandem.couples.models import Membership
from tandem.measures.models import MeasureResponse
from tandem.privacy.export import entry_models
from tandem.privacy.models import ErasureRecord
from tandem.privacy.services import erase_person, pseudonym
from tandem.privacy.tests.seeding import make_auth_stale, seed
from tandem.safety.models import SafetyMessage
from tandem.testkit.base import TandemTestCase


def tables_containing(needle: str) -> list[str]:
    """Every table.column whose text holds ``needle``, by raw SQL over the whole database."""
    quote = connection.ops.quote_name
    found = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {quote(table)} WHERE 1 = 0")  # noqa: S608 -- names from introspection
            for column in [c[0] for c in cursor.description]:
                cursor.execute(
                    f"SELECT COUNT(*) FROM {quote(table)} WHERE LOWER(CAST({quote(column)} AS TEXT)) LIKE %s",  # noqa: S608
                    [f"%{needle.lower()}%"],
                )
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}")
    return found


class PartnerErasureTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.markers = seed(cls)
        # A read of bo's own data: listed for bo only.
        cls.read_of_bo = AuditEntry.objects.create(
            therapist=cls.theo, couple=cls.couple, path="/m/", object_type="measures.measureresponse", subject=cls.bo
        )

    def test_the_partner_loses_the_erased_persons_shared_entries_at_once_and_keeps_their_own(self):
        bo_id = self.bo.pk
        erase_person(self.bo)
        for model in entry_models():
            self.assertFalse(model.objects.filter(author_id=bo_id).exists(), model)
            mine = model.objects.filter(couple=self.couple, author=self.alice)
            self.assertEqual(mine.count(), 4, model)
            self.assertEqual(set(model.objects.readable_by(self.alice).filter(couple=self.couple)), set(mine))
        self.assertFalse(Answer.objects.filter(author_id=bo_id).exists())
        self.assertFalse(MeasureResponse.objects.filter(person_id=bo_id).exists())
        self.assertFalse(
            {m.body for m in SafetyMessage.objects.all()} & set(["MARK-BO-SAFETY", "MARK-THEO-REPLY-TO-BO"])
        )
        # What both hold stays with alice for the break-up window, nameless.
        self.assertIsNone(Block.objects.get(pk=self.markers.ids["block"].pk).proposed_by)

    def test_the_couple_closes_and_the_care_link_ends(self):
        erase_person(self.bo)
        self.couple.refresh_from_db()
        self.assertIsNotNone(self.couple.closed_at)
        self.link.refresh_from_db()
        self.assertEqual(self.link.status, CareLink.Status.ENDED)
        self.assertEqual(
            list(Membership.objects.filter(couple=self.couple).values_list("user", flat=True)), [self.alice.pk]
        )
        self.assertFalse(User.objects.filter(pk=self.bo.pk).exists())

    def test_the_trail_is_a_pseudonymous_record(self):
        expected = pseudonym(self.bo.pk)
        record = erase_person(self.bo)
        self.assertEqual((record.kind, record.ref, record.role), ("account", expected, "partner"))
        self.assertTrue(expected.startswith("p-"))
        self.assertNotIn(str(self.bo.pk), expected[2:4])  # not the id itself
        self.assertEqual(record.summary["wins.win"], 4)
        self.assertNotIn("bo", str(record.summary).replace("boundaries", ""))

    def test_reads_of_the_erased_persons_own_data_stay_hidden_from_the_partner(self):
        erase_person(self.bo)
        self.read_of_bo.refresh_from_db()
        self.assertIsNone(self.read_of_bo.subject)
        self.assertFalse(AuditEntry.objects.shown_to(self.alice).filter(pk=self.read_of_bo.pk).exists())

    def test_the_e_mail_address_is_nowhere_in_the_database(self):
        self.assertIn("accounts_user.email", tables_containing("bo@example.org"))
        erase_person(self.bo)
        self.assertEqual(tables_containing("bo@example.org"), [])
        self.assertIn("accounts_user.email", tables_containing("alice@example.org"))

    def test_when_both_partners_are_gone_the_space_is_emptied(self):
        erase_person(self.bo)
        erase_person(self.alice)
        for model in entry_models():
            self.assertFalse(model.objects.filter(couple=self.couple).exists(), model)
        self.assertTrue(ErasureRecord.objects.filter(kind="closed_space", space=self.couple.pk).exists())
        self.assertEqual(ErasureRecord.objects.filter(kind="account").count(), 2)
        self.assertTrue(AuditEntry.objects.filter(couple=self.couple).exists())
        self.assertEqual(tables_containing("alice@example.org"), [])


class TherapistErasureTests(TandemTestCase):
    def test_a_therapists_reads_stay_under_a_pseudonym(self):
        self.login(self.theo)
        self.client.get(reverse("clinic:couple", args=[self.couple.pk]))
        CaseNote.objects.create(therapist=self.theo.therapist, couple=self.couple, body="note")
        make_practice_exercise(self.theo)
        reads = list(AuditEntry.objects.filter(therapist=self.theo).values_list("pk", flat=True))
        self.assertTrue(reads)
        ref = pseudonym(self.theo.pk)

        record = erase_person(self.theo)

        self.assertEqual(record.role, "therapist")
        for entry in AuditEntry.objects.filter(pk__in=reads):
            self.assertIsNone(entry.therapist_id)
            self.assertEqual(entry.therapist_ref, ref)
        self.assertFalse(CaseNote.objects.exists())
        self.assertFalse(PracticeExercise.objects.exists())
        self.assertFalse(CareLink.objects.filter(couple=self.couple).exists())
        self.assertEqual(tables_containing("theo@example.org"), [])
        # The couple stays open: only the therapist went.
        self.couple.refresh_from_db()
        self.assertTrue(self.couple.is_open)
        self.login(self.alice)
        self.assertContains(
            self.client.get(reverse("clinic:audit_log", args=[self.couple.pk])), "a former care team member"
        )

    def test_the_partners_safety_messages_outlive_the_therapist_and_their_replies_do_not(self):
        from tandem.privacy.export import build_export
        from tandem.safety import services as safety

        message = safety.send(self.couple, self.alice, "MARKER-alice-to-theo")
        safety.reply(message.thread, "MARKER-theo-reply")

        erase_person(self.theo)

        thread = message.thread
        thread.refresh_from_db()
        self.assertIsNone(thread.therapist_id)
        self.assertEqual(list(thread.messages.values_list("body", flat=True)), ["MARKER-alice-to-theo"])
        exported = str(build_export(self.alice))
        self.assertIn("MARKER-alice-to-theo", exported)
        self.assertNotIn("MARKER-theo-reply", exported)
        self.assertIn("a former care team member", exported)


class DeletePageTests(TandemTestCase):
    url = reverse("privacy:delete")

    def test_page_warns_and_asks_for_the_email_address(self):
        self.login(self.bo)
        page = self.client.get(self.url)
        self.assertContains(page, "Delete your account?")
        self.assertContains(page, 'name="email"')
        self.assertContains(page, reverse("privacy:export"))

    def test_a_wrong_or_missing_email_deletes_nothing(self):
        self.login(self.bo)
        for data, says in (
            ({"email": "alice@example.org"}, "Nothing was deleted."),
            ({}, "Type your e-mail address to confirm that you want to delete your account."),
        ):
            with self.subTest(data=data):
                self.assertContains(self.client.post(self.url, data), says)
                self.assertTrue(User.objects.filter(pk=self.bo.pk).exists())

    def test_without_a_recent_confirmation_nothing_is_deleted(self):
        self.login(self.bo)
        make_auth_stale(self.client)
        response = self.client.post(self.url, {"email": "bo@example.org"})
        self.assertTrue(response["Location"].startswith(reverse("security:confirm")))
        self.assertTrue(User.objects.filter(pk=self.bo.pk).exists())

    def test_deleting_logs_out_and_leaves_nothing(self):
        self.login(self.bo)
        response = self.client.post(self.url, {"email": " BO@example.org "})
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)
        self.assertFalse(User.objects.filter(email="bo@example.org").exists())
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertContains(self.client.get(reverse("home:home")), "Your account and what you wrote are deleted.")
        self.couple.refresh_from_db()
        self.assertFalse(self.couple.is_open)
        self.assertEqual(tables_containing("bo@example.org"), [])
