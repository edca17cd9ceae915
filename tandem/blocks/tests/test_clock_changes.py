"""A block's end on the pages when the clocks change inside it.

The end is the start plus the block's length on the time line, shown in the
viewer's zone. On a fall-back night that end can read earlier than the start
(02:30-02:00 is half an hour), so the pages then name each time's zone and
say the clocks go back.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from unittest import mock

from django.urls import reverse

from tandem.blocks import recurrence
from tandem.blocks.tests.test_feeds import make_block
from tandem.testkit.base import TandemTestCase

UTC = dt.UTC
DASH = "\u2013"  # the en dash the pages print between two times
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
# A week before the fall-back night of 31 October 2027 and the spring-forward one of 28 March 2027.
BEFORE_FALL_BACK = dt.datetime(2027, 10, 27, 12, 0, tzinfo=UTC)
BEFORE_SPRING_FORWARD = dt.datetime(2027, 3, 24, 12, 0, tzinfo=UTC)


def at(moment: dt.datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


class OccurrenceEndTests(TandemTestCase):
    def test_the_end_is_start_plus_length_on_the_time_line(self):
        block = make_block(
            self.couple, self.alice, start_date=dt.date(2027, 10, 31), start_time=dt.time(2, 30), duration_minutes=30
        )
        (found,) = recurrence.occurrences(block, BEFORE_FALL_BACK, BEFORE_FALL_BACK + dt.timedelta(days=7))
        self.assertEqual(found.start.astimezone(UTC), dt.datetime(2027, 10, 31, 0, 30, tzinfo=UTC))
        self.assertEqual(found.end.astimezone(UTC), dt.datetime(2027, 10, 31, 1, 0, tzinfo=UTC))
        self.assertEqual(recurrence.clock_change(found.start, found.end, BERLIN), dt.timedelta(hours=-1))
        self.assertEqual(recurrence.clock_change(found.start, found.end, UTC), dt.timedelta(0))


class PagesTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        for person, zone in ((cls.alice, "Europe/Berlin"), (cls.bo, "America/New_York")):
            person.time_zone = zone
            person.save(update_fields=["time_zone"])

    def block(self, day: dt.date, start: dt.time, minutes: int):
        return make_block(self.couple, self.alice, start_date=day, start_time=start, duration_minutes=minutes)

    def pages(self, block, person) -> dict[str, str]:
        self.login(person)
        urls = {
            "agenda": reverse("blocks:agenda", args=[self.couple.pk]),
            "home": reverse("home:home"),
            "block": reverse("blocks:block", args=[self.couple.pk, block.pk]),
        }
        found = {}
        for name, url in urls.items():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, name)
            found[name] = response.content.decode()
        return found

    def test_an_end_in_the_repeated_hour_says_the_clocks_go_back(self):
        block = self.block(dt.date(2027, 10, 31), dt.time(2, 30), 30)
        with at(BEFORE_FALL_BACK):
            for name, page in self.pages(block, self.alice).items():
                with self.subTest(page=name):
                    self.assertNotIn(f"02:30{DASH}02:00 ", page)
                    self.assertIn(
                        f'02:30 CEST{DASH}02:00 CET <span class="quiet">(the clocks go back during this time)</span>',
                        page,
                    )

    def test_across_the_change_the_length_shows(self):
        block = self.block(dt.date(2027, 10, 31), dt.time(1, 30), 120)
        with at(BEFORE_FALL_BACK):
            page = self.pages(block, self.alice)["agenda"]
        self.assertIn(f"01:30 CEST{DASH}02:30 CET", page)  # two hours, not one

    def test_spring_forward(self):
        block = self.block(dt.date(2027, 3, 28), dt.time(1, 30), 120)
        with at(BEFORE_SPRING_FORWARD):
            page = self.pages(block, self.alice)["agenda"]
        self.assertIn(
            f'01:30 CET{DASH}04:30 CEST <span class="quiet">(the clocks go forward during this time)</span>', page
        )

    def test_shown_in_the_viewers_zone_where_nothing_changes(self):
        # For Bo in New York the same half hour is 20:30-21:00 EDT the evening before.
        block = self.block(dt.date(2027, 10, 31), dt.time(2, 30), 30)
        with at(BEFORE_FALL_BACK):
            for name, page in self.pages(block, self.bo).items():
                with self.subTest(page=name):
                    self.assertIn(f"20:30{DASH}21:00", page)
                    self.assertNotIn("the clocks go", page)

    def test_an_ordinary_day_reads_as_before(self):
        block = self.block(dt.date(2027, 10, 29), dt.time(19, 30), 60)
        with at(BEFORE_FALL_BACK):
            page = self.pages(block, self.alice)["agenda"]
        self.assertIn(f"19:30{DASH}20:30 · Conversation", page)
        self.assertNotIn("CEST", page)
