"""Care invites keep only keyed hashes: the therapist sees the code and link once, when made."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tandem.clinic.models import CareInvite, CareLink
from tandem.core.invites import normalize_code
from tandem.testkit.base import TandemTestCase, make_person, shown_invite, stored_anywhere
from tandem.testkit.migrations_case import MigrationTestCase


class CareInviteSecretsTestCase(TandemTestCase):
    """Una (no link yet) gives a code to Olga and Omar."""

    def make_invite(self, label: str = "Thursday") -> tuple[str, str]:
        self.login(self.una)
        return shown_invite(self.client.post(reverse("clinic:invite_create"), {"label": label}))


class NothingInTheClearTests(CareInviteSecretsTestCase):
    def test_the_code_and_link_are_nowhere_in_the_database(self):
        token, code = self.make_invite()
        self.assertEqual(stored_anywhere(token, code, normalize_code(code)), [])
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {q('token_hash')}, {q('code_hash')} FROM {q(CareInvite._meta.db_table)}")  # noqa: S608
            [(token_hash, code_hash)] = cursor.fetchall()
        self.assertRegex(token_hash, r"^[0-9a-f]{64}$")
        self.assertRegex(code_hash, r"^[0-9a-f]{64}$")

    def test_the_created_page_shows_code_link_note_and_expiry(self):
        self.login(self.una)
        page = self.client.post(reverse("clinic:invite_create"), {"label": "Thursday"})
        token, _code = shown_invite(page)
        self.assertContains(page, "Thursday")
        self.assertContains(page, reverse("clinic:link_join", args=[token]))
        self.assertContains(page, "shown only now")
        self.assertEqual(page.status_code, 200)


class CaseloadTests(CareInviteSecretsTestCase):
    def test_afterwards_the_practice_page_lists_it_without_the_code(self):
        token, code = self.make_invite()
        caseload = self.client.get(reverse("clinic:practice"))
        self.assertNotContains(caseload, code)
        self.assertNotContains(caseload, token)
        self.assertContains(caseload, "Thursday")
        self.assertContains(caseload, "Withdraw")
        self.assertContains(caseload, "Make a new code")

    def test_making_a_new_code_for_the_same_note_replaces_the_old_one(self):
        _old_token, old_code = self.make_invite()
        old = CareInvite.objects.get()
        page = self.client.post(reverse("clinic:invite_renew", args=[old.pk]))
        _new_token, new_code = shown_invite(page)
        self.assertNotEqual(new_code, old_code)
        self.assertContains(page, "Thursday")
        old.refresh_from_db()
        self.assertIsNotNone(old.revoked_at)
        fresh = CareInvite.objects.pending().get()
        self.assertEqual(fresh.label, "Thursday")
        self.login(self.olga)
        self.assertContains(self.client.post(reverse("clinic:link_code"), {"code": old_code}), "was withdrawn")
        self.assertContains(self.client.post(reverse("clinic:link_code"), {"code": new_code}), "Link with your")

    def test_a_used_code_cannot_be_renewed_and_nothing_changes(self):
        self.make_invite()
        invite = CareInvite.objects.get()
        CareInvite.objects.update(used_at=timezone.now())
        response = self.client.post(reverse("clinic:invite_renew", args=[invite.pk]), follow=True)
        self.assertContains(response, "can no longer be withdrawn")
        self.assertEqual(CareInvite.objects.count(), 1)

    def test_another_therapists_code_is_404(self):
        self.make_invite()
        self.login(self.theo)
        invite = CareInvite.objects.get()
        self.assertEqual(self.client.post(reverse("clinic:invite_renew", args=[invite.pk])).status_code, 404)
        self.assertEqual(CareInvite.objects.count(), 1)


class LinkingTests(CareInviteSecretsTestCase):
    def test_by_link(self):
        token, _code = self.make_invite()
        self.login(self.olga)
        self.client.post(reverse("clinic:link_join", args=[token]))
        self.assertEqual(CareLink.objects.get(couple=self.other_couple).status, CareLink.Status.PENDING)

    def test_by_code_typed_loosely_asks_then_links(self):
        _token, code = self.make_invite()
        self.login(self.olga)
        typed = f" {code.lower()} "
        page = self.client.post(reverse("clinic:link_code"), {"code": typed})
        self.assertContains(page, "Link with your therapist?")
        self.assertNotContains(page, "Thursday")  # the therapist's note stays theirs
        self.assertFalse(CareLink.objects.filter(couple=self.other_couple).exists())
        joined = self.client.post(reverse("clinic:link_code"), {"code": typed, "accept": "1"})
        self.assertRedirects(joined, reverse("home:couple", args=[self.other_couple.pk]))
        self.assertEqual(CareLink.objects.get(couple=self.other_couple).status, CareLink.Status.PENDING)

    def test_expired_and_withdrawn_are_refused_by_link_and_by_code(self):
        token, code = self.make_invite()
        invite = CareInvite.objects.get()
        for change, message in (
            ({"expires_at": timezone.now() - timedelta(minutes=1)}, "has expired"),
            ({"expires_at": timezone.now() + timedelta(days=1), "revoked_at": timezone.now()}, "was withdrawn"),
        ):
            CareInvite.objects.filter(pk=invite.pk).update(**change)
            self.login(self.olga)
            with self.subTest(message):
                self.assertContains(self.client.post(reverse("clinic:link_join", args=[token])), message)
                for data in ({"code": code}, {"code": code, "accept": "1"}):
                    self.assertContains(self.client.post(reverse("clinic:link_code"), data), message)
        self.assertFalse(CareLink.objects.filter(couple=self.other_couple).exists())


class MigrationTests(MigrationTestCase):
    """The named data migration hashes care invites stored in the clear."""

    before = [("clinic", "0004_encrypted_text")]
    after = [("clinic", "0007_drop_clear_care_invite_secrets")]

    def test_an_existing_care_invite_is_hashed_and_still_works(self):
        user = make_person("vale@example.org", "Vale")
        old = self.migrate(self.before)
        therapist = old.get_model("clinic", "Therapist").objects.create(user_id=user.pk, practice_name="Quay")
        old.get_model("clinic", "CareInvite").objects.create(
            therapist=therapist, token="a-clear-care-token-0123456789abcdefghijklm", code="MNPQRSTVWX"
        )
        self.migrate_latest()
        self.assertEqual(stored_anywhere("a-clear-care-token", "MNPQRSTVWX"), [])
        invite = CareInvite.objects.get()
        self.assertEqual(CareInvite.objects.find(token="a-clear-care-token-0123456789abcdefghijklm"), invite)
        self.assertEqual(CareInvite.objects.find(code="mnpqr stvwx"), invite)
