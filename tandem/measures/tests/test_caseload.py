"""The caseload summary and open flag counts, in a constant number of queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.measures import rci, services
from tandem.measures.tests.helpers import fill
from tandem.testkit.base import TandemTestCase, link_therapist, make_couple, make_person


class CaseloadTests(TandemTestCase):
    def make_couples(self, n: int) -> list:
        ids = []
        for i in range(n):
            a = make_person(f"a{i}-{n}@example.org", f"A{i}")
            b = make_person(f"b{i}-{n}@example.org", f"B{i}")
            couple = make_couple(a, b)
            link_therapist(couple, self.una)
            fill(couple, a, "phq9", [2] * 8 + [1], self.una)
            fill(couple, a, "phq9", [1] * 8 + [0], self.una)
            fill(couple, b, "csi4", [3, 3, 3, 3], self.una)
            ids.append(couple.pk)
        return ids

    def count_queries(self, ids) -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.caseload_summary(ids, self.una)
            services.open_flags(ids)
        return len(ctx.captured_queries)

    def test_constant_queries_for_3_and_30_couples(self):
        few, many = self.make_couples(3), self.make_couples(30)
        self.assertEqual(self.count_queries(few), self.count_queries(many))
        self.assertLessEqual(self.count_queries(many), 3)

    def test_summary_values(self):
        fill(self.couple, self.alice, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0], self.theo)  # 16
        fill(self.couple, self.alice, "phq9", [1, 1, 1, 1, 1, 1, 0, 0, 0], self.theo)  # 6
        fill(self.couple, self.bo, "gad7", [1] * 7, self.theo)  # 7, one response
        summary = services.caseload_summary([self.couple.pk, self.other_couple.pk], self.theo)
        self.assertEqual(summary[self.other_couple.pk], [])
        rows = {(s.person_id, s.instrument): s for s in summary[self.couple.pk]}
        phq = rows[(self.alice.pk, "phq9")]
        self.assertEqual((phq.latest_score, phq.band, phq.in_clinical_range), (6, "mild", False))
        self.assertEqual((phq.change, phq.crossed_cutoff, phq.responses), (rci.IMPROVED, True, 2))
        gad = rows[(self.bo.pk, "gad7")]
        self.assertEqual((gad.latest_score, gad.change, gad.crossed_cutoff), (7, None, False))

    def test_open_flags(self):
        fill(self.couple, self.alice, "phq9", [0] * 8 + [2], self.theo)
        counts = services.open_flags([self.couple.pk, str(self.other_couple.pk)])
        self.assertEqual(counts, {self.couple.pk: 1, self.other_couple.pk: 0})
        self.assertEqual(services.open_flags([self.couple.pk], therapist=self.una), {self.couple.pk: 0})

    def test_first_and_latest_by_completion_time_not_by_entry_order(self):
        import datetime as dt

        from tandem.measures.models import MeasureResponse

        # Recorded in one order, completed in another: the summary follows
        # completion time, with the row id breaking a tie.
        middle = fill(self.couple, self.alice, "phq9", [1] * 8 + [0], self.theo)  # 8
        latest = fill(self.couple, self.alice, "phq9", [0] * 9, self.theo)  # 0
        first = fill(self.couple, self.alice, "phq9", [3] * 8 + [0], self.theo)  # 24
        tie = fill(self.couple, self.alice, "phq9", [1] * 4 + [0] * 5, self.theo)  # 4, same time as first
        base = middle.completed_at
        for response, days in ((first, -20), (tie, -20), (middle, -10), (latest, 0)):
            MeasureResponse.objects.filter(pk=response.pk).update(completed_at=base + dt.timedelta(days=days))
        (phq,) = services.caseload_summary([self.couple.pk], self.theo)[self.couple.pk]
        self.assertEqual((phq.latest_score, phq.responses), (0, 4))
        # Against 24 (the first), not 4 (its tie, recorded later) nor 8 (recorded first).
        self.assertEqual((phq.change, phq.crossed_cutoff), (rci.IMPROVED, True))
