from django.urls import reverse

from tandem.clinic.models import AuditEntry
from tandem.couples.models import Invite
from tandem.testkit.base import TandemTestCase, signed_in_session


class AuditTests(TandemTestCase):
    def test_every_therapist_read_of_a_couple_is_logged(self):
        self.login(self.theo)
        url = reverse("clinic:couple", args=[self.couple.pk])
        self.client.get(url)
        self.client.get(url)
        entries = AuditEntry.objects.filter(therapist=self.theo, couple=self.couple)
        self.assertEqual(entries.count(), 2)
        self.assertEqual(entries.first().path, url)
        self.assertEqual(entries.first().object_type, "couples.couple")

    def test_partner_reads_are_not_logged(self):
        self.login(self.alice)
        self.client.get(reverse("home:couple", args=[self.couple.pk]))
        self.assertFalse(AuditEntry.objects.exists())

    def test_refused_reads_leave_no_entry(self):
        self.login(self.una)
        self.client.get(reverse("clinic:couple", args=[self.couple.pk]))
        self.assertFalse(AuditEntry.objects.exists())

    def test_object_reads_through_the_helper_are_logged(self):
        from django.test import RequestFactory

        from tandem.couples.access import couple_access_or_404

        invite = Invite.objects.create(couple=self.couple, created_by=self.alice)
        request = RequestFactory().get("/probe/")
        request.user = self.theo
        request.session = signed_in_session(self.theo)  # therapists need a session past two-factor
        access = couple_access_or_404(request, self.couple.pk)
        access.object_or_404(Invite.objects.all(), pk=invite.pk)
        self.assertEqual(
            list(AuditEntry.objects.values_list("object_type", flat=True).order_by("id")),
            ["couples.couple", "couples.invite"],
        )


class CaseloadAuditTests(TandemTestCase):
    def test_listing_partner_names_is_audited_per_active_couple(self):
        self.login(self.theo)
        self.assertContains(self.client.get(reverse("clinic:caseload")), "Alice")
        entry = AuditEntry.objects.get()
        self.assertEqual((entry.couple, entry.object_type), (self.couple, "clinic.caseload"))

    def test_a_therapist_without_couples_leaves_no_entry(self):
        self.login(self.una)
        self.client.get(reverse("clinic:caseload"))
        self.assertFalse(AuditEntry.objects.exists())
