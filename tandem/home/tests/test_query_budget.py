"""Query budgets of the key pages, so they cannot regress.

Each page is asked for with a realistic amount of data behind it (a few
synthetic couples with a year of check-ins, homework, blocks, boundary
answers and measures, from ``tandem.demo.synthetic``) and compared with the
same page for the base case's lightly used couple: the counts must be equal,
so they don't grow with the data, and within the budget of 12 queries
(bench/README.md). Savepoints are left out of the count: they are the test
case's own transaction, not the page's work.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.blocks.models import Feed
from tandem.boundaries.models import SectionDone
from tandem.couples.access import current_couple
from tandem.demo import synthetic
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase, make_assignment, make_block

BUDGET = 12
# Exact counts today (each within BUDGET): lower is welcome, update the number.
EXPECTED = {
    "home": 12,
    "waiting": 5,  # the polling fragment: session, person, session record, the items, the header's count
    "checkin_post": 7,
    "assignment": 11,
    "boundaries_matches": 11,
    "feed": 2,
    "caseload": 12,  # 11 + what waits on the therapist (one query), now the desk's first card
}
CHECKIN = {
    "mood": 3,
    "energy": 4,
    "stress": 2,
    "closeness": 4,
    "desire": 3,
    "capacity": ["talk", "affection"],
    "note": "A calm evening.",
    "visibility": "shared",
}


def page_queries(client, method: str, url: str, data=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), (url, response.status_code)
    return sum(1 for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")))


class QueryBudgetTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        synthetic.seed(5, seed=7, today=dt.date.today())
        cls.busy = User.objects.get(email=f"p0a@{synthetic.EMAIL_DOMAIN}")
        cls.busy_couple = current_couple(cls.busy)
        cls.busy_therapist = User.objects.get(email=f"therapist0@{synthetic.EMAIL_DOMAIN}")
        # The base couple: a little of everything, so each page takes its full path.
        cls.light_assignment = make_assignment(cls.couple, "appreciations")
        # Past their first homework, like the busy couple: home's first start (until then,
        # +1 or +2 queries for a new couple) is counted in test_home.py.
        done = make_assignment(cls.couple, "celebrate-a-small-win")
        Assignment.objects.filter(pk=done.pk).update(status="completed", completed_at=timezone.now())
        make_block(cls.couple, cls.alice)
        for user in (cls.alice, cls.bo):
            SectionDone.objects.create(couple=cls.couple, author=user, section="affection")

    def both(self, name: str, method: str, url_of, users, data=None) -> None:
        """The page costs the same for the light and the busy couple, and what we expect."""
        counts = []
        for user, args in users:
            self.client.force_login(user)
            url = url_of(*args)
            page_queries(self.client, method, url, data)  # warm: first-request work (session record, …)
            counts.append(page_queries(self.client, method, url, data))
        self.assertEqual(counts[0], counts[1], f"{name}: the count depends on the amount of data")
        self.assertLessEqual(counts[0], BUDGET, name)
        self.assertEqual(counts[0], EXPECTED[name], name)

    def test_home(self):
        self.both("home", "get", lambda: "/", [(self.alice, ()), (self.busy, ())])

    def test_home_with_waiting_items(self):
        """Bo has the light couple's suggestion waiting (and a block to accept): items shown, same budget."""
        make_block(self.couple, self.alice, status="proposed")
        self.client.force_login(self.bo)
        self.assertContains(self.client.get("/"), "waiting-item", count=2)
        self.both("home", "get", lambda: "/", [(self.bo, ()), (self.busy, ())])

    def test_waiting_fragment(self):
        self.both("waiting", "get", lambda: reverse("turns:waiting"), [(self.bo, ()), (self.busy, ())])

    def test_checkin_submit(self):
        url = lambda couple: reverse("checkins:today", args=[couple.pk])  # noqa: E731
        self.both(
            "checkin_post", "post", url, [(self.alice, (self.couple,)), (self.busy, (self.busy_couple,))], CHECKIN
        )

    def test_homework_page(self):
        busy = Assignment.objects.filter(couple=self.busy_couple, status="completed").order_by("-created_at").first()
        url = lambda couple, a: reverse("homework:assignment", args=[couple.pk, a.pk])  # noqa: E731
        self.both(
            "assignment",
            "get",
            url,
            [(self.alice, (self.couple, self.light_assignment)), (self.busy, (self.busy_couple, busy))],
        )

    def test_boundaries_matches(self):
        url = lambda couple: reverse("boundaries:section", args=[couple.pk, "affection"])  # noqa: E731
        self.assertEqual(SectionDone.objects.filter(couple=self.busy_couple, section="affection").count(), 2)
        self.both("boundaries_matches", "get", url, [(self.alice, (self.couple,)), (self.busy, (self.busy_couple,))])

    def test_calendar_feed(self):
        _feed, light = Feed.issue(self.alice, self.couple)
        _feed, busy = Feed.issue(self.busy, self.busy_couple)
        counts = []
        for token in (light, busy):
            self.client.logout()
            counts.append(page_queries(self.client, "get", reverse("blocks:feed", args=[token])))
        self.assertEqual(counts, [EXPECTED["feed"]] * 2)

    def test_caseload(self):
        self.both("caseload", "get", lambda: reverse("clinic:caseload"), [(self.theo, ()), (self.busy_therapist, ())])
