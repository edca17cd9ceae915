"""The caseload: adherence, flags, sorting, and a constant number of queries."""

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.clinic import caseload
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase, link_therapist, make_assignment, make_couple, make_person


def overdue(assignment) -> None:
    """Past its due date: it counts as given (and, while open, as not done)."""
    Assignment.objects.filter(pk=assignment.pk).update(due_at=timezone.now() - dt.timedelta(days=1))


def couples_for(therapist, n: int, start: int = 0) -> list:
    made = []
    for i in range(start, start + n):
        a = make_person(f"c{i}a@example.org", f"A{i}")
        b = make_person(f"c{i}b@example.org", f"B{i}")
        couple = make_couple(a, b)
        link_therapist(couple, therapist)
        overdue(make_assignment(couple, "appreciations"))
        made.append(couple)
    return made


class AdherenceTests(TandemTestCase):
    def test_completed_over_given_in_the_last_four_weeks(self):
        now = timezone.now()
        done = [make_assignment(self.couple, "appreciations") for _ in range(3)]
        Assignment.objects.filter(pk__in=[a.pk for a in done[:2]]).update(status="completed", completed_at=now)
        overdue(done[2])
        make_assignment(self.couple, "appreciations")  # given today, due later: not counted yet
        old = make_assignment(self.couple, "appreciations")
        Assignment.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(weeks=5), status="completed")
        (row,) = caseload.rows(self.theo.therapist)
        # Adherence counts homework whose time has come; the page shows all of it given, and done.
        self.assertEqual((row.completed, row.due), (2, 3))
        self.assertAlmostEqual(row.adherence, 2 / 3)
        self.assertEqual((row.done, row.given), (2, 4))
        self.assertFalse(row.needs_attention)

    def test_low_adherence_needs_attention(self):
        overdue(make_assignment(self.couple, "appreciations"))
        overdue(make_assignment(self.couple, "appreciations"))
        (row,) = caseload.rows(self.theo.therapist)
        self.assertEqual(row.adherence, 0)
        self.assertTrue(row.needs_attention)
        self.assertIn("little homework done lately", row.attention_reasons)

    def test_no_homework_is_not_low_adherence(self):
        (row,) = caseload.rows(self.theo.therapist)
        self.assertIsNone(row.adherence)
        self.assertFalse(row.needs_attention)

    def test_pause_and_hard_season_are_shown_without_naming_a_partner(self):
        from tandem.boundaries.models import CouplePause
        from tandem.seasons import services as seasons

        CouplePause.objects.create(couple=self.couple, user=self.bo)
        seasons.start(self.couple, self.alice, reason="work", reason_shared=False, expected_weeks=2)
        (row,) = caseload.rows(self.theo.therapist)
        self.assertTrue(row.paused)
        self.assertTrue(row.hard_season)
        self.login(self.theo)
        page = self.client.get(reverse("clinic:caseload")).content.decode()
        self.assertIn("something is paused", page)
        self.assertIn("hard season", page)
        self.assertNotIn("Bo paused", page)
        row = page.split("<tbody>")[1].split("</tbody>")[0]
        row = re.sub(r'data-(label|testid)="[^"]*"', "", row)  # column names ("Homework") are not the reason
        self.assertNotIn("work", row.lower())  # the season's reason is the starter's


class SortingTests(TandemTestCase):
    def test_attention_first_and_filter(self):
        others = couples_for(self.theo, 2)
        # One of them has low adherence (its one homework is open): needs attention.
        Assignment.objects.filter(couple=others[1]).update(status="completed", completed_at=timezone.now())
        found = caseload.rows(self.theo.therapist)
        ordered = caseload.arrange(found)
        self.assertTrue(ordered[0].needs_attention)
        only = caseload.arrange(found, only_attention=True)
        self.assertEqual({row.couple_id for row in only}, {others[0].pk})
        by_name = caseload.arrange(found, sort="name")
        self.assertEqual(by_name[0].names[0], "A0")

    def test_the_page_sorts_and_filters(self):
        couples_for(self.theo, 2)
        self.login(self.theo)
        page = self.client.get(reverse("clinic:caseload") + "?sort=name&show=attention")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Needs attention:")
        self.assertNotContains(page, "Alice")  # no homework given: nothing to worry about
        bad = self.client.get(reverse("clinic:caseload") + "?sort=%3Cscript%3E")
        self.assertEqual(bad.status_code, 200)


class QueryCountTests(TandemTestCase):
    def count(self) -> int:
        self.login(self.theo)
        url = reverse("clinic:caseload")
        self.client.get(url)  # warm caches (content library, sessions)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get(url).status_code, 200)
        return len(queries)

    def test_constant_for_3_and_300_couples(self):
        couples_for(self.theo, 2)  # 3 with the base couple
        small = self.count()
        couples_for(self.theo, 297, start=2)
        self.assertEqual(self.count(), small)
        self.assertLessEqual(small, 16)


class LastActivityTests(TandemTestCase):
    def test_homework_given_by_the_therapist_is_not_the_couples_activity(self):
        from tandem.clinic import schedules

        schedules.create(self.theo.therapist, self.couple, what="exercise", slug="appreciations", cadence="once")
        (row,) = caseload.rows(self.theo.therapist)
        self.assertIsNone(row.last_activity)
        from tandem.homework import services

        services.opt_in(Assignment.objects.get(), self.bo)
        (row,) = caseload.rows(self.theo.therapist)
        self.assertIsNotNone(row.last_activity)


class PagingTests(TandemTestCase):
    """A long caseload is shown (and audited) fifty couples at a time."""

    def setUp(self) -> None:
        couples_for(self.theo, 60)  # 61 with the base couple
        self.login(self.theo)
        self.url = reverse("clinic:caseload")

    def rows_on(self, query: str) -> int:
        page = self.client.get(self.url + query)
        self.assertEqual(page.status_code, 200)
        return page.content.decode().count('data-testid="caseload-row"')

    def test_fifty_per_page_and_only_those_are_audited(self):
        from tandem.clinic.models import AuditEntry

        AuditEntry.objects.all().delete()
        self.assertEqual(self.rows_on(""), 50)
        self.assertEqual(AuditEntry.objects.filter(object_type="clinic.caseload").count(), 50)
        page = self.client.get(self.url)
        self.assertContains(page, "61 linked couples")
        self.assertContains(page, "Page 1 of 2 (couples 1–50 of 61)")  # noqa: RUF001 -- the page prints an en dash
        self.assertContains(page, 'href="?sort=attention&amp;page=2" rel="next"')
        self.assertEqual(self.rows_on("?page=2"), 11)

    def test_sort_and_filter_survive_the_page_links(self):
        page = self.client.get(self.url + "?sort=name&page=2")
        self.assertContains(page, 'href="?sort=name&amp;page=1" rel="prev"')
        self.assertNotContains(page, 'rel="next"')
        # Names sort as text ("A0", "A1", "A10", …, "A53"): the 51st is A54.
        body = page.content.decode()
        self.assertIn(">A54 & B54<", body)
        self.assertNotIn(">A53 & B53<", body)

    def test_ties_keep_one_order_so_every_couple_is_on_exactly_one_page(self):
        from tandem.clinic.models import CareLink

        # Same adherence for all and the same link time: nothing but the tie-break orders them.
        Assignment.objects.all().delete()
        CareLink.objects.update(created_at=timezone.now())
        seen = []
        for number in (1, 2):
            body = self.client.get(self.url + f"?sort=adherence&page={number}").content.decode()
            seen += [line for line in body.splitlines() if "/clinic/couples/" in line]
        self.assertEqual(len(seen), 61)
        self.assertEqual(len(set(seen)), 61)
        rows = caseload.rows(self.theo.therapist)
        self.assertEqual(caseload.arrange(rows, sort="adherence"), caseload.arrange(rows[::-1], sort="adherence"))

    def test_a_bad_page_number_shows_a_real_page(self):
        self.assertEqual(self.rows_on("?page=abc"), 50)  # not a number: the first page
        self.assertEqual(self.rows_on("?page=999"), 11)  # past the end: the last page
        self.assertEqual(self.rows_on("?page=-3"), 11)
