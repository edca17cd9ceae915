"""Outsiders and the unlinked therapist get 404 everywhere; partners never
reach therapist pages, and the therapist never reaches partner pages."""

from django.urls import reverse

from tandem.clinic.models import AuditEntry
from tandem.measures.models import MeasurePlan, MeasureResponse, RiskFlag
from tandem.measures.tests.helpers import fill, plan
from tandem.testkit.base import TandemTestCase


class AccessTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.response = fill(cls.couple, cls.alice, "phq9", [1] * 9, cls.theo)  # item 9 = 1: raises a flag
        cls.flag = RiskFlag.objects.get()
        cls.plan = plan(cls.couple, cls.bo, "gad7", cls.theo)

    def partner_urls(self):
        c = self.couple.pk
        return [
            reverse("measures:overview", args=[c]),
            reverse("measures:fill", args=[c, "gad7"]),
            reverse("measures:share", args=[c, self.response.pk]),
        ]

    def therapist_urls(self):
        c = self.couple.pk
        return [
            reverse("measures:clinic", args=[c]),
            reverse("measures:clinic_plan", args=[c]),
            reverse("measures:clinic_flag_seen", args=[c, self.flag.pk]),
            reverse("measures:clinic_fhir", args=[c, self.response.pk]),
        ]

    def assert_404(self, person, url):
        self.login(person)
        statuses = {
            "get": self.client.get(url).status_code,
            "post": self.client.post(url, {"share": "1", "person": person.pk, "instrument": "csi4"}).status_code,
        }
        self.assertTrue(set(statuses.values()) <= {404, 405}, f"{person} {url} {statuses}")
        self.assertIn(404, statuses.values())

    def test_outsiders_and_unlinked_therapist_get_404(self):
        for url in self.partner_urls() + self.therapist_urls():
            for person in self.outsiders:
                with self.subTest(url=url, person=person.display_name):
                    self.assert_404(person, url)
        self.response.refresh_from_db()
        self.flag.refresh_from_db()
        self.assertFalse(self.response.shared_with_partner)
        self.assertIsNone(self.flag.seen_at)
        self.assertEqual(MeasurePlan.objects.count(), 2)  # alice's (used up) and bo's
        self.assertFalse(AuditEntry.objects.filter(therapist=self.una).exists())

    def test_partners_never_reach_therapist_pages(self):
        for url in self.therapist_urls():
            for person in (self.alice, self.bo):
                with self.subTest(url=url, person=person.display_name):
                    self.assert_404(person, url)

    def test_the_therapist_never_reaches_partner_pages(self):
        for url in self.partner_urls():
            with self.subTest(url=url):
                self.assert_404(self.theo, url)

    def test_the_partner_cannot_share_the_other_partners_response(self):
        self.login(self.bo)
        url = reverse("measures:share", args=[self.couple.pk, self.response.pk])
        self.assertEqual(self.client.post(url, {"share": "1"}).status_code, 404)
        self.response.refresh_from_db()
        self.assertFalse(self.response.shared_with_partner)

    def test_unknown_measure_code_is_404(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("measures:fill", args=[self.couple.pk, "nope"])).status_code, 404)

    def test_the_linked_therapist_gets_through_and_is_audited(self):
        self.login(self.theo)
        page = self.client.get(reverse("measures:clinic", args=[self.couple.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertTrue(
            AuditEntry.objects.filter(therapist=self.theo, couple=self.couple, path__contains="/measures/").exists()
        )
        self.assertContains(page, "Alice")
        self.assertContains(page, '<svg class="chart"', count=1)  # one measure filled so far
        self.assertEqual(MeasureResponse.objects.count(), 1)
