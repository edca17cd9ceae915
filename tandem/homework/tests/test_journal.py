from django.urls import reverse

from tandem.homework import kinds, services
from tandem.homework.models import Assignment, Response
from tandem.testkit.base import TandemTestCase, make_assignment


class JournalTests(TandemTestCase):
    def setUp(self):
        self.assignment = make_assignment(self.couple, "misunderstanding-journal", by=self.alice)
        services.opt_in(self.assignment, self.bo)

    def step(self, user, action, body=""):
        self.login(user)
        url = reverse("homework:step", args=[self.couple.pk, self.assignment.pk, action])
        return self.client.post(url, {"body": body}, follow=True)

    def test_whole_journal(self):
        kinds.joint_journal.agree_on(self.assignment, "The party")
        self.step(self.alice, "perspective", "I thought the party was just us two.")
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk]))
        self.login(self.bo)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk]))
        self.assertContains(page, "Alice has written their side")
        self.assertNotContains(page, "just us two")
        self.assertContains(self.step(self.bo, "restate", "too early"), "once both perspectives are in")

        self.step(self.bo, "perspective", "I had invited my sister weeks ago.")
        self.assertContains(self.step(self.alice, "next-time", "check plans"), "First each of you restates")
        self.step(self.alice, "restate", "You had made plans long before.")
        self.step(self.bo, "restate", "You hoped for time alone.")
        self.step(self.alice, "next-time", "Say who is coming when we plan.")
        self.step(self.bo, "next-time", "Keep a shared list of invitations.")
        self.step(self.alice, "journal-done")
        self.assignment.refresh_from_db()
        self.assertEqual(self.assignment.status, Assignment.Status.ACTIVE)
        page = self.step(self.bo, "journal-done")
        self.assignment.refresh_from_db()
        self.assertEqual(self.assignment.status, Assignment.Status.COMPLETED)
        # Each line keeps its author.
        authors = dict(Response.objects.filter(step="next_time").values_list("body", "author__display_name"))
        self.assertEqual(authors["Keep a shared list of invitations."], "Bo")
        self.assertContains(page, "just us two")

    def test_restating_twice_is_refused(self):
        kinds.joint_journal.agree_on(self.assignment)
        kinds.joint_journal.perspective(self.assignment, self.alice, "a")
        kinds.joint_journal.perspective(self.assignment, self.bo, "b")
        kinds.joint_journal.restate(self.assignment, self.alice, "heard b")
        self.assertContains(self.step(self.alice, "restate", "again"), "already restated")

    def test_done_needs_a_line(self):
        kinds.joint_journal.agree_on(self.assignment)
        kinds.joint_journal.perspective(self.assignment, self.alice, "a")
        kinds.joint_journal.perspective(self.assignment, self.bo, "b")
        self.assertContains(self.step(self.alice, "journal-done"), "at least one thing")
