"""PHQ-9 item 9: a private flag to the linked therapist, crisis resources to
the person, and nothing at all for the partner."""

import re

from django.urls import reverse

from tandem.clinic.models import CareLink
from tandem.measures import services
from tandem.measures.instruments import PHQ9
from tandem.measures.models import RiskFlag
from tandem.measures.tests.helpers import plan, post_data
from tandem.testkit.base import TandemTestCase, link_therapist

ITEM9_SEVERAL_DAYS = [1, 1, 1, 1, 1, 1, 1, 1, 1]  # total 9, item 9 = 1
ITEM9_NOT_AT_ALL = [2, 2, 2, 2, 2, 2, 2, 2, 0]


def page_text(response) -> str:
    # The (masked, 64-character) CSRF token changes with every render; nothing else may.
    return re.sub(r"\b[A-Za-z0-9]{64}\b", "<csrf>", response.content.decode())


class RiskFlagTests(TandemTestCase):
    def submit(self, person, values):
        plan(self.couple, person, "phq9", self.theo)
        self.login(person)
        return self.client.post(reverse("measures:fill", args=[self.couple.pk, "phq9"]), post_data(PHQ9, values))

    def test_item_9_above_zero_shows_crisis_resources_at_once(self):
        response = self.submit(self.bo, ITEM9_SEVERAL_DAYS)
        self.assertEqual(response.status_code, 200)  # rendered now, not after a redirect
        self.assertTemplateUsed(response, "measures/crisis.html")
        self.assertContains(response, "emergency number")  # from content/crisis.md
        flag = RiskFlag.objects.get()
        self.assertEqual((flag.person, flag.therapist, flag.answer), (self.bo, self.theo, 1))

    def test_no_flag_when_item_9_is_zero_even_with_a_high_total(self):
        response = self.submit(self.bo, ITEM9_NOT_AT_ALL)
        self.assertRedirects(response, reverse("measures:overview", args=[self.couple.pk]))
        self.assertFalse(RiskFlag.objects.exists())

    def test_the_linked_therapist_sees_the_flag(self):
        self.submit(self.bo, ITEM9_SEVERAL_DAYS)
        self.login(self.theo)
        page = self.client.get(reverse("measures:clinic", args=[self.couple.pk]))
        self.assertContains(page, 'data-testid="risk-flag"', count=1)
        self.assertEqual(services.open_flags([self.couple.pk]), {self.couple.pk: 1})

    def test_the_partner_pages_do_not_change_in_any_way(self):
        plan(self.couple, self.alice, "gad7", self.theo)  # something on Alice's page besides
        self.login(self.alice)
        urls = [reverse("measures:overview", args=[self.couple.pk]), reverse("home:couple", args=[self.couple.pk])]
        before = [page_text(self.client.get(url)) for url in urls]
        self.submit(self.bo, ITEM9_SEVERAL_DAYS)
        self.assertTrue(RiskFlag.objects.exists())
        self.login(self.alice)
        after = [page_text(self.client.get(url)) for url in urls]
        self.assertEqual(before, after)
        # Nor does Bo's response reach Alice unless Bo shares it.
        self.assertNotIn("PHQ-9", after[0].split("shared with you")[1])

    def test_unlinked_and_later_therapists_never_see_it(self):
        self.submit(self.bo, ITEM9_SEVERAL_DAYS)
        self.login(self.una)
        self.assertEqual(self.client.get(reverse("measures:clinic", args=[self.couple.pk])).status_code, 404)
        # The link ends and another therapist is linked: the flag stays with the one it was raised to.
        CareLink.objects.filter(pk=self.link.pk).update(status=CareLink.Status.ENDED)
        link_therapist(self.couple, self.una)
        page = self.client.get(reverse("measures:clinic", args=[self.couple.pk]))
        self.assertEqual(page.status_code, 200)
        self.assertNotContains(page, 'data-testid="risk-flag"')

    def test_the_therapist_marks_it_seen(self):
        self.submit(self.bo, ITEM9_SEVERAL_DAYS)
        flag = RiskFlag.objects.get()
        self.login(self.theo)
        url = reverse("measures:clinic_flag_seen", args=[self.couple.pk, flag.pk])
        self.assertRedirects(self.client.post(url), reverse("measures:clinic", args=[self.couple.pk]))
        flag.refresh_from_db()
        self.assertIsNotNone(flag.seen_at)
        self.assertEqual(services.open_flags([self.couple.pk]), {self.couple.pk: 0})

    def test_partners_cannot_mark_or_see_flags(self):
        self.submit(self.bo, ITEM9_SEVERAL_DAYS)
        flag = RiskFlag.objects.get()
        for person in (self.alice, self.bo):
            self.login(person)
            with self.subTest(person=person.display_name):
                url = reverse("measures:clinic_flag_seen", args=[self.couple.pk, flag.pk])
                self.assertEqual(self.client.post(url).status_code, 404)
                self.assertEqual(self.client.get(reverse("measures:clinic", args=[self.couple.pk])).status_code, 404)
        flag.refresh_from_db()
        self.assertIsNone(flag.seen_at)
