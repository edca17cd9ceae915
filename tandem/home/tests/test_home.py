from django.urls import reverse
from django.utils import timezone

from tandem.clinic.models import CareLink
from tandem.couples.models import Invite
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase, make_assignment, make_couple, make_person


class HomeTests(TandemTestCase):
    def test_signed_out_sees_what_tandem_is(self):
        response = self.client.get("/")
        self.assertContains(response, "Create an account")
        # Reading about Tandem can be as risky as using it: quick exit is on every page.
        self.assertContains(response, "data-quick-exit")

    def test_no_couple_yet_shows_the_next_step(self):
        self.login(make_person("new@example.org", "Noa"))
        response = self.client.get("/")
        self.assertContains(response, "Start our couple space")
        self.assertContains(response, "I have an invite code")

    def test_waiting_for_the_partner(self):
        nadia = make_person("nadia@example.org", "Nadia")
        couple = make_couple(nadia)
        self.login(nadia)
        self.assertContains(self.client.get("/"), "Create an invite for them")
        Invite.objects.create(couple=couple, created_by=nadia)
        self.assertContains(self.client.get("/"), "Your invite is waiting for them")

    def test_partner_and_therapist_state(self):
        self.login(self.alice)
        response = self.client.get("/")
        self.assertContains(response, "<strong>Bo</strong>", html=False)
        self.assertContains(response, "Linked with Theo (Harbour Practice)")
        CareLink.objects.filter(pk=self.link.pk).update(status=CareLink.Status.ENDED)
        self.assertContains(self.client.get("/"), "No therapist is linked")

    def test_partner_pronouns_are_shown(self):
        self.login(self.bo)
        self.assertContains(self.client.get("/"), "(she/they)")

    def test_therapist_gets_a_link_to_the_caseload(self):
        self.login(self.theo)
        # On the desk, home is the caseload itself.
        self.assertRedirects(self.client.get("/"), reverse("clinic:caseload"))

    def test_home_query_count_is_small(self):
        self.login(self.alice)
        # +1 session-record check, -1 partners fetched with the couple; +2 for the first start
        # (what is under way, the holds), only until the couple's first homework is done.
        with self.assertNumQueries(14):
            self.client.get("/")
        Assignment.objects.filter(pk=make_assignment(self.couple, "appreciations", by=self.alice).pk).update(
            status=Assignment.Status.COMPLETED, completed_at=timezone.now()
        )
        with self.assertNumQueries(12):
            self.client.get("/")
