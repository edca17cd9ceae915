"""Export (issue 8, point 4): one JSON document with everything that is the
person's, and never the partner's private, sealed, raw-boundary or safety data."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse

from tandem.privacy.export import build_export, measures_bundle
from tandem.privacy.tests.seeding import make_auth_stale, seed
from tandem.testkit.base import TandemTestCase


def as_text(document: dict) -> str:
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False)


class ExportContentsTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.markers = seed(cls)

    def test_the_partners_private_data_never_appears(self):
        text = as_text(build_export(self.alice))
        for marker in sorted(self.markers.never_for_alice):
            with self.subTest(marker=marker):
                self.assertNotIn(marker.lower(), text.lower())

    def test_what_is_hers_and_what_was_shared_with_her_appears(self):
        text = as_text(build_export(self.alice))
        expected = self.markers.alice_own | self.markers.shared_with_alice | self.markers.ids["shared_together"]
        for marker in sorted(expected):
            with self.subTest(marker=marker):
                self.assertIn(marker, text)

    def test_entries_say_whose_they_are_and_keep_their_visibility(self):
        couple = build_export(self.alice)["couples"][0]
        wins = couple["entries"]["wins"]
        self.assertEqual(
            sorted((w["by"], w["visibility"]) for w in wins),
            sorted(
                [("me", v) for v in ("private", "sealed", "shared", "care_team")]
                + [("partner", "shared"), ("partner", "care_team")]
            ),
        )

    def test_measures_are_hers_with_answers_and_the_partners_only_as_shared_scores(self):
        document = build_export(self.alice)
        measures = document["couples"][0]["measures"]
        self.assertEqual([r["id"] for r in measures["mine"]], [self.markers.ids["alice_measure"].pk])
        self.assertTrue(measures["mine"][0]["answers"])
        self.assertEqual(
            measures["partner_shared_scores"],
            [
                {
                    "instrument": "csi4",
                    "title": "CSI-4",
                    "total": self.markers.ids["bo_shared_measure"].total,
                    "local_date": self.markers.ids["bo_shared_measure"].local_date,
                }
            ],
        )
        ids = [e["resource"]["id"] for e in document["measures_fhir"]["entry"]]
        self.assertEqual(ids, [f"tandem-measure-{self.markers.ids['alice_measure'].pk}"])
        self.assertNotIn(f"tandem-measure-{self.markers.ids['bo_private_measure'].pk}", as_text(document))

    def test_boundaries_hold_her_answers_and_the_matches_only(self):
        boundaries = build_export(self.alice)["couples"][0]["boundaries"]
        self.assertEqual([a["item"] for a in boundaries["my_answers"]], ["cuddling"])
        self.assertEqual(list(boundaries["matches"]), ["affection"])
        self.assertEqual(boundaries["matches"]["affection"][0]["tier"], "both_yes")

    def test_her_safety_thread_with_the_replies_to_her(self):
        threads = build_export(self.alice)["couples"][0]["safety_channel"]
        self.assertEqual(len(threads), 1)
        self.assertEqual(
            [(m["from"], m["body"]) for m in threads[0]["messages"]],
            [("me", "MARK-ALICE-SAFETY"), ("therapist", "MARK-THEO-REPLY-TO-ALICE")],
        )

    def test_no_password_hash_or_other_people(self):
        text = as_text(build_export(self.alice))
        self.assertNotIn(self.alice.password, text)
        self.assertNotIn("password", text)
        for other in (self.olga, self.omar, self.una):
            self.assertNotIn(other.email, text)
        # Only her own e-mail: the partner and therapist appear by display name.
        self.assertNotIn(self.bo.email, text)
        self.assertNotIn(self.theo.email, text)

    def test_therapist_export_is_their_practice_and_notes_not_the_couples_words(self):
        document = build_export(self.theo)
        text = as_text(document)
        self.assertEqual(document["therapist"]["practice"]["name"], "Harbour Practice")
        self.assertIn("MARK-THEO-CASE-NOTE", text)
        self.assertEqual(document["couples"], [])
        for marker in self.markers.alice_own | self.markers.never_for_alice - {"MARK-THEO-CASE-NOTE"}:
            with self.subTest(marker=marker):
                self.assertNotIn(marker.lower(), text.lower())

    def test_bundle_is_a_fhir_r4_collection(self):
        bundle = measures_bundle(self.bo)
        self.assertEqual((bundle["resourceType"], bundle["type"]), ("Bundle", "collection"))
        self.assertEqual(len(bundle["entry"]), 2)
        urls = [e["fullUrl"] for e in bundle["entry"]]
        self.assertEqual(len(set(urls)), 2)
        self.assertTrue(all(url.startswith("urn:uuid:") for url in urls))
        self.assertTrue(all(e["resource"]["resourceType"] == "QuestionnaireResponse" for e in bundle["entry"]))


class ExportPageTests(TandemTestCase):
    url = reverse("privacy:export")

    def test_page_explains_what_is_in_it(self):
        self.login(self.alice)
        response = self.client.get(self.url)
        self.assertContains(response, "Download your data")
        self.assertContains(response, reverse("privacy:export_fhir"))
        self.assertIn("no-store", response["Cache-Control"])

    def test_download_is_a_json_attachment_not_cached(self):
        self.login(self.alice)
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertRegex(
            response["Content-Disposition"], r'^attachment; filename="tandem-export-\d{4}-\d\d-\d\d\.json"$'
        )
        self.assertIn("no-store", response["Cache-Control"])
        document = json.loads(response.content)
        self.assertEqual(document["person"]["email"], "alice@example.org")
        self.assertEqual(document["measures_fhir"]["resourceType"], "Bundle")

    def test_fhir_download_is_the_bundle_alone(self):
        self.login(self.alice)
        response = self.client.post(reverse("privacy:export_fhir"))
        self.assertEqual(response["Content-Type"], "application/fhir+json; charset=utf-8")
        self.assertEqual(json.loads(response.content)["resourceType"], "Bundle")
        # A GET downloads nothing: it goes back to the page.
        self.assertRedirects(self.client.get(reverse("privacy:export_fhir")), self.url)

    def test_without_a_recent_confirmation_nothing_is_downloaded(self):
        self.login(self.alice)
        make_auth_stale(self.client)
        for url in (self.url, reverse("privacy:export_fhir")):
            with self.subTest(url=url):
                response = self.client.post(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("security:confirm")))
                self.assertNotIn("attachment", response.get("Content-Disposition", ""))

    def test_a_therapist_without_two_factor_exports_nothing(self):
        from tandem.clinic.models import CaseNote
        from tandem.security.models import TwoFactor

        CaseNote.objects.create(therapist=self.theo.therapist, couple=self.couple, body="MARK-CASE-NOTE-2FA")
        TwoFactor.objects.filter(user=self.theo).delete()
        self.login(self.theo)
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 403)
        self.assertNotContains(response, "MARK-CASE-NOTE-2FA", status_code=403)
        self.assertRedirects(
            self.client.get(self.url),
            f"{reverse('security:two_factor')}?next={self.url.replace('/', '%2F')}",
            fetch_redirect_response=False,
        )

    def test_signed_out_people_are_sent_to_log_in(self):
        for url in (self.url, reverse("privacy:export_fhir"), reverse("privacy:delete")):
            with self.subTest(url=url):
                response = self.client.post(url)
                # Nothing is done; the page links to signing in (core.middleware.signed_out_post).
                self.assertContains(response, reverse("accounts:login"), status_code=401)
                self.assertNotIn("Content-Disposition", response)
