"""Each response as a FHIR R4 QuestionnaireResponse."""

import json
import re

from django.urls import reverse

from tandem.clinic.models import AuditEntry
from tandem.measures.instruments import CSI4, GAD7, GMSEX, INSTRUMENTS, PHQ9
from tandem.measures.tests.helpers import fill
from tandem.testkit.base import TandemTestCase, link_therapist

FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
FHIR_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


class FhirTests(TandemTestCase):
    def get(self, response):
        self.login(self.theo)
        return self.client.get(reverse("measures:clinic_fhir", args=[self.couple.pk, response.pk]))

    def assert_valid_structure(self, resource: dict, measure) -> None:
        self.assertEqual(resource["resourceType"], "QuestionnaireResponse")
        self.assertRegex(resource["id"], FHIR_ID)
        self.assertEqual(resource["status"], "completed")
        self.assertEqual(resource["questionnaire"], measure.canonical)
        self.assertRegex(resource["authored"], FHIR_DATETIME)
        link_ids = [item["linkId"] for item in resource["item"]]
        self.assertEqual(link_ids, [i.link_id for i in measure.items] + [measure.total_link_id])
        self.assertEqual(len(set(link_ids)), len(link_ids))
        for item in resource["item"]:
            self.assertIsInstance(item["text"], str)
            self.assertEqual(len(item["answer"]), 1)
            (answer,) = item["answer"]
            # Exactly one value[x] per answer.
            self.assertEqual(len([k for k in answer if k.startswith("value")]), 1)
            if "valueCoding" in answer:
                coding = answer["valueCoding"]
                self.assertEqual(set(coding), {"system", "code", "display"})
                self.assertEqual(coding["system"], "http://loinc.org")
                self.assertRegex(coding["code"], r"^LA\d+-\d$")
            else:
                self.assertIsInstance(answer["valueInteger"], int)
                self.assertNotIsInstance(answer["valueInteger"], bool)

    def test_phq9_coded_answers_and_loinc_canonical(self):
        response = fill(self.couple, self.alice, "phq9", [0, 1, 2, 3, 0, 1, 2, 3, 0], self.theo)
        http = self.get(response)
        self.assertEqual(http.status_code, 200)
        self.assertEqual(http["Content-Type"], "application/fhir+json; charset=utf-8")
        resource = json.loads(http.content)
        self.assert_valid_structure(resource, PHQ9)
        self.assertEqual(resource["questionnaire"], "http://loinc.org/q/44249-1")
        first = resource["item"][0]
        self.assertEqual(first["linkId"], "44250-9")
        self.assertEqual(
            first["answer"][0]["valueCoding"],
            {"system": "http://loinc.org", "code": "LA6568-5", "display": "Not at all"},
        )
        self.assertEqual(resource["item"][3]["answer"][0]["valueCoding"]["code"], "LA6571-9")  # 3: nearly every day
        self.assertEqual(
            resource["item"][-1], {"linkId": "44261-6", "text": "PHQ-9 total score", "answer": [{"valueInteger": 12}]}
        )

    def test_every_instrument_exports_a_valid_structure(self):
        values = {"phq9": [1] * 9, "gad7": [2] * 7, "csi4": [3, 3, 3, 3], "gmsex": [4] * 5}
        for code, answers in values.items():
            with self.subTest(code=code):
                response = fill(self.couple, self.bo, code, answers, self.theo)
                self.assert_valid_structure(json.loads(self.get(response).content), INSTRUMENTS[code])
        gad = json.loads(self.get(fill(self.couple, self.alice, "gad7", [2] * 7, self.theo)).content)
        self.assertEqual(gad["questionnaire"], "http://loinc.org/q/69737-5")
        self.assertEqual(gad["item"][-1]["linkId"], "70274-6")
        csi = json.loads(self.get(fill(self.couple, self.alice, "csi4", [6, 5, 5, 5], self.theo)).content)
        self.assertEqual(csi["questionnaire"], CSI4.canonical)
        self.assertEqual(csi["item"][0]["answer"], [{"valueInteger": 6}])
        self.assertEqual(csi["item"][-1]["answer"], [{"valueInteger": 21}])
        self.assertTrue(GMSEX.canonical.startswith("https://tandem.invalid/"))
        self.assertEqual(GAD7.canonical, "http://loinc.org/q/69737-5")

    def test_the_export_says_nothing_about_who(self):
        response = fill(self.couple, self.alice, "gad7", [0] * 7, self.theo)
        body = self.get(response).content.decode()
        for word in (self.alice.email, self.alice.display_name, str(self.couple.pk)):
            self.assertNotIn(word, body)

    def test_each_export_is_audited(self):
        response = fill(self.couple, self.alice, "gad7", [0] * 7, self.theo)
        self.get(response)
        self.assertTrue(
            AuditEntry.objects.filter(
                therapist=self.theo, object_type="measures.measureresponse", object_id=str(response.pk)
            ).exists()
        )

    def test_partners_get_404(self):
        response = fill(self.couple, self.alice, "gad7", [0] * 7, self.theo)
        for person in (self.alice, self.bo):
            self.login(person)
            url = reverse("measures:clinic_fhir", args=[self.couple.pk, response.pk])
            self.assertEqual(self.client.get(url).status_code, 404)

    def test_another_couples_response_under_our_couple_id_is_404(self):
        link_therapist(self.other_couple, self.una)
        other = fill(self.other_couple, self.olga, "gad7", [0] * 7, self.una)
        self.login(self.theo)
        self.assertEqual(
            self.client.get(reverse("measures:clinic_fhir", args=[self.couple.pk, other.pk])).status_code, 404
        )
