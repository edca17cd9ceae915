from django.urls import reverse

from tandem.clinic.models import CareLink
from tandem.couples.models import Invite, Membership
from tandem.testkit.base import TandemTestCase, make_couple, make_person


class LeaveTests(TandemTestCase):
    def test_leaving_is_folded_away_on_the_couple_page(self):
        import re

        self.login(self.alice)
        page = self.client.get(reverse("home:couple", args=[self.couple.pk])).content.decode()
        # One tap away, not in the first view: inside a closed disclosure.
        folded = re.search(r'<details class="card" data-testid="leave">(.*?)</details>', page, re.S)
        self.assertIsNotNone(folded)
        self.assertIn(reverse("couples:leave", args=[self.couple.pk]), folded.group(1))
        self.assertEqual(page.count(reverse("couples:leave", args=[self.couple.pk])), 1)

    def test_confirmation_page_first(self):
        self.login(self.alice)
        response = self.client.get(reverse("couples:leave", args=[self.couple.pk]))
        self.assertContains(response, "Close our couple space?")
        self.couple.refresh_from_db()
        self.assertTrue(self.couple.is_open)

    def test_confirmation_page_explains_the_read_window_and_retention(self):
        self.login(self.alice)
        with self.settings(BREAKUP_READ_DAYS=30, CLOSED_SPACE_RETENTION_DAYS=365):
            response = self.client.get(reverse("couples:leave", args=[self.couple.pk]))
        self.assertContains(response, "For 30 days you can both still read and export")
        self.assertContains(response, "each of you keeps only what you wrote yourself")
        self.assertContains(response, "After 365 days the closed space is emptied completely")
        with self.settings(BREAKUP_READ_DAYS=7, CLOSED_SPACE_RETENTION_DAYS=0):
            response = self.client.get(reverse("couples:leave", args=[self.couple.pk]))
        self.assertContains(response, "For 7 days")
        self.assertNotContains(response, "emptied completely")

    def test_unticked_box_says_so_and_changes_nothing(self):
        self.login(self.alice)
        response = self.client.post(reverse("couples:leave", args=[self.couple.pk]), {})
        self.assertContains(response, "Tick the box to confirm")
        self.couple.refresh_from_db()
        self.assertTrue(self.couple.is_open)

    def test_leaving_closes_the_space_for_both_and_ends_the_care_link(self):
        self.login(self.bo)
        response = self.client.post(reverse("couples:leave", args=[self.couple.pk]), {"confirm": "on"})
        self.assertRedirects(response, reverse("home:home"))
        self.couple.refresh_from_db()
        self.assertFalse(self.couple.is_open)
        self.assertFalse(Membership.objects.filter(couple=self.couple, active=True).exists())
        self.link.refresh_from_db()
        self.assertEqual(self.link.status, CareLink.Status.ENDED)

        # Read-only for both partners: the page still opens, the actions don't.
        for partner in (self.alice, self.bo):
            self.login(partner)
            page = self.client.get(reverse("home:couple", args=[self.couple.pk]))
            self.assertContains(page, "read-only")
            self.assertNotContains(page, reverse("couples:leave", args=[self.couple.pk]))
            self.assertEqual(
                self.client.post(reverse("couples:leave", args=[self.couple.pk]), {"confirm": "on"}).status_code, 404
            )
            self.assertContains(self.client.get(reverse("home:home")), "Closed spaces")

        # The therapist loses access at once.
        self.login(self.theo)
        self.assertEqual(self.client.get(reverse("clinic:couple", args=[self.couple.pk])).status_code, 404)

    def test_after_leaving_both_can_start_again(self):
        self.login(self.alice)
        self.client.post(reverse("couples:leave", args=[self.couple.pk]), {"confirm": "on"})
        self.client.post(reverse("couples:create"))
        self.assertEqual(Membership.objects.filter(user=self.alice, active=True).count(), 1)

    def test_leaving_revokes_open_invites(self):
        nadia = make_person("nadia@example.org", "Nadia")
        couple = make_couple(nadia)
        invite = Invite.objects.create(couple=couple, created_by=nadia)
        self.login(nadia)
        self.client.post(reverse("couples:leave", args=[couple.pk]), {"confirm": "on"})
        invite.refresh_from_db()
        self.assertIsNotNone(invite.revoked_at)
