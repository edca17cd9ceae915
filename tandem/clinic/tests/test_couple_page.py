"""The therapist's couple page shows only what the couple shares with the care team."""

from django.urls import reverse

from tandem.checkins.models import CheckIn
from tandem.clinic.models import AuditEntry
from tandem.testkit.base import TandemTestCase
from tandem.wins.models import GratitudeNote, Win


class TimelineTests(TandemTestCase):
    def test_only_care_team_entries_appear(self):
        today = self.alice.today()
        for visibility in ("private", "sealed", "shared", "care_team"):
            Win.objects.create(couple=self.couple, author=self.alice, visibility=visibility, text=f"win-{visibility}")
            GratitudeNote.objects.create(
                couple=self.couple, author=self.bo, visibility=visibility, text=f"thanks-{visibility}"
            )
        CheckIn.objects.create(
            couple=self.couple, author=self.alice, visibility="care_team", local_date=today,
            mood=4, energy=3, stress=2, closeness=5, note="checkin-care-team",
        )  # fmt: skip
        CheckIn.objects.create(
            couple=self.couple, author=self.bo, visibility="shared", local_date=today,
            mood=1, energy=1, stress=5, closeness=1, note="checkin-shared",
        )  # fmt: skip
        self.login(self.theo)
        page = self.client.get(reverse("clinic:couple", args=[self.couple.pk])).content.decode()
        self.assertIn("win-care_team", page)
        self.assertIn("thanks-care_team", page)
        self.assertIn("checkin-care-team", page)
        for hidden in ("private", "sealed", "shared"):
            self.assertNotIn(f"win-{hidden}", page)
            self.assertNotIn(f"thanks-{hidden}", page)
        self.assertNotIn("checkin-shared", page)
        # The trend counts only the check-in shared with the care team.
        self.assertIn('<th scope="row">Alice</th><td>1</td><td>4</td><td>2</td><td>5</td>', page)
        self.assertNotIn('<th scope="row">Bo</th>', page)


class PartnerAuditLogTests(TandemTestCase):
    def test_partners_see_who_read_their_data_and_when(self):
        self.login(self.theo)
        self.client.get(reverse("clinic:couple", args=[self.couple.pk]))
        self.login(self.bo)
        page = self.client.get(reverse("clinic:audit_log", args=[self.couple.pk]))
        self.assertContains(page, "Theo")
        self.assertContains(page, "your couple&#x27;s space")

    def test_a_read_of_one_partners_own_data_is_shown_to_that_partner_only(self):
        AuditEntry.objects.create(
            therapist=self.theo, couple=self.couple, path="/x/", object_type="measures.measureresponse",
            object_id="1", subject=self.alice,
        )  # fmt: skip
        AuditEntry.objects.create(
            therapist=self.theo, couple=self.couple, path="/y/", object_type="couples.couple", hidden=True
        )
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("clinic:audit_log", args=[self.couple.pk])), "your measures")
        self.login(self.bo)
        page = self.client.get(reverse("clinic:audit_log", args=[self.couple.pk]))
        self.assertNotContains(page, "your measures")
        self.assertContains(page, "No one on a care team has read your data.")

    def test_the_log_cannot_be_changed_through_the_app(self):
        self.login(self.alice)
        url = reverse("clinic:audit_log", args=[self.couple.pk])
        self.assertEqual(self.client.post(url).status_code, 405)
        self.assertEqual(self.client.delete(url).status_code, 405)

    def test_therapists_and_outsiders_get_404(self):
        for person in (self.theo, self.una, self.olga):
            self.login(person)
            self.assertEqual(self.client.get(reverse("clinic:audit_log", args=[self.couple.pk])).status_code, 404)


class AuditAfterErasureTests(TandemTestCase):
    def test_a_read_of_one_partners_data_stays_theirs_even_when_their_account_goes(self):
        entry = AuditEntry.objects.create(
            therapist=self.theo, couple=self.couple, path="/x/", object_type="safety.safetythread", subject=self.alice
        )
        self.assertTrue(entry.hidden)
        AuditEntry.objects.filter(pk=entry.pk).update(subject=None)  # what SET_NULL does on erasure
        self.login(self.bo)
        page = self.client.get(reverse("clinic:audit_log", args=[self.couple.pk]))
        self.assertNotContains(page, "your messages to the therapist")

    def test_the_measures_page_is_listed_to_each_partner_as_their_own(self):
        self.login(self.theo)
        self.client.get(reverse("measures:clinic", args=[self.couple.pk]))
        for person in (self.alice, self.bo):
            self.login(person)
            page = self.client.get(reverse("clinic:audit_log", args=[self.couple.pk]))
            self.assertContains(page, "your measures", count=1)
