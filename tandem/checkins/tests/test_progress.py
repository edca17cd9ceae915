from datetime import timedelta
from xml.etree import ElementTree

from django.urls import reverse

from tandem.checkins import charts
from tandem.checkins.models import CheckIn
from tandem.testkit.base import TandemTestCase


def fill(couple, author, days: int, *, closeness=3, stress=2, visibility="shared", start=None):
    start = start or author.today()
    CheckIn.objects.bulk_create(
        CheckIn(
            couple=couple,
            author=author,
            local_date=start - timedelta(days=i),
            mood=3,
            energy=3,
            stress=stress,
            closeness=closeness,
            visibility=visibility,
        )
        for i in range(days)
    )


class ChartTests(TandemTestCase):
    def url(self, weeks=None):
        base = reverse("checkins:progress", args=[self.couple.pk])
        return f"{base}?weeks={weeks}" if weeks else base

    def svgs(self, response):
        body = response.content.decode()
        found = []
        # The charts only, not the shell's icons.
        while '<svg class="chart"' in body:
            start = body.index('<svg class="chart"')
            end = body.index("</svg>", start) + 6
            found.append(ElementTree.fromstring(body[start:end]))  # well-formed XML
            body = body[end:]
        return found

    def test_zero_points(self):
        self.login(self.alice)
        response = self.client.get(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(len(self.svgs(response)), 4)  # desire is left out when nobody tracks it
        self.assertContains(response, "no shared check-ins in this period")

    def test_one_point(self):
        fill(self.couple, self.alice, 1)
        self.login(self.alice)
        response = self.client.get(self.url())
        svg = self.svgs(response)[0]
        self.assertEqual(len(svg.findall("{http://www.w3.org/2000/svg}circle") + svg.findall("circle")), 1)
        self.assertContains(response, "average 3 over 1 check-in")

    def test_a_year_of_daily_check_ins_with_constant_queries(self):
        fill(self.couple, self.alice, 1)
        fill(self.couple, self.bo, 1)
        self.login(self.alice)
        with self.assertNumQueries(7) as few:  # +1 session-record check, -1 couple and access in one query
            self.client.get(self.url(52))
        CheckIn.objects.all().delete()
        fill(self.couple, self.alice, 365)
        fill(self.couple, self.bo, 365)
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.client.get(self.url(52))
        svgs = self.svgs(response)
        self.assertEqual(len(svgs), 4)
        self.assertContains(response, "average 3 over 365 check-ins", count=6)  # mood, energy, closeness x 2
        self.assertContains(response, "<tr><td>", count=4 * 365)

    def test_each_chart_and_summary_first_its_numbers_behind_show_as_table(self):
        fill(self.couple, self.alice, 3)
        self.login(self.alice)
        body = self.client.get(self.url()).content.decode()
        sections = body.split('<section class="card"')[1:]
        self.assertEqual(len(sections), 4)
        for section in sections:
            order = [section.index(p) for p in ("<svg", 'class="chart-summary"', "<summary>Show as table</summary>")]
            self.assertEqual(order, sorted(order))
            self.assertLess(section.index("Show as table"), section.index("<table"))
            self.assertIn('<details class="show-table">', section)
        self.assertNotIn("The numbers", body)

    def test_partner_private_points_are_not_drawn_or_listed(self):
        fill(self.couple, self.bo, 10, stress=5, visibility="private")
        self.login(self.alice)
        response = self.client.get(self.url())
        self.assertContains(response, "Bo: no shared check-ins in this period")

    def test_bad_period_falls_back_to_four_weeks(self):
        self.login(self.alice)
        for weeks in ("nine", "7"):
            response = self.client.get(self.url(weeks))
            self.assertContains(response, 'aria-current="page">4 weeks')


class DivergenceTests(TandemTestCase):
    def series(self, a_values, b_values):
        today = self.alice.today()
        return [
            charts.Series("You", "me", [(today - timedelta(days=i), v) for i, v in enumerate(a_values)]),
            charts.Series("Bo", "partner", [(today - timedelta(days=i), v) for i, v in enumerate(b_values)]),
        ], today

    def test_two_points_apart_is_an_invitation_to_talk(self):
        series, today = self.series([5, 5, 5], [3, 3, 3])
        self.assertTrue(charts.divergence(series, today))

    def test_one_point_each_is_not_an_average(self):
        series, today = self.series([5], [1])
        self.assertFalse(charts.divergence(series, today))

    def test_just_below_two_is_not(self):
        series, today = self.series([5, 4.9, 5], [3, 3, 3.1])
        self.assertFalse(charts.divergence(series, today))

    def test_only_the_last_two_weeks_count(self):
        series, today = self.series([3] * 14 + [5] * 10, [3] * 24)
        self.assertFalse(charts.divergence(series, today))

    def test_shown_on_the_page(self):
        fill(self.couple, self.alice, 14, closeness=5)
        fill(self.couple, self.bo, 14, closeness=2)
        self.login(self.bo)
        response = self.client.get(reverse("checkins:progress", args=[self.couple.pk]))
        self.assertContains(response, "invitation", count=1)


class WeekTests(TandemTestCase):
    def test_week_summary(self):
        from tandem.wins.models import Win

        fill(self.couple, self.alice, 1)
        Win.objects.create(couple=self.couple, author=self.bo, text="Cooked together", visibility="shared")
        self.login(self.alice)
        response = self.client.get(reverse("checkins:week", args=[self.couple.pk]))
        self.assertContains(response, "Cooked together")
        self.assertContains(response, "<td>You</td><td>1</td><td>3.0</td>", html=False)
        self.assertEqual(self.client.get(reverse("checkins:week", args=[self.couple.pk]) + "?back=x").status_code, 200)


class TimeZoneWindowTests(TandemTestCase):
    def test_a_partner_ahead_in_time_still_shows(self):
        self.alice.time_zone = "Pacific/Honolulu"
        self.alice.save()
        self.bo.time_zone = "Pacific/Kiritimati"
        self.bo.save()
        fill(self.couple, self.bo, 1)  # on Bo's today, which may be Alice's tomorrow
        self.login(self.alice)
        response = self.client.get(reverse("checkins:progress", args=[self.couple.pk]))
        self.assertContains(response, "Bo: average 3 over 1 check-in")
