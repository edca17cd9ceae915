"""The measures pages keep the site's page rules (as the core page audit checks)."""

from django.urls import reverse

from tandem.home.tests.test_pages import ALLOWED_TITLES, PageAudit
from tandem.measures.instruments import PHQ9
from tandem.measures.tests.helpers import fill, plan, post_data
from tandem.testkit.base import TandemTestCase


class MeasurePagesTests(TandemTestCase):
    def assert_page_rules(self, response):
        audit = PageAudit()
        audit.feed(response.content.decode())
        self.assertEqual(audit.external, [])
        self.assertEqual((audit.inline_scripts, audit.inline_styles), (0, 0))
        self.assertIn(audit.title.strip(), ALLOWED_TITLES)
        self.assertEqual(audit.h1, 1)
        self.assertEqual([i for i in audit.inputs if i not in audit.labels], [], "every input has a label")

    def test_every_page(self):
        c = self.couple.pk
        fill(self.couple, self.alice, "phq9", [1] * 9, self.theo)
        fill(self.couple, self.alice, "phq9", [0] * 9, self.theo)
        fill(self.couple, self.bo, "gmsex", [4] * 5, self.theo)
        plan(self.couple, self.alice, "gmsex", self.theo)
        plan(self.couple, self.bo, "phq9", self.theo)
        pages = [
            (self.alice, reverse("measures:overview", args=[c])),
            (self.bo, reverse("measures:overview", args=[c])),
            (self.alice, reverse("measures:fill", args=[c, "gmsex"])),
            (self.theo, reverse("measures:clinic", args=[c])),
        ]
        for who, url in pages:
            with self.subTest(url=url, who=who.display_name):
                self.login(who)
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assert_page_rules(response)
        # The crisis page, and the pages with errors.
        self.login(self.bo)
        crisis = self.client.post(reverse("measures:fill", args=[c, "phq9"]), post_data(PHQ9, [0] * 8 + [3]))
        self.assertTemplateUsed(crisis, "measures/crisis.html")
        self.assert_page_rules(crisis)
        self.login(self.alice)
        self.assert_page_rules(self.client.post(reverse("measures:fill", args=[c, "gmsex"]), {}))
        self.login(self.theo)
        self.assert_page_rules(self.client.post(reverse("measures:clinic_plan", args=[c]), {}))
