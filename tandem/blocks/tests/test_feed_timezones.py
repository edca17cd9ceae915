"""The feed across clock changes, read back by a parser other than the one that writes it.

``icalendar`` writes the feed; these tests read it with ``ical`` (a separate
RFC 5545 implementation, see pyproject.toml), so that a mistake shared by
the writer and its own reader can't hide. The instants are compared in UTC
with what zoneinfo says.

The cases are the two kinds of clock change in two zones:
Europe/Berlin changes at 01:00 UTC (last Sundays of March and October),
America/New_York at 02:00 local (second Sunday of March, first of November).
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

from django.urls import reverse
from ical.calendar_stream import IcsCalendarStream

from tandem.blocks.models import Block, Feed
from tandem.blocks.tests.test_feeds import make_block
from tandem.testkit.base import TandemTestCase

UTC = dt.UTC
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def utc(*parts: int) -> dt.datetime:
    return dt.datetime(*parts, tzinfo=UTC)


def real_changes(
    zone: zoneinfo.ZoneInfo, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    """(instant, offset before, offset after) of each change, with nothing but zoneinfo.

    Day by day, then hour by hour inside a day with a change: both zones
    change on a whole UTC hour, at most once a day.
    """
    found = []
    day = start
    before = day.astimezone(zone).utcoffset()
    while day < end:
        if (day + dt.timedelta(days=1)).astimezone(zone).utcoffset() != before:
            hour = day
            while hour.astimezone(zone).utcoffset() == before:
                hour += dt.timedelta(hours=1)
            after = hour.astimezone(zone).utcoffset()
            found.append((hour, before, after))
            before = after
        day += dt.timedelta(days=1)
    return found


class ParsedFeedCase(TandemTestCase):
    def setUp(self):
        _feed, self.token = Feed.issue(self.alice, self.couple)

    def parsed(self):
        """The feed as ``ical`` reads it (read once per test: the blocks are made first)."""
        if not hasattr(self, "_parsed"):
            self.body = self.client.get(reverse("blocks:feed", args=[self.token])).content
            self._parsed = IcsCalendarStream.calendar_from_ics(self.body.decode())
        return self._parsed

    def event(self, block: Block):
        return next(event for event in self.parsed().events if event.uid == f"{block.pk}@tandem")

    def once(self, day: dt.date, start: dt.time, minutes: int, zone: str) -> Block:
        return make_block(
            self.couple, self.alice, start_date=day, start_time=start, duration_minutes=minutes, time_zone=zone
        )

    def assert_instants(self, event, start: dt.datetime, end: dt.datetime) -> None:
        """DTSTART and the end as instants. The end is DTSTART + DURATION on the
        time line: RFC 5545 (3.3.6) counts hours and minutes as exact."""
        self.assertIsNone(event.dtend, "a wall-clock DTEND can't name the second 02:00 of a fall-back night")
        self.assertIsNotNone(event.duration)
        self.assertEqual(event.dtstart.astimezone(UTC), start)
        self.assertEqual(event.dtstart.astimezone(UTC) + event.duration, end)


class FallBackTests(ParsedFeedCase):
    def test_berlin_a_block_ending_in_the_repeated_hour(self):
        # 02:30 CEST (the first 02:30, as RFC 5545 reads it) for 30 minutes:
        # it ends at the second 02:00, in CET -- 01:00 UTC, not before it began.
        block = self.once(dt.date(2027, 10, 31), dt.time(2, 30), 30, "Europe/Berlin")
        self.assert_instants(self.event(block), utc(2027, 10, 31, 0, 30), utc(2027, 10, 31, 1, 0))
        self.assertIn(b"DURATION:PT30M", self.body)
        self.assertNotIn(b"DTEND", self.body)

    def test_berlin_a_block_across_the_repeated_hour_keeps_its_length(self):
        # 01:30 CEST for two hours ends at 02:30 CET: three wall-clock hours later
        # on the clock face, but two on the time line.
        block = self.once(dt.date(2027, 10, 31), dt.time(1, 30), 120, "Europe/Berlin")
        self.assert_instants(self.event(block), utc(2027, 10, 30, 23, 30), utc(2027, 10, 31, 1, 30))

    def test_new_york_a_block_ending_in_the_repeated_hour(self):
        # 01:30 EDT for 60 minutes ends at the second 01:30, in EST.
        block = self.once(dt.date(2027, 11, 7), dt.time(1, 30), 60, "America/New_York")
        self.assert_instants(self.event(block), utc(2027, 11, 7, 5, 30), utc(2027, 11, 7, 6, 30))

    def test_a_weekly_block_on_the_fall_back_night(self):
        # The rule's occurrence on the night of the change, as the parser expands it.
        block = make_block(
            self.couple,
            self.alice,
            start_date=dt.date(2027, 10, 17),
            start_time=dt.time(2, 30),
            duration_minutes=30,
            weekdays="SU",
            count=4,
        )
        event = self.event(block)
        self.assertIsNone(event.dtend)
        starts = [item.dtstart.astimezone(UTC) for item in self.parsed().timeline if item.uid == event.uid]
        self.assertEqual(
            starts,
            [utc(2027, 10, 17, 0, 30), utc(2027, 10, 24, 0, 30), utc(2027, 10, 31, 0, 30), utc(2027, 11, 7, 1, 30)],
        )
        self.assertEqual(event.duration, dt.timedelta(minutes=30))

    def test_long_blocks_are_written_in_hours_never_in_nominal_days(self):
        # "P1D" is a calendar day: 25 hours across a fall-back night.
        block = self.once(dt.date(2027, 10, 30), dt.time(12, 0), 26 * 60 + 5, "Europe/Berlin")
        self.assert_instants(self.event(block), utc(2027, 10, 30, 10, 0), utc(2027, 10, 31, 12, 5))
        self.assertIn(b"DURATION:PT26H5M", self.body)


class SpringForwardTests(ParsedFeedCase):
    def test_berlin_a_block_across_the_gap(self):
        # 01:30 CET for two hours ends at 04:30 CEST.
        block = self.once(dt.date(2027, 3, 28), dt.time(1, 30), 120, "Europe/Berlin")
        self.assert_instants(self.event(block), utc(2027, 3, 28, 0, 30), utc(2027, 3, 28, 2, 30))

    def test_berlin_a_time_in_the_gap_is_read_with_the_offset_before_it(self):
        # 02:30 doesn't exist that night; RFC 5545 reads it with the offset
        # before the gap (+01:00), as the agenda does.
        block = self.once(dt.date(2027, 3, 28), dt.time(2, 30), 60, "Europe/Berlin")
        self.assert_instants(self.event(block), utc(2027, 3, 28, 1, 30), utc(2027, 3, 28, 2, 30))

    def test_new_york_a_block_across_the_gap(self):
        # 01:30 EST for an hour ends at 03:30 EDT.
        block = self.once(dt.date(2027, 3, 14), dt.time(1, 30), 60, "America/New_York")
        self.assert_instants(self.event(block), utc(2027, 3, 14, 6, 30), utc(2027, 3, 14, 7, 30))


class VtimezoneTests(ParsedFeedCase):
    def onsets(self, tzid: str, until: dt.datetime) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
        """(instant, offset before, offset after) of each onset the feed's VTIMEZONE gives.

        RFC 5545 (3.6.5): DTSTART and RDATE of an observance are local time
        in its TZOFFSETFROM, and its RRULE repeats DTSTART. DTSTART is always
        the first onset; ``ical`` 14.3's ``as_ruleset`` leaves it out when an
        observance has RDATEs and no RRULE, so it is added here.
        """
        (timezone,) = [each for each in self.parsed().timezones if each.tz_id == tzid]
        found = []
        for observance in [*timezone.standard, *timezone.daylight]:
            before, after = observance.tz_offset_from.offset, observance.tz_offset_to.offset
            if before == after:
                continue  # the state at the start of the component, no change
            local_onsets = {observance.dtstart, *observance.rdate}
            local_onsets.update(
                itertools.takewhile(lambda each: each < until.replace(tzinfo=None), observance.as_ruleset())
            )
            found.extend(
                (local.replace(tzinfo=UTC) - before, before, after)
                for local in local_onsets
                if local < until.replace(tzinfo=None)
            )
        return sorted(found)

    def assert_onsets_are_real(self, tzid: str, windows: list[tuple[dt.datetime, dt.datetime]], until: dt.datetime):
        zone = zoneinfo.ZoneInfo(tzid)
        written = self.onsets(tzid, until)
        for start, end in windows:
            with self.subTest(tzid=tzid, window=start.year):
                expected = real_changes(zone, start, end)
                self.assertTrue(expected)
                self.assertEqual([each for each in written if start <= each[0] < end], expected)

    def test_onsets_are_the_real_instants_and_go_on_for_a_block_that_never_ends(self):
        make_block(self.couple, self.alice, start_date=dt.date(2027, 1, 4), weekdays="MO")
        make_block(self.couple, self.alice, start_date=dt.date(2027, 1, 8), weekdays="FR", time_zone="America/New_York")
        far = utc(2100, 1, 1)
        windows = [(utc(2027, 1, 1), utc(2045, 1, 1)), (utc(2090, 1, 1), far)]
        self.assert_onsets_are_real("Europe/Berlin", windows, far)
        self.assert_onsets_are_real("America/New_York", windows, far)
        # The examples: daylight saving starts at 01:00 UTC in Berlin and at
        # 07:00 UTC in New York (02:00 EST), not an hour later.
        berlin = self.onsets("Europe/Berlin", utc(2028, 1, 1))
        self.assertIn((utc(2027, 3, 28, 1), dt.timedelta(hours=1), dt.timedelta(hours=2)), berlin)
        self.assertIn((utc(2027, 10, 31, 1), dt.timedelta(hours=2), dt.timedelta(hours=1)), berlin)
        new_york = self.onsets("America/New_York", utc(2028, 1, 1))
        self.assertIn((utc(2027, 3, 14, 7), dt.timedelta(hours=-5), dt.timedelta(hours=-4)), new_york)
        self.assertIn((utc(2027, 11, 7, 6), dt.timedelta(hours=-4), dt.timedelta(hours=-5)), new_york)
        # A rule, not thousands of dates.
        self.assertIn(b"RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3", self.body)
        self.assertLess(len(self.body), 4000)

    def test_a_block_ending_after_2038_is_covered_to_its_end(self):
        make_block(self.couple, self.alice, start_date=dt.date(2027, 1, 4), weekdays="MO", until=dt.date(2045, 6, 30))
        self.assert_onsets_are_real("Europe/Berlin", [(utc(2027, 1, 1), utc(2045, 6, 30))], utc(2046, 1, 1))

    def test_the_zones_come_in_a_fixed_order(self):
        # Same blocks, same bytes (the ETag), whatever order a set would give.
        for zone in ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"):
            make_block(self.couple, self.alice, start_date=dt.date(2027, 1, 4), time_zone=zone)
        self.assertEqual(
            [each.tz_id for each in self.parsed().timezones],
            ["America/New_York", "Asia/Tokyo", "Australia/Sydney", "Europe/Berlin"],
        )
