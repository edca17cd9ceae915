"""Home offers the couple one clear start until their first homework is done."""

from django.urls import reverse
from django.utils import timezone

from tandem.boundaries import services as boundaries
from tandem.homework import programs, services
from tandem.homework.content import library
from tandem.homework.models import Assignment, ProgramRun
from tandem.seasons import services as seasons
from tandem.testkit.base import TandemTestCase, make_assignment, make_couple, make_person

CARD = 'data-testid="first-start"'


class FirstStartTests(TandemTestCase):
    def home(self, person):
        self.login(person)
        return self.client.get("/")

    def test_a_new_couple_is_offered_reconnect_as_one_primary_card_above_the_tiles(self):
        for person in (self.alice, self.bo):
            page = self.home(person)
            self.assertContains(page, CARD, count=1)
            self.assertContains(page, "Start here: Reconnect")
            html = page.content.decode()
            self.assertLess(html.index(CARD), html.index("quick-links"))
            self.assertContains(page, reverse("homework:program_start", args=[self.couple.pk, "reconnect"]))

    def test_starting_it_leads_on_to_the_program_then_it_is_gone_once_homework_is_done(self):
        self.login(self.alice)
        self.client.post(reverse("homework:program_start", args=[self.couple.pk, "reconnect"]))
        run = ProgramRun.objects.get(couple=self.couple)
        page = self.home(self.bo)
        self.assertContains(page, "Your first program: Reconnect")
        self.assertContains(page, reverse("homework:program", args=[self.couple.pk, run.pk]))
        self.assertNotContains(page, "Start here")
        Assignment.objects.filter(program_run=run).update(
            status=Assignment.Status.COMPLETED, completed_at=timezone.now()
        )
        for person in (self.alice, self.bo):
            self.assertNotContains(self.home(person), CARD)

    def test_homework_already_under_way_is_the_start(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        page = self.home(self.bo)
        self.assertContains(page, "Your first homework")
        self.assertContains(page, reverse("homework:assignment", args=[self.couple.pk, assignment.pk]))

    def test_held_homework_is_not_offered_and_nothing_says_why(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.pause(assignment, self.bo)
        page = self.home(self.alice)
        self.assertNotContains(page, reverse("homework:assignment", args=[self.couple.pk, assignment.pk]))
        self.assertContains(page, "Start here: Reconnect")
        self.assertNotContains(page, "paused")

    def test_in_a_hard_season_the_lighter_program_is_the_start(self):
        seasons.start(self.couple, self.alice, reason="", reason_shared=False, expected_weeks=2)
        page = self.home(self.bo)
        self.assertContains(page, "Start here: Hard season")
        self.assertNotContains(page, "Reconnect")

    def test_the_offer_follows_the_holds_module(self):
        """Reconnect's first step is talk only (level 0): pause everything does not hold it; the
        first start asks ``holds`` rather than deciding anew."""
        boundaries.pause_everything(self.couple, self.bo)
        self.assertContains(self.home(self.alice), "Start here: Reconnect")
        first = library().exercise(library().programs["reconnect"].steps[0].exercise)
        self.assertEqual(first.intimacy_level, 0)

    def test_no_card_without_a_partner_nor_for_a_therapist(self):
        carol = make_person("carol@example.org", "Carol")
        make_couple(carol)
        self.assertNotContains(self.home(carol), CARD)
        self.assertEqual(self.home(self.theo).status_code, 302)  # the desk: home is the caseload

    def test_the_service_says_none_for_a_closed_space(self):
        self.couple.closed_at = timezone.now()
        self.couple.save(update_fields=["closed_at"])
        self.assertIsNone(programs.first_start(self.couple))
