"""Home shows the waiting items first; the header counts them on every page; the
polling fragment answers GET only, for the signed-in person only, and writes nothing."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.boundaries import agreements
from tandem.homework.models import Assignment
from tandem.testkit.base import TandemTestCase, make_assignment, make_block


def statements(client, url: str):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    sql = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    return response, sql


class HomeTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.assignment = make_assignment(cls.couple, "appreciations", by=cls.alice)
        Assignment.objects.filter(pk=cls.assignment.pk).update(created_at=timezone.now() - dt.timedelta(days=1))
        cls.block = make_block(cls.couple, cls.alice, status="proposed")

    def test_home_shows_waiting_first_newest_first_with_one_button_each(self):
        self.client.force_login(self.bo)
        html = self.client.get("/").content.decode()
        self.assertInHTML('<h2 id="waiting-heading">Waiting for you</h2>', html)
        self.assertLess(html.index("Waiting for you"), html.index('id="space-heading"'))  # first
        block_at = html.index("A time together to accept")
        yes_at = html.index("A suggestion waiting for your yes")
        self.assertLess(block_at, yes_at)  # newest first
        self.assertIn(reverse("blocks:block", args=[self.couple.pk, self.block.pk]), html)
        self.assertIn(reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk]), html)
        waiting = html[html.index('id="waiting-heading"') :]
        waiting = waiting[: waiting.index("</section>")]
        self.assertEqual(waiting.count('class="button primary" href="/couple/'), 2)  # one button per item

    def test_nothing_waiting_no_card(self):
        self.client.force_login(self.alice)
        html = self.client.get("/").content.decode()
        self.assertNotIn("Waiting for you", html)
        self.assertNotIn("data-waiting-count>", html)

    def test_the_header_counts_on_every_page(self):
        self.client.force_login(self.bo)
        for url in ("/", reverse("accounts:profile"), reverse("blocks:agenda", args=[self.couple.pk])):
            html = self.client.get(url).content.decode()
            self.assertIn(
                '<span class="count" data-waiting-count>2<span class="visually-hidden"> waiting for you', html
            )

    def test_the_count_is_one_expression_in_the_headers_one_query(self):
        self.client.force_login(self.bo)
        url = reverse("accounts:profile")
        self.client.get(url)
        _response, before = statements(self.client, url)
        agreements.create(self.couple, self.alice, "comfortable", "Words", None)
        make_block(self.couple, self.alice, status="proposed", days_ahead=5)
        response, after = statements(self.client, url)
        self.assertEqual(len(before), len(after))
        self.assertContains(response, "data-waiting-count>4<")


class EndpointTests(TandemTestCase):
    url = "/waiting/"

    def test_the_fragment_has_the_items_and_the_count(self):
        make_assignment(self.couple, "appreciations", by=self.alice)
        self.client.force_login(self.bo)
        response = self.client.get(self.url, headers={"HX-Request": "true"})
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, 'data-waiting-count="1"')
        self.assertContains(response, "A suggestion waiting for your yes")
        self.assertNotContains(response, "<html")
        self.assertIn("no-store", response["Cache-Control"])

    def test_empty_for_the_partner_who_proposed_and_for_outsiders(self):
        make_assignment(self.couple, "appreciations", by=self.alice)
        for person in (self.alice, self.olga, self.una, self.theo):
            self.client.force_login(person)
            response = self.client.get(self.url)
            self.assertContains(response, 'data-waiting-count="0"')
            self.assertNotContains(response, "waiting-item")

    def test_get_only_and_writes_nothing(self):
        make_assignment(self.couple, "appreciations", by=self.alice)
        self.client.force_login(self.bo)
        self.client.get(self.url)
        _response, sql = statements(self.client, self.url)
        writes = [s for s in sql if s.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
        self.assertEqual(writes, [])
        self.assertEqual(self.client.post(self.url).status_code, 405)

    def test_signed_out_is_sent_to_log_in(self):
        response = self.client.get(self.url)
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("accounts:login"), response["Location"])

    def test_a_fixed_small_number_of_queries_whatever_the_number_of_items(self):
        self.client.force_login(self.bo)
        self.client.get(self.url)
        _response, few = statements(self.client, self.url)
        make_assignment(self.couple, "appreciations", by=self.alice)
        make_assignment(self.couple, "celebrate-a-small-win", by=self.alice)
        for days in (2, 3, 4):
            make_block(self.couple, self.alice, status="proposed", days_ahead=days)
        response, many = statements(self.client, self.url)
        self.assertContains(response, 'data-waiting-count="5"')
        self.assertEqual(len(few), len(many))
        # session, person, session record, the items (one UNION), the header's count.
        self.assertLessEqual(len(many), 5)
