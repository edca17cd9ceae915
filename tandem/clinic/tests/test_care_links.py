from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tandem.clinic.models import CareInvite, CareLink, Therapist
from tandem.core.invites import normalize_code
from tandem.testkit.base import TandemTestCase, make_couple, make_person, shown_invite


class RegisterTests(TandemTestCase):
    def test_register_as_therapist(self):
        nadia = make_person("nadia@example.org", "Nadia")
        self.login(nadia)
        response = self.client.post(reverse("clinic:register"), {"practice_name": "  Quiet Rooms  "})
        self.assertRedirects(response, reverse("clinic:caseload"), fetch_redirect_response=False)
        self.assertEqual(Therapist.objects.get(user=nadia).practice_name, "Quiet Rooms")
        # A new therapist sets up two-factor before the caseload (which names partners) opens.
        self.assertRedirects(
            self.client.get(reverse("clinic:caseload")), reverse("security:two_factor") + "?next=%2Fclinic%2F"
        )

    def test_blank_practice_name(self):
        nadia = make_person("nadia@example.org", "Nadia")
        self.login(nadia)
        response = self.client.post(reverse("clinic:register"), {"practice_name": "   "})
        self.assertContains(response, "Enter the name of your practice")
        self.assertFalse(Therapist.objects.filter(user=nadia).exists())

    def test_caseload_is_404_for_non_therapists(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("clinic:caseload")).status_code, 404)


class CareLinkFlowTests(TandemTestCase):
    """Una invites Olga and Omar; the link needs both of them."""

    def invite(self) -> CareInvite:
        """Una's new code, with the link token and code her page showed her."""
        self.login(self.una)
        token, code = shown_invite(self.client.post(reverse("clinic:invite_create"), {"label": "Thursday"}))
        invite = CareInvite.objects.get(therapist=self.una.therapist)
        invite.token, invite.code = token, normalize_code(code)
        return invite

    def test_both_partners_must_accept(self):
        invite = self.invite()
        self.assertContains(self.client.get(reverse("clinic:practice")), "Thursday")

        self.login(self.olga)
        response = self.client.post(reverse("clinic:link_code"), {"code": invite.code})
        self.assertContains(response, "Link with your therapist?")
        self.client.post(reverse("clinic:link_code"), {"code": invite.code, "accept": "1"})
        link = CareLink.objects.get(couple=self.other_couple)
        self.assertEqual(link.status, CareLink.Status.PENDING)

        # Pending: the therapist sees "waiting for the couple" and no names, and no access.
        self.login(self.una)
        caseload = self.client.get(reverse("clinic:caseload"))
        self.assertContains(caseload, "waiting for the couple")
        self.assertNotContains(caseload, "Olga")
        self.assertEqual(self.client.get(reverse("clinic:couple", args=[self.other_couple.pk])).status_code, 404)

        # Omar is asked on the couple page and accepts.
        self.login(self.omar)
        self.assertContains(
            self.client.get(reverse("home:couple", args=[self.other_couple.pk])), "Your answer is needed"
        )
        self.client.post(reverse("clinic:link_consent", args=[self.other_couple.pk, link.pk]))
        link.refresh_from_db()
        self.assertEqual(link.status, CareLink.Status.ACTIVE)

        self.login(self.una)
        self.assertContains(self.client.get(reverse("clinic:caseload")), "Olga")
        self.assertEqual(self.client.get(reverse("clinic:couple", args=[self.other_couple.pk])).status_code, 200)

    def test_the_first_partner_sees_waiting_without_pressure_words(self):
        invite = self.invite()
        self.login(self.olga)
        self.client.post(reverse("clinic:link_join", args=[invite.token]))
        page = self.client.get(reverse("home:couple", args=[self.other_couple.pk]))
        self.assertContains(page, "Waiting for your partner to answer")

    def test_either_partner_can_end_the_link_and_access_stops_at_once(self):
        self.login(self.bo)
        url = reverse("clinic:link_end", args=[self.couple.pk, self.link.pk])
        self.assertContains(self.client.post(url, {}), "Tick the box")
        self.link.refresh_from_db()
        self.assertTrue(self.link.is_active)
        self.client.post(url, {"confirm": "on"})
        self.link.refresh_from_db()
        self.assertEqual(self.link.status, CareLink.Status.ENDED)
        self.login(self.theo)
        self.assertEqual(self.client.get(reverse("clinic:couple", args=[self.couple.pk])).status_code, 404)
        self.assertNotContains(self.client.get(reverse("clinic:caseload")), "Alice")

    def test_declining_a_pending_link(self):
        invite = self.invite()
        self.login(self.olga)
        self.client.post(reverse("clinic:link_join", args=[invite.token]))
        link = CareLink.objects.get(couple=self.other_couple)
        self.login(self.omar)
        self.client.post(reverse("clinic:link_end", args=[self.other_couple.pk, link.pk]), {"confirm": "on"})
        link.refresh_from_db()
        self.assertEqual(link.status, CareLink.Status.ENDED)
        self.assertEqual(
            self.client.post(reverse("clinic:link_consent", args=[self.other_couple.pk, link.pk])).status_code, 404
        )

    def test_refusals_say_why_and_change_nothing(self):
        invite = self.invite()
        # A couple that already has a therapist.
        self.login(self.alice)
        self.assertContains(
            self.client.post(reverse("clinic:link_code"), {"code": invite.code}), "already has a therapist link"
        )
        # A person without a complete couple.
        solo = make_person("solo@example.org", "Sol")
        make_couple(solo)
        self.login(solo)
        self.assertContains(
            self.client.post(reverse("clinic:link_code"), {"code": invite.code}), "Your partner needs to join"
        )
        nobody = make_person("nobody@example.org", "Noa")
        self.login(nobody)
        self.assertContains(
            self.client.post(reverse("clinic:link_join", args=[invite.token])), "You need a couple space"
        )
        # Unknown and malformed codes.
        self.assertContains(
            self.client.post(reverse("clinic:link_code"), {"code": "ABCDE-FGHJK"}), "No therapist code matches"
        )
        self.assertContains(self.client.post(reverse("clinic:link_code"), {"code": "x"}), "A code has 10 letters")
        invite.refresh_from_db()
        self.assertIsNone(invite.used_at)
        self.assertEqual(CareLink.objects.count(), 1)

    def test_expired_and_used_codes(self):
        invite = self.invite()
        CareInvite.objects.filter(pk=invite.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
        self.login(self.olga)
        self.assertContains(self.client.post(reverse("clinic:link_code"), {"code": invite.code}), "has expired")
        CareInvite.objects.filter(pk=invite.pk).update(
            expires_at=timezone.now() + timedelta(days=1), used_at=timezone.now()
        )
        self.assertContains(self.client.post(reverse("clinic:link_join", args=[invite.token])), "already been used")
        self.assertFalse(CareLink.objects.filter(couple=self.other_couple).exists())

    def test_a_therapist_cannot_link_their_own_couple(self):
        therapist_partner = make_person("tp@example.org", "Tam")
        Therapist.objects.create(user=therapist_partner, practice_name="Own")
        other = make_person("op@example.org", "Ola")
        couple = make_couple(therapist_partner, other)
        invite = CareInvite.objects.create(therapist=therapist_partner.therapist)
        self.login(other)
        self.assertContains(
            self.client.post(reverse("clinic:link_join", args=[invite.token])), "their own couple space"
        )
        self.assertFalse(CareLink.objects.filter(couple=couple).exists())

    def test_therapist_revokes_a_code(self):
        invite = self.invite()
        self.client.post(reverse("clinic:invite_revoke", args=[invite.pk]))
        invite.refresh_from_db()
        self.assertIsNotNone(invite.revoked_at)
        response = self.client.post(reverse("clinic:invite_revoke", args=[invite.pk]), follow=True)
        self.assertContains(response, "can no longer be withdrawn")

    def test_label_too_long(self):
        self.login(self.una)
        response = self.client.post(reverse("clinic:invite_create"), {"label": "x" * 81})
        self.assertContains(response, "under 80 characters (it has 81)")
        self.assertContains(response, "x" * 81)
        self.assertFalse(CareInvite.objects.exists())

    def test_the_label_is_never_shown_to_the_couple(self):
        invite = self.invite()
        self.login(self.olga)
        self.assertNotContains(self.client.get(reverse("clinic:link_join", args=[invite.token])), "Thursday")
