from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tandem.core.invites import normalize_code
from tandem.couples.models import Couple, Invite, Membership
from tandem.testkit.base import TandemTestCase, make_couple, make_person, shown_invite


class PairingTestCase(TandemTestCase):
    """Nadia starts a space and invites Kai; Alice/Bo and Olga/Omar exist too."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.nadia = make_person("nadia@example.org", "Nadia")
        cls.kai = make_person("kai@example.org", "Kai")

    def start_space(self):
        """Nadia's space and her invite, with the link token and code the page showed her."""
        self.login(self.nadia)
        self.client.post(reverse("couples:create"))
        couple = Couple.objects.get(memberships__user=self.nadia)
        token, code = shown_invite(self.client.post(reverse("couples:invite_create", args=[couple.pk])))
        invite = couple.invites.get()
        invite.token, invite.code = token, normalize_code(code)
        return couple, invite

    def assert_nothing_changed(self, couple, members: int):
        self.assertEqual(couple.memberships.count(), members)


class CreateCoupleTests(PairingTestCase):
    def test_create_makes_the_person_partner_one(self):
        self.login(self.nadia)
        response = self.client.post(reverse("couples:create"))
        couple = Couple.objects.get(memberships__user=self.nadia)
        self.assertRedirects(response, reverse("home:couple", args=[couple.pk]))
        self.assertEqual(couple.memberships.get().slot, 1)

    def test_second_space_is_refused_with_a_message(self):
        self.login(self.alice)
        response = self.client.post(reverse("couples:create"), follow=True)
        self.assertContains(response, "You already have a couple space")
        self.assertEqual(Membership.objects.filter(user=self.alice).count(), 1)

    def test_create_needs_post(self):
        self.login(self.nadia)
        self.assertEqual(self.client.get(reverse("couples:create")).status_code, 405)
        self.assertFalse(Couple.objects.filter(memberships__user=self.nadia).exists())

    def test_anonymous_is_asked_to_log_in(self):
        before = Couple.objects.count()
        response = self.client.post(reverse("couples:create"))
        # Signed out: nothing done, and a link to sign in (core.middleware.signed_out_post).
        self.assertContains(response, reverse("accounts:login"), status_code=401)
        self.assertEqual(Couple.objects.count(), before)


class InviteTests(PairingTestCase):
    def test_invite_shows_link_and_short_code(self):
        _couple, invite = self.start_space()
        self.assertRegex(invite.code, r"^[A-HJ-NP-TV-Z2-9]{10}$")  # no 0/O, 1/I/L or U
        self.assertGreaterEqual(len(invite.token), 40)
        self.assertEqual(invite.expires_at.date(), (timezone.now() + timedelta(days=7)).date())

    def test_htmx_invite_returns_only_the_panel(self):
        self.login(self.nadia)
        self.client.post(reverse("couples:create"))
        couple = Couple.objects.get(memberships__user=self.nadia)
        response = self.client.post(reverse("couples:invite_create", args=[couple.pk]), headers={"HX-Request": "true"})
        self.assertContains(response, 'id="invite-panel"')
        self.assertNotContains(response, "<html")

    def test_a_new_invite_replaces_the_old_one(self):
        couple, first = self.start_space()
        self.client.post(reverse("couples:invite_create", args=[couple.pk]))
        first.refresh_from_db()
        self.assertIsNotNone(first.revoked_at)
        self.assertEqual(couple.invites.pending().count(), 1)

    def test_revoke(self):
        couple, invite = self.start_space()
        self.client.post(reverse("couples:invite_revoke", args=[couple.pk, invite.pk]))
        invite.refresh_from_db()
        self.assertIsNotNone(invite.revoked_at)

    def test_revoking_twice_says_why_and_changes_nothing(self):
        couple, invite = self.start_space()
        self.client.post(reverse("couples:invite_revoke", args=[couple.pk, invite.pk]))
        invite.refresh_from_db()
        first_revoked = invite.revoked_at
        response = self.client.post(reverse("couples:invite_revoke", args=[couple.pk, invite.pk]), follow=True)
        self.assertContains(response, "can no longer be withdrawn")
        invite.refresh_from_db()
        self.assertEqual(invite.revoked_at, first_revoked)

    def test_no_invite_once_the_partner_joined(self):
        self.login(self.alice)
        response = self.client.post(reverse("couples:invite_create", args=[self.couple.pk]), follow=True)
        self.assertContains(response, "Your partner has already joined")
        self.assertFalse(Invite.objects.filter(couple=self.couple).exists())


class AcceptInviteTests(PairingTestCase):
    def test_accept_by_link(self):
        couple, invite = self.start_space()
        self.login(self.kai)
        url = reverse("couples:join", args=[invite.token])
        self.assertContains(self.client.get(url), "Nadia")
        response = self.client.post(url)
        # Joined: the next step is the consent question (tests/test_consent_question.py).
        self.assertRedirects(response, reverse("couples:consent_question", args=[couple.pk]))
        self.assertEqual([p.pk for p in couple.partners()], [self.nadia.pk, self.kai.pk])
        invite.refresh_from_db()
        self.assertEqual(invite.used_by, self.kai)
        # Both now see each other's names.
        self.assertContains(self.client.get(reverse("home:home")), "Nadia")
        self.login(self.nadia)
        self.assertContains(self.client.get(reverse("home:home")), "Kai")

    def test_accept_by_code_in_any_case_with_spaces(self):
        _couple, invite = self.start_space()
        self.login(self.kai)
        typed = f" {invite.code[:5].lower()} - {invite.code[5:]} "
        response = self.client.post(reverse("couples:join_code"), {"code": typed})
        self.assertContains(response, "Nadia")
        self.assertContains(response, f'name="code" value="{invite.code}"')

    def test_unknown_code(self):
        self.login(self.kai)
        response = self.client.post(reverse("couples:join_code"), {"code": "ABCDE-FGHJK"})
        self.assertContains(response, "No invite has this code")
        self.assertContains(response, 'value="ABCDE-FGHJK"')

    def test_malformed_and_empty_codes(self):
        self.login(self.kai)
        self.assertContains(self.client.post(reverse("couples:join_code"), {"code": "abc"}), "A code has 10 letters")
        self.assertContains(self.client.post(reverse("couples:join_code"), {"code": ""}), "Enter the code")

    def test_unknown_token_is_404_with_a_message(self):
        self.login(self.kai)
        response = self.client.get(reverse("couples:join", args=["nope"]))
        self.assertContains(response, "Check that you copied all of it", status_code=404)

    def _refused(self, invite, user, message):
        self.login(user)
        couples_before = set(Membership.objects.filter(user=user).values_list("couple_id", flat=True))
        url = reverse("couples:join", args=[invite.token])
        for response in (self.client.get(url), self.client.post(url)):
            self.assertContains(response, message)
        self.assertEqual(set(Membership.objects.filter(user=user).values_list("couple_id", flat=True)), couples_before)
        self.assertEqual(invite.couple.memberships.count(), 1)
        # The code form gives the same reason, whether asking or joining.
        for data in ({"code": invite.code}, {"code": invite.code, "accept": "1"}):
            self.assertContains(self.client.post(reverse("couples:join_code"), data), message)

    def test_expired(self):
        _couple, invite = self.start_space()
        Invite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        invite.refresh_from_db()
        self._refused(invite, self.kai, "This invite has expired")

    def test_revoked(self):
        couple, invite = self.start_space()
        self.client.post(reverse("couples:invite_revoke", args=[couple.pk, invite.pk]))
        invite.refresh_from_db()
        self._refused(invite, self.kai, "This invite was withdrawn")

    def test_already_used(self):
        _couple, invite = self.start_space()
        self.login(self.kai)
        self.client.post(reverse("couples:join", args=[invite.token]))
        invite.refresh_from_db()
        stranger = make_person("stranger@example.org", "Sasha")
        self.login(stranger)
        url = reverse("couples:join", args=[invite.token])
        self.assertContains(self.client.post(url), "already been used")
        self.assertEqual(invite.couple.memberships.count(), 2)
        self.assertFalse(Membership.objects.filter(user=stranger).exists())

    def test_own_invite(self):
        _couple, invite = self.start_space()
        self._refused(invite, self.nadia, "This is your own invite")

    def test_already_in_a_couple(self):
        _couple, invite = self.start_space()
        self._refused(invite, self.alice, "You already belong to a couple space")

    def test_closed_space(self):
        couple, invite = self.start_space()
        Couple.objects.filter(pk=couple.pk).update(closed_at=timezone.now())
        invite.refresh_from_db()
        self._refused(invite, self.kai, "has been closed")

    def test_a_couple_never_gets_a_third_partner(self):
        couple = make_couple(self.nadia)
        invite = Invite.objects.create(couple=couple, created_by=self.nadia)
        Membership.objects.create(couple=couple, user=self.kai, slot=2)
        third = make_person("third@example.org", "Ren")
        self.login(third)
        self.assertContains(self.client.post(reverse("couples:join", args=[invite.token])), "already has two partners")
        self.assertEqual(couple.memberships.count(), 2)


class RaceTests(PairingTestCase):
    def test_withdrawing_an_invite_that_was_just_used_keeps_it_used(self):
        from tandem.couples import services

        couple, invite = self.start_space()
        stale = Invite.objects.get(pk=invite.pk)  # loaded before the partner joins
        services.accept_invite(invite, self.kai)
        with self.assertRaisesMessage(services.CoupleError, "can no longer be withdrawn"):
            services.revoke_invite(stale)
        invite.refresh_from_db()
        self.assertIsNone(invite.revoked_at)
        self.assertEqual(couple.memberships.count(), 2)

    def test_leaving_twice_keeps_the_first_closing_time(self):
        from tandem.couples import services

        couple, _invite = self.start_space()
        stale = Couple.objects.get(pk=couple.pk)
        services.leave_couple(couple)
        closed_at = Couple.objects.get(pk=couple.pk).closed_at
        with self.assertRaisesMessage(services.CoupleError, "already closed"):
            services.leave_couple(stale)
        self.assertEqual(Couple.objects.get(pk=couple.pk).closed_at, closed_at)
