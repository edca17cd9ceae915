from django.urls import reverse

from tandem.homework import debriefs, kinds, services
from tandem.testkit.base import TandemTestCase, make_assignment


class HistoryTests(TandemTestCase):
    def complete_appreciations(self, alice_words, bo_words):
        assignment = make_assignment(self.couple, "appreciations", by=self.alice)
        services.opt_in(assignment, self.bo)
        kinds.write_then_share.submit_answer(assignment, self.alice, alice_words)
        kinds.write_then_share.submit_answer(assignment, self.bo, bo_words)
        return assignment

    def test_shows_shared_responses_and_only_shared_debriefs(self):
        assignment = self.complete_appreciations("alice thanks", "bo thanks")
        debriefs.debrief(assignment, self.alice, feeling=5, note="alice private note")
        debriefs.debrief(assignment, self.bo, feeling=4, note="bo shared note", visibility="shared")
        self.login(self.bo)
        page = self.client.get(reverse("homework:history", args=[self.couple.pk]))
        self.assertContains(page, "alice thanks")
        self.assertContains(page, "bo shared note")
        self.assertNotContains(page, "alice private note")

    def test_query_count_is_constant(self):
        self.complete_appreciations("a", "b")
        self.login(self.alice)
        url = reverse("homework:history", args=[self.couple.pk])
        with self.assertNumQueries(8) as ctx:  # +1 session-record check, -1 couple and access in one query
            self.client.get(url)
        for i in range(5):
            self.complete_appreciations(f"a{i}", f"b{i}")
        with self.assertNumQueries(len(ctx.captured_queries)):
            self.client.get(url)
