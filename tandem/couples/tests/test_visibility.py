"""The shared visibility rule, on the probe entry of the test kit."""

from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from tandem.clinic.models import AuditEntry, CareLink, HistoryConsent
from tandem.couples.access import couple_access_or_404
from tandem.couples.models import Couple, Membership
from tandem.couples.visibility import Visibility
from tandem.testkit.base import TandemTestCase, link_therapist, signed_in_session
from tandem.testkit.models import ProbeEntry


class VisibilityTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.entries = {
            v: ProbeEntry.objects.create(couple=cls.couple, author=cls.alice, visibility=v, words=f"alice {v}")
            for v in Visibility.values
        }
        cls.outsider_entry = ProbeEntry.objects.create(
            couple=cls.other_couple, author=cls.olga, visibility=Visibility.CARE_TEAM, words="olga"
        )

    def words(self, qs):
        return set(qs.filter(couple=self.couple).values_list("words", flat=True))

    def test_default_is_private(self):
        entry = ProbeEntry.objects.create(couple=self.couple, author=self.bo, words="x")
        self.assertEqual(entry.visibility, Visibility.PRIVATE)

    def test_author_sees_and_reads_everything(self):
        everything = {f"alice {v}" for v in Visibility.values}
        self.assertEqual(self.words(ProbeEntry.objects.visible_to(self.alice)), everything)
        self.assertEqual(self.words(ProbeEntry.objects.readable_by(self.alice)), everything)

    def test_partner_sees_sealed_exists_but_cannot_read_it(self):
        self.assertEqual(
            self.words(ProbeEntry.objects.visible_to(self.bo)), {"alice sealed", "alice shared", "alice care_team"}
        )
        self.assertEqual(self.words(ProbeEntry.objects.readable_by(self.bo)), {"alice shared", "alice care_team"})
        self.assertFalse(self.entries[Visibility.SEALED].is_readable_by(self.bo))
        self.assertTrue(self.entries[Visibility.SEALED].is_visible_to(self.bo))
        self.assertFalse(self.entries[Visibility.PRIVATE].is_visible_to(self.bo))

    def test_linked_therapist_reads_care_team_only(self):
        self.assertEqual(self.words(ProbeEntry.objects.visible_to(self.theo)), {"alice care_team"})
        self.assertEqual(self.words(ProbeEntry.objects.readable_by(self.theo)), {"alice care_team"})

    def test_therapist_loses_everything_when_the_link_ends(self):
        CareLink.objects.filter(pk=self.link.pk).update(status=CareLink.Status.ENDED, ended_at=timezone.now())
        self.assertFalse(ProbeEntry.objects.visible_to(self.theo).exists())

    def test_pending_link_shows_nothing(self):
        CareLink.objects.filter(pk=self.link.pk).update(status=CareLink.Status.PENDING)
        self.assertFalse(ProbeEntry.objects.visible_to(self.theo).exists())

    def test_outsiders_and_unlinked_therapist_see_nothing(self):
        for person in (self.olga, self.omar, self.una):
            self.assertEqual(self.words(ProbeEntry.objects.visible_to(person)), set())
        self.assertFalse(self.outsider_entry.is_visible_to(self.alice))

    def test_anonymous_sees_nothing(self):
        from django.contrib.auth.models import AnonymousUser

        self.assertFalse(ProbeEntry.objects.visible_to(AnonymousUser()).exists())

    def test_one_row_per_entry_whatever_the_joins(self):
        # Subqueries, not joins: a therapist with several links and a partner
        # with a past couple still get each entry once.
        link = link_therapist(self.other_couple, self.theo)
        # Written under the new link (the one from before it is earlier
        # history), and both partners share their earlier history: one row still.
        ProbeEntry.objects.create(couple=self.other_couple, author=self.omar, visibility=Visibility.CARE_TEAM)
        for partner in (self.olga, self.omar):
            HistoryConsent.objects.create(link=link, partner=partner)
        old = Couple.objects.create(closed_at=timezone.now())
        Membership.objects.create(couple=old, user=self.bo, slot=1, active=False)
        Membership.objects.create(couple=old, user=self.olga, slot=2, active=False)
        self.assertEqual(ProbeEntry.objects.visible_to(self.theo).count(), 3)
        self.assertEqual(ProbeEntry.objects.visible_to(self.bo).count(), 3)


class AccessHelperEntryTests(TandemTestCase):
    """object_or_404 and entries() apply the visibility rule by themselves."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.entries = {
            v: ProbeEntry.objects.create(couple=cls.couple, author=cls.alice, visibility=v, words=v)
            for v in Visibility.values
        }
        link_therapist(cls.other_couple, cls.theo)
        cls.elsewhere = ProbeEntry.objects.create(
            couple=cls.other_couple, author=cls.olga, visibility=Visibility.CARE_TEAM, words="elsewhere"
        )

    def access(self, user):
        request = RequestFactory().get("/probe/")
        request.user = user
        request.session = signed_in_session(user)  # therapists need a session past two-factor
        return couple_access_or_404(request, self.couple.pk)

    def test_partner_gets_404_for_private_and_sealed(self):
        access = self.access(self.bo)
        for visibility, found in (("private", False), ("sealed", False), ("shared", True), ("care_team", True)):
            with self.subTest(visibility=visibility):
                entry = self.entries[visibility]
                if found:
                    self.assertEqual(access.object_or_404(ProbeEntry.objects.all(), pk=entry.pk), entry)
                else:
                    with self.assertRaises(Http404):
                        access.object_or_404(ProbeEntry.objects.all(), pk=entry.pk)

    def test_therapist_reads_only_care_team_and_is_audited(self):
        access = self.access(self.theo)
        for visibility in ("private", "sealed", "shared"):
            with self.assertRaises(Http404):
                access.object_or_404(ProbeEntry.objects.all(), pk=self.entries[visibility].pk)
        entry = self.entries["care_team"]
        self.assertEqual(access.object_or_404(ProbeEntry.objects.all(), pk=entry.pk), entry)
        self.assertTrue(AuditEntry.objects.filter(object_type="testkit.probeentry", object_id=str(entry.pk)).exists())

    def test_entries_are_scoped_to_the_resolved_couple(self):
        self.assertEqual(
            list(self.access(self.theo).entries(ProbeEntry).values_list("words", flat=True)), ["care_team"]
        )
