"""Partner invites keep only keyed hashes: the link and code are shown once, when made, and never stored."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tandem.core import dates
from tandem.core.invites import normalize_code
from tandem.couples.models import Couple, Invite
from tandem.testkit.base import TandemTestCase, make_couple, make_person, shown_invite, stored_anywhere
from tandem.testkit.migrations_case import MigrationTestCase

HTMX = {"HX-Request": "true"}


class InviteSecretsTestCase(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.nadia = make_person("nadia@example.org", "Nadia")
        cls.kai = make_person("kai@example.org", "Kai")
        cls.space = make_couple(cls.nadia)

    def make_invite(self, **headers) -> tuple[str, str]:
        self.login(self.nadia)
        return shown_invite(self.client.post(reverse("couples:invite_create", args=[self.space.pk]), headers=headers))


class NothingInTheClearTests(InviteSecretsTestCase):
    def test_the_link_and_code_are_nowhere_in_the_database(self):
        token, code = self.make_invite(**HTMX)
        self.assertEqual(stored_anywhere(token, code, normalize_code(code)), [])
        # What is there: two hashes of 64 hex characters, neither the token nor the code.
        q = connection.ops.quote_name
        columns = [f.column for f in Invite._meta.local_concrete_fields]
        self.assertNotIn("token", columns)
        self.assertNotIn("code", columns)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {q('token_hash')}, {q('code_hash')} FROM {q(Invite._meta.db_table)}")  # noqa: S608
            (token_hash, code_hash), *more = cursor.fetchall()
        self.assertEqual(more, [])
        for stored in (token_hash, code_hash):
            self.assertRegex(stored, r"^[0-9a-f]{64}$")
        self.assertNotEqual(token_hash, code_hash)

    def test_the_page_without_htmx_shows_them_too_and_keeps_nothing(self):
        token, code = self.make_invite()
        self.assertEqual(stored_anywhere(token, code, normalize_code(code)), [])
        self.assertEqual(self.space.invites.pending().count(), 1)

    def test_a_hash_is_no_link(self):
        self.make_invite(**HTMX)
        stored = Invite.objects.values_list("token_hash", "code_hash").get()
        self.login(self.kai)
        for value in stored:
            self.assertEqual(self.client.get(reverse("couples:join", args=[value])).status_code, 404)
        self.assertContains(self.client.post(reverse("couples:join_code"), {"code": stored[1][:10]}), "No invite")


class ShownOnceTests(InviteSecretsTestCase):
    def test_shown_right_after_making_it_then_only_pending_with_its_expiry(self):
        token, code = self.make_invite(**HTMX)
        page = self.client.get(reverse("home:couple", args=[self.space.pk]))
        self.assertNotContains(page, token)
        self.assertNotContains(page, code)
        self.assertContains(page, "An invite is waiting for your partner")
        expires = Invite.objects.get().expires_at
        self.assertEqual(expires.date(), (timezone.now() + timedelta(days=7)).date())
        with timezone.override(ZoneInfo(self.nadia.time_zone)):
            when = dates.show_moment(expires)
        self.assertContains(page, f"(it expires {when}).")
        self.assertContains(page, "Withdraw this invite")
        self.assertContains(page, "Make a new invite")

    def test_making_a_new_one_shows_a_new_link_and_the_old_one_stops(self):
        old_token, old_code = self.make_invite(**HTMX)
        new_token, new_code = self.make_invite(**HTMX)
        self.assertNotEqual(old_token, new_token)
        self.assertNotEqual(old_code, new_code)
        self.assertEqual(self.space.invites.pending().count(), 1)
        self.login(self.kai)
        self.assertContains(self.client.get(reverse("couples:join", args=[old_token])), "This invite was withdrawn")
        self.assertContains(self.client.post(reverse("couples:join_code"), {"code": old_code}), "was withdrawn")
        self.assertContains(self.client.get(reverse("couples:join", args=[new_token])), "Nadia")

    def test_withdrawn_then_the_panel_offers_a_new_one(self):
        self.make_invite(**HTMX)
        invite = Invite.objects.get()
        panel = self.client.post(reverse("couples:invite_revoke", args=[self.space.pk, invite.pk]), headers=HTMX)
        self.assertContains(panel, "Create an invite")
        self.assertNotContains(panel, "An invite is waiting")


class JoiningTests(InviteSecretsTestCase):
    def test_by_link(self):
        token, _code = self.make_invite()
        self.login(self.kai)
        url = reverse("couples:join", args=[token])
        self.assertContains(self.client.get(url), "Nadia")
        self.assertRedirects(self.client.post(url), reverse("couples:consent_question", args=[self.space.pk]))
        self.assertEqual([p.pk for p in self.space.partners()], [self.nadia.pk, self.kai.pk])

    def test_by_code_typed_in_any_case_with_spaces_and_dashes(self):
        _token, code = self.make_invite()
        self.login(self.kai)
        typed = f" {code[:3].lower()} {code[3:5]}--{code[6:].lower()} "
        page = self.client.post(reverse("couples:join_code"), {"code": typed})
        self.assertContains(page, "Nadia")
        self.assertFalse(self.space.memberships.filter(user=self.kai).exists())  # asked first, not joined yet
        joined = self.client.post(reverse("couples:join_code"), {"code": typed, "accept": "1"})
        self.assertRedirects(joined, reverse("couples:consent_question", args=[self.space.pk]))
        self.assertTrue(self.space.memberships.filter(user=self.kai).exists())
        self.assertIsNotNone(Invite.objects.get().used_at)

    def test_expired_is_refused_by_link_and_by_code(self):
        token, code = self.make_invite()
        Invite.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        self.login(self.kai)
        self.assertContains(self.client.post(reverse("couples:join", args=[token])), "This invite has expired")
        for data in ({"code": code}, {"code": code, "accept": "1"}):
            self.assertContains(self.client.post(reverse("couples:join_code"), data), "This invite has expired")
        self.assertEqual(self.space.memberships.count(), 1)

    def test_withdrawn_is_refused_by_link_and_by_code(self):
        token, code = self.make_invite()
        self.client.post(reverse("couples:invite_revoke", args=[self.space.pk, Invite.objects.get().pk]))
        self.login(self.kai)
        self.assertContains(self.client.post(reverse("couples:join", args=[token])), "This invite was withdrawn")
        for data in ({"code": code}, {"code": code, "accept": "1"}):
            self.assertContains(self.client.post(reverse("couples:join_code"), data), "This invite was withdrawn")
        self.assertEqual(self.space.memberships.count(), 1)

    def test_an_old_secret_key_still_finds_invites_sent_before_a_rotation(self):
        token, code = self.make_invite()
        self.login(self.kai)
        with self.settings(SECRET_KEY="a new and entirely different key " * 3, SECRET_KEY_FALLBACKS=[self._old_key()]):
            self.assertContains(self.client.get(reverse("couples:join", args=[token])), "Nadia")
            self.assertContains(self.client.post(reverse("couples:join_code"), {"code": code}), "Nadia")
        with self.settings(SECRET_KEY="a new and entirely different key " * 3, SECRET_KEY_FALLBACKS=[]):
            self.login(self.kai)  # the session, too, was signed with the old key
            self.assertEqual(self.client.get(reverse("couples:join", args=[token])).status_code, 404)

    def _old_key(self) -> str:
        from django.conf import settings

        return settings.SECRET_KEY


class MigrationTests(MigrationTestCase):
    """The named data migration hashes invites that were stored in the clear, and can be reversed."""

    before = [("couples", "0001_couple_space")]
    after = [("couples", "0004_drop_clear_invite_secrets")]

    def test_an_existing_invite_is_hashed_and_still_works(self):
        user = make_person("nadia@example.org", "Nadia")
        old = self.migrate(self.before)
        couple = old.get_model("couples", "Couple").objects.create()
        old.get_model("couples", "Membership").objects.create(couple=couple, user_id=user.pk, slot=1)
        old.get_model("couples", "Invite").objects.create(
            couple=couple, created_by_id=user.pk, token="an-old-clear-token-0123456789abcdefghijkl", code="ABCDEFGHJK"
        )
        self.migrate_latest()
        self.assertEqual(stored_anywhere("an-old-clear-token", "ABCDEFGHJK"), [])
        invite = Invite.objects.get()
        self.assertEqual(Invite.objects.find(token="an-old-clear-token-0123456789abcdefghijkl"), invite)
        self.assertEqual(Invite.objects.find(code="abcde-fghjk"), invite)
        self.assertEqual(Couple.objects.get().pk, couple.pk)

    def test_reversing_gives_fresh_secrets_the_old_ones_cannot_be_recovered(self):
        self.migrate(self.before)
        self.migrate_latest()
        couple = make_couple(make_person("nadia@example.org", "Nadia"))
        Invite.objects.create(couple=couple, created_by=couple.partners()[0])
        Invite.objects.create(couple=couple, created_by=couple.partners()[0])
        old = self.migrate(self.before)
        values = list(old.get_model("couples", "Invite").objects.values_list("token", "code"))
        self.assertEqual(len(values), 2)
        self.assertEqual(len({token for token, _ in values}), 2)
        self.assertTrue(all(len(code) == 10 for _, code in values))
