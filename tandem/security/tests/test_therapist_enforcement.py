"""Two-factor is mandatory for therapists before any couple data.

Built on the outsider walker (its objects and its table of ids, so a new URL
is covered or fails there) and on the therapist walk's list of every page. A
therapist without two-factor, or whose session did not pass it, is sent to
set it up (GET) or refused (POST) on every page with couple data, and no
audit entry is written: nothing was read.
"""

from __future__ import annotations

from django.urls import reverse

from tandem.clinic.models import AuditEntry, CareLink, CaseNote, HomeworkSchedule
from tandem.clinic.tests.test_therapist_walk import TherapistSeesOnlySharedTests
from tandem.home.tests import test_outsiders as outsiders
from tandem.measures.models import MeasurePlan
from tandem.safety.models import SafetyMessage
from tandem.security import twofactor
from tandem.security.models import TwoFactor
from tandem.security.tests.helpers import edit_session

SETUP = reverse("security:two_factor")
CONFIRM = reverse("security:confirm")


class TherapistTwoFactorTests(outsiders.OutsiderTests):
    therapist_pages = TherapistSeesOnlySharedTests.therapist_pages

    def reachable_with_two_factor(self) -> list[str]:
        """The pages the linked therapist opens (200) from a session that passed two-factor."""
        self.login(self.theo)
        return [url for url in self.therapist_pages() if self.client.get(url).status_code == 200]

    def couple_data_pages(self, urls: list[str]) -> list[str]:
        return [url for url in urls if str(self.couple.pk) in url or url.startswith("/clinic/")]

    def state(self) -> tuple:
        return (
            AuditEntry.objects.count(),
            SafetyMessage.objects.count(),
            CaseNote.objects.count(),
            MeasurePlan.objects.count(),
            HomeworkSchedule.objects.filter(active=True).count(),
            self.couple.assignments.count(),
        )

    def assert_refused_everywhere(self, urls: list[str], goes_to: str) -> None:
        before = self.state()
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302, url)
                self.assertTrue(response["Location"].startswith(goes_to + "?next="), response["Location"])
        # Every write a therapist can make, refused before anything is looked up.
        writes = [u for u in self.object_urls() if u.startswith("/clinic/")] + [reverse("clinic:invite_create")]
        for url in writes:
            with self.subTest(post=url):
                response = self.client.post(url, {"body": "late words", "text": "a note", "confirm": "on"})
                self.assertIn(response.status_code, (403, 405), url)
                if response.status_code == 403:
                    self.assertContains(response, "Nothing was changed", status_code=403)
        # No audit entry (nothing was read) and nothing written.
        self.assertEqual(self.state(), before)

    def test_without_two_factor_every_couple_page_sends_the_therapist_to_set_it_up(self):
        reachable = self.couple_data_pages(self.reachable_with_two_factor())
        self.assertGreaterEqual(len(reachable), 6)  # caseload, couple page, measures, FHIR, safety list and thread
        self.assertIn(reverse("clinic:caseload"), reachable)  # the caseload names partners
        TwoFactor.objects.filter(user=self.theo).delete()
        self.login(self.theo)
        self.assert_refused_everywhere(reachable, SETUP)

    def test_a_session_that_did_not_pass_two_factor_is_asked_to_confirm(self):
        reachable = self.couple_data_pages(self.reachable_with_two_factor())
        self.login(self.theo)
        edit_session(self.client, **{twofactor.SESSION_VERIFIED: None})
        self.assert_refused_everywhere(reachable, CONFIRM)

    def test_a_mark_from_an_older_authenticator_does_not_count(self):
        reachable = self.couple_data_pages(self.reachable_with_two_factor())
        self.login(self.theo)
        # Two-factor was reset elsewhere: this session's mark names the old one.
        TwoFactor.objects.filter(user=self.theo).delete()
        new = TwoFactor.objects.create(user=self.theo, secret="JBSWY3DPEHPK3PXP" * 2, confirmed_at=self.link.created_at)
        self.assertNotEqual(new.pk, self.client.session[twofactor.SESSION_VERIFIED])
        self.assert_refused_everywhere(reachable, CONFIRM)

    def test_with_two_factor_the_pages_work_and_are_audited(self):
        reachable = self.couple_data_pages(self.reachable_with_two_factor())
        self.assertTrue(AuditEntry.objects.filter(therapist=self.theo, couple=self.couple).exists())
        for url in reachable:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_the_refusal_says_nothing_about_other_couples(self):
        # An unlinked therapist without two-factor: still the same 404 on this couple's pages
        # that are not therapist-only, and the set-up page on therapist-only ones (whatever the id).
        TwoFactor.objects.filter(user=self.una).delete()
        self.login(self.una)
        for url in self.object_urls():
            if url.startswith("/clinic/"):
                continue
            with self.subTest(url=url):
                self.assertIn(self.client.get(url).status_code, (404, 405))
        self.assertFalse(AuditEntry.objects.filter(therapist=self.una).exists())

    def test_partners_need_no_two_factor(self):
        self.assertFalse(TwoFactor.objects.filter(user=self.alice).exists())
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("home:couple", args=[self.couple.pk])).status_code, 200)
        self.assertEqual(self.client.get(reverse("safety:channel", args=[self.couple.pk])).status_code, 200)

    def test_an_ended_link_is_still_a_plain_404(self):
        CareLink.objects.filter(pk=self.link.pk).update(status=CareLink.Status.ENDED)
        TwoFactor.objects.filter(user=self.theo).delete()
        self.login(self.theo)
        # Therapist-only pages ask for two-factor first (they do for any id); the couple's own pages stay 404.
        self.assertEqual(self.client.get(reverse("home:couple", args=[self.couple.pk])).status_code, 404)

    def test_set_up_then_straight_back_to_the_page(self):
        TwoFactor.objects.filter(user=self.theo).delete()
        self.login(self.theo)
        page = reverse("clinic:couple", args=[self.couple.pk])
        response = self.client.get(page)
        self.assertRedirects(response, f"{SETUP}?next={page.replace('/', '%2F')}", fetch_redirect_response=False)
        self.client.get(response["Location"])
        from tandem.security.tests.helpers import code_for

        done = self.client.post(response["Location"], {"code": code_for(self.theo), "next": page})
        codes_page = done["Location"]
        self.assertTrue(codes_page.startswith(reverse("security:recovery_codes")))
        self.assertContains(self.client.get(codes_page), f'href="{page}"')
        self.assertEqual(self.client.get(page).status_code, 200)


# Run the outsider walker's own tests once, in their own module.
for _name in [name for name in dir(outsiders.OutsiderTests) if name.startswith("test_")]:
    setattr(TherapistTwoFactorTests, _name, None)
