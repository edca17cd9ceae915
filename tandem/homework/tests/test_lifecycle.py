from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.homework import kinds, services
from tandem.homework.content import library
from tandem.homework.models import Assignment, Pause
from tandem.testkit.base import TandemTestCase, make_assignment


class ProposalTests(TandemTestCase):
    def propose(self, user, slug="appreciations"):
        self.login(user)
        return self.client.post(reverse("homework:propose", args=[self.couple.pk, slug]))

    def test_proposer_is_in_and_the_partner_decides(self):
        self.propose(self.alice)
        assignment = Assignment.objects.get()
        self.assertEqual(assignment.status, Assignment.Status.PROPOSED)
        self.login(self.bo)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, assignment.pk]))
        self.assertContains(page, reverse("homework:opt_in", args=[self.couple.pk, assignment.pk]))
        self.client.post(reverse("homework:opt_in", args=[self.couple.pk, assignment.pk]))
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.ACTIVE)

    def test_setting_aside_never_says_who(self):
        self.propose(self.alice)
        assignment = Assignment.objects.get()
        self.login(self.bo)
        self.client.post(reverse("homework:set_aside", args=[self.couple.pk, assignment.pk]))
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.SET_ASIDE)
        self.login(self.alice)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, assignment.pk])).content.decode()
        self.assertIn("was set aside", page)
        self.assertNotIn("Bo", page.split("<main")[1].split("</main>")[0].replace("Bo wrote", ""))

    def test_nothing_above_the_couples_level_is_offered_or_accepted(self):
        self.alice.consent_level = 3
        self.alice.save()
        # Bo is at 0: mirror-of-desire (level 2) is not in the library, its page is 404, proposing fails.
        self.login(self.alice)
        self.assertNotContains(self.client.get(reverse("homework:library", args=[self.couple.pk])), "Mirror of desire")
        self.assertEqual(
            self.client.get(reverse("homework:exercise", args=[self.couple.pk, "mirror-of-desire"])).status_code, 404
        )
        self.assertEqual(self.propose(self.alice, "mirror-of-desire").status_code, 404)
        with self.assertRaisesMessage(services.HomeworkError, "fits what you are both open to right now"):
            services.propose(self.couple, library().exercise("mirror-of-desire"), self.alice)
        self.assertFalse(Assignment.objects.exists())

    def test_library_filters(self):
        self.login(self.alice)
        url = reverse("homework:library", args=[self.couple.pk])
        self.assertContains(self.client.get(url), "Appreciations")
        self.assertNotContains(self.client.get(url, {"minutes": 10}), "Fears")
        response = self.client.get(url, {"minutes": "lots"})
        self.assertContains(response, "Select a valid choice")

    def test_proposal_needs_a_complete_open_couple(self):
        from tandem.testkit.base import make_couple, make_person

        solo = make_person("solo@example.org", "Sol")
        couple = make_couple(solo)
        with self.assertRaisesMessage(services.HomeworkError, "needs both partners"):
            services.propose(couple, library().exercise("appreciations"), solo)

    def test_due_date_in_the_past(self):
        with self.assertRaisesMessage(services.HomeworkError, "in the past"):
            services.propose(
                self.couple, library().exercise("appreciations"), self.alice, due_at=timezone.now() - timedelta(hours=1)
            )


class PauseTests(TandemTestCase):
    def setUp(self):
        self.assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(self.assignment, self.bo)

    def url(self, name):
        return reverse(f"homework:{name}", args=[self.couple.pk, self.assignment.pk])

    def test_either_can_pause_only_the_pauser_can_resume(self):
        self.login(self.bo)
        self.client.post(self.url("pause"))
        self.login(self.alice)
        page = self.client.get(self.url("assignment"))
        self.assertContains(page, "paused for now")
        self.assertNotContains(page, "Lift my pause")
        response = self.client.post(self.url("resume"), follow=True)
        self.assertContains(response, "no pause of yours")
        self.assertTrue(Pause.objects.filter(assignment=self.assignment).exists())
        self.login(self.bo)
        self.client.post(self.url("resume"))
        self.assertFalse(Pause.objects.exists())

    def test_this_week_shows_paused_without_who(self):
        services.pause(self.assignment, self.bo)
        self.login(self.alice)
        page = self.client.get(reverse("homework:this_week", args=[self.couple.pk]))
        self.assertContains(page, "paused for now")
        self.assertNotContains(page, "Bo paused")

    def test_two_pauses_need_two_lifts(self):
        services.pause(self.assignment, self.alice)
        services.pause(self.assignment, self.bo)
        services.resume(self.assignment, self.alice)
        self.assertTrue(self.assignment.pauses.exists())


class PauseOnlyWhileOpenTests(TandemTestCase):
    """ "Pause this" is offered on open homework only (``Assignment.is_open``, the rule ``services.pause`` keeps)."""

    def setUp(self):
        self.assignment = make_assignment(self.couple, "cooperative-challenge", by=self.alice)
        self.login(self.alice)

    def page(self):
        return self.client.get(reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk]))

    def pause_form(self) -> str:
        return reverse("homework:pause", args=[self.couple.pk, self.assignment.pk])

    def test_suggested_and_under_way_offer_it(self):
        self.assertContains(self.page(), "Pause this")
        services.opt_in(self.assignment, self.bo)
        self.assertContains(self.page(), "Pause this")
        self.assertContains(self.page(), self.pause_form())

    def test_done_homework_does_not(self):
        services.opt_in(self.assignment, self.bo)
        kinds.activity.mark_done(self.assignment, self.alice)
        self.assertContains(self.page(), "Pause this")  # my part is done; ours is not yet
        kinds.activity.mark_done(self.assignment, self.bo)
        self.assignment.refresh_from_db()
        self.assertEqual(self.assignment.status, Assignment.Status.COMPLETED)
        page = self.page()
        self.assertNotContains(page, "Pause this")
        self.assertNotContains(page, self.pause_form())
        self.assertNotContains(page, 'id="pause-heading"')
        # …and asking anyway is refused in the same words as ever.
        response = self.client.post(self.pause_form(), follow=True)
        self.assertContains(response, "Only homework that is still open can be paused.")
        self.assertFalse(Pause.objects.exists())

    def test_ended_homework_does_not(self):
        services.opt_in(self.assignment, self.bo)
        # Past its due date it reads as lapsed, before the worker writes it.
        Assignment.objects.filter(pk=self.assignment.pk).update(due_at=timezone.now() - timedelta(days=1))
        self.assertNotContains(self.page(), "Pause this")
        other = make_assignment(self.couple, "appreciations", by=self.alice)
        services.set_aside(other, self.bo)
        self.assertNotContains(
            self.client.get(reverse("homework:assignment", args=[self.couple.pk, other.pk])), "Pause this"
        )


class LapseTests(TandemTestCase):
    """Overdue homework lapses without blame. The worker writes it; pages only read it so."""

    def overdue(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - timedelta(minutes=1))
        return assignment

    def test_overdue_homework_reads_as_lapsed_and_can_be_renewed_before_the_worker_ran(self):
        assignment = self.overdue()
        self.login(self.bo)
        page = self.client.get(reverse("homework:this_week", args=[self.couple.pk]))
        self.assertContains(page, "not done this time")
        response = self.client.post(reverse("homework:renew", args=[self.couple.pk, assignment.pk]))
        fresh = Assignment.objects.exclude(pk=assignment.pk).get()
        self.assertRedirects(response, reverse("homework:assignment", args=[self.couple.pk, fresh.pk]))
        self.assertEqual((fresh.status, fresh.exercise_id), (Assignment.Status.PROPOSED, assignment.exercise_id))
        self.assertEqual(Assignment.objects.get(pk=assignment.pk).status, Assignment.Status.SET_ASIDE)

    def test_pages_that_are_only_read_write_nothing(self):
        assignment = self.overdue()
        self.login(self.bo)
        for url in (
            reverse("homework:this_week", args=[self.couple.pk]),
            reverse("homework:assignment", args=[self.couple.pk, assignment.pk]),
        ):
            with CaptureQueriesContext(connection) as ctx:
                page = self.client.get(url)
            self.assertEqual(page.status_code, 200)
            writes = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith(("UPDATE", "INSERT", "DELETE"))]
            self.assertEqual([w for w in writes if "django_session" not in w], [], url)
        self.assertEqual(page.context["assignment"].status, Assignment.Status.LAPSED)  # shown as it is now
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.PROPOSED)  # not yet written

    def test_the_worker_lapses_it_at_its_due_date(self):
        due = timezone.now() + timedelta(days=2)
        with self.captureOnCommitCallbacks(execute=True):
            assignment = services.propose(self.couple, library().exercise("appreciations"), self.alice, due_at=due)
        queued = DBTaskResult.objects.get(task_path="tandem.homework.services.lapse_when_due")
        self.assertEqual((queued.args_kwargs["args"], queued.run_after), ([assignment.pk], due))
        self.assertEqual(services.lapse_when_due.call(assignment.pk), 0)  # woken early: nothing yet
        Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - timedelta(minutes=1))
        self.assertEqual(services.lapse_when_due.call(assignment.pk), 1)
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.LAPSED)
        self.assertEqual(services.lapse_when_due.call(assignment.pk), 0)  # once

    def test_the_cron_command_lapses_what_is_overdue(self):
        assignment = self.overdue()
        out = StringIO()
        call_command("lapse_overdue", stdout=out)
        self.assertIn("Lapsed 1 homework", out.getvalue())
        assignment.refresh_from_db()
        self.assertEqual(assignment.status, Assignment.Status.LAPSED)


class LapseOnItsOwnPageTests(TandemTestCase):
    def test_homework_not_yet_due_costs_no_update(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        self.login(self.bo)
        url = reverse("homework:assignment", args=[self.couple.pk, assignment.pk])
        self.client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            self.client.get(url)
        self.assertFalse([q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")])


class ThisWeekTests(TandemTestCase):
    def test_parts_done_without_naming_who_is_behind(self):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(assignment, self.bo)
        kinds.write_then_share.submit_answer(assignment, self.alice, "words")
        self.login(self.bo)
        page = self.client.get(reverse("homework:this_week", args=[self.couple.pk]))
        self.assertContains(page, "1 of 2 parts done")
        self.assertContains(page, "your part is open")
        self.login(self.alice)
        page = self.client.get(reverse("homework:this_week", args=[self.couple.pk]))
        self.assertContains(page, "1 of 2 parts done")
        self.assertNotContains(page, "your part is open")

    def test_query_count_does_not_grow_with_homework(self):
        for _ in range(3):
            make_assignment(self.couple, "appreciations", by=self.alice)
        self.login(self.alice)
        url = reverse("homework:this_week", args=[self.couple.pk])
        # 8: scheduled homework and lapsing are the worker's now, pauses come with the holds.
        with self.assertNumQueries(8) as ctx:
            self.client.get(url)
        for _ in range(10):
            make_assignment(self.couple, "appreciations", by=self.alice)
        with self.assertNumQueries(len(ctx.captured_queries)):
            self.client.get(url)


class SafeMarkdownTests(TandemTestCase):
    def test_links_keep_only_safe_addresses(self):
        from tandem.homework.views import _render_markdown

        html = _render_markdown("[a](javascript:alert(1)) [b](https://example.org) [c](/x) ![d](data:x)")
        self.assertNotIn("javascript:", html)
        self.assertNotIn("data:", html)
        self.assertIn('href="https://example.org"', html)
        self.assertIn('href="/x"', html)
