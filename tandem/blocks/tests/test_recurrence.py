"""Expanding blocks: wall-clock time kept across daylight-saving changes."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.test import SimpleTestCase

from tandem.blocks import recurrence
from tandem.blocks.models import Block

UTC = dt.UTC
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def block(**plan) -> Block:
    fields = {
        "kind": "conversation",
        "start_date": dt.date(2027, 3, 15),
        "start_time": dt.time(19, 30),
        "duration_minutes": 60,
        "time_zone": "Europe/Berlin",
    }
    fields.update(plan)
    made = Block(**fields)
    made.skip_dates = ""  # as if from for_calendar(): no skips, no query
    made.refresh_bounds()
    return made


def window(start: dt.date, days: int) -> tuple[dt.datetime, dt.datetime]:
    begins = dt.datetime.combine(start, dt.time.min, tzinfo=UTC)
    return begins, begins + dt.timedelta(days=days)


class DaylightSavingTests(SimpleTestCase):
    def test_weekly_block_keeps_wall_clock_time_across_berlin_spring_change(self):
        # Berlin moves to summer time on Sunday 28 March 2027.
        weekly = block(start_date=dt.date(2027, 3, 15), weekdays="MO")
        found = recurrence.occurrences(weekly, *window(dt.date(2027, 3, 14), 28))
        self.assertEqual(
            [o.local_date for o in found], [dt.date(2027, 3, d) for d in (15, 22, 29)] + [dt.date(2027, 4, 5)]
        )
        self.assertEqual({o.start.astimezone(BERLIN).time() for o in found}, {dt.time(19, 30)})
        utc_hours = [o.start.astimezone(UTC).hour for o in found]
        self.assertEqual(utc_hours, [18, 18, 17, 17])  # the instant moves, not the wall clock
        self.assertEqual({o.end - o.start for o in found}, {dt.timedelta(hours=1)})

    def test_weekly_block_keeps_wall_clock_time_across_new_york_autumn_change(self):
        # New York goes back to standard time on Sunday 7 November 2027.
        weekly = block(start_date=dt.date(2027, 10, 27), weekdays="WE,SA", time_zone="America/New_York")
        found = recurrence.occurrences(weekly, *window(dt.date(2027, 10, 26), 21))
        self.assertEqual(len(found), 6)
        self.assertEqual({o.start.astimezone(NEW_YORK).time() for o in found}, {dt.time(19, 30)})
        self.assertEqual(
            [o.start.astimezone(UTC).hour for o in found], [23, 23, 23, 23, 0, 0]
        )  # 27 Oct-6 Nov: 19:30 EDT = 23:30 UTC; from 10 Nov: 19:30 EST = 00:30 UTC the next day

    def test_a_time_inside_the_spring_gap_is_read_with_the_offset_before_it(self):
        # 02:30 does not exist in Berlin on 28 March 2027 (02:00 -> 03:00).
        gap = block(start_date=dt.date(2027, 3, 28), start_time=dt.time(2, 30))
        (only,) = recurrence.occurrences(gap, *window(dt.date(2027, 3, 27), 3))
        self.assertEqual(only.start.astimezone(UTC), dt.datetime(2027, 3, 28, 1, 30, tzinfo=UTC))
        self.assertEqual(only.start.astimezone(BERLIN).time(), dt.time(3, 30))

    def test_two_partners_in_different_zones_see_the_same_instant(self):
        weekly = block(start_date=dt.date(2027, 3, 15), weekdays="MO")
        (first, *_rest) = recurrence.occurrences(weekly, *window(dt.date(2027, 3, 14), 7))
        in_berlin = first.start_in(BERLIN)
        in_new_york = first.start_in(NEW_YORK)
        self.assertEqual(in_berlin, in_new_york)  # the same instant
        self.assertEqual(in_berlin.strftime("%H:%M"), "19:30")
        self.assertEqual(in_new_york.strftime("%H:%M"), "14:30")  # New York is already on summer time


class RuleTests(SimpleTestCase):
    def test_once(self):
        once = block()
        self.assertIsNone(recurrence.rrule_parts(once))
        self.assertEqual(len(recurrence.occurrences(once, *window(dt.date(2027, 3, 1), 60))), 1)
        self.assertEqual(once.last_end - once.first_start, dt.timedelta(hours=1))

    def test_every_two_weeks_on_two_days_for_five_times(self):
        repeating = block(weekdays="MO,TH", interval=2, count=5)
        found = recurrence.occurrences(repeating, *window(dt.date(2027, 3, 1), 120))
        self.assertEqual(
            [o.local_date for o in found],
            [
                dt.date(2027, 3, 15),
                dt.date(2027, 3, 18),
                dt.date(2027, 3, 29),
                dt.date(2027, 4, 1),
                dt.date(2027, 4, 12),
            ],
        )
        self.assertEqual(repeating.last_end, dt.datetime(2027, 4, 12, 18, 30, tzinfo=UTC))
        self.assertEqual(
            recurrence.rrule_parts(repeating),
            {"FREQ": "WEEKLY", "BYDAY": ["MO", "TH"], "WKST": "MO", "INTERVAL": 2, "COUNT": 5},
        )

    def test_until_a_date_includes_that_day_and_is_given_in_utc(self):
        repeating = block(weekdays="MO", until=dt.date(2027, 3, 29))
        found = recurrence.occurrences(repeating, *window(dt.date(2027, 3, 1), 120))
        self.assertEqual(
            [o.local_date for o in found], [dt.date(2027, 3, 15), dt.date(2027, 3, 22), dt.date(2027, 3, 29)]
        )
        until = recurrence.rrule_parts(repeating)["UNTIL"]
        self.assertEqual(until.tzinfo, UTC)
        self.assertEqual(until, dt.datetime(2027, 3, 29, 21, 59, 59, tzinfo=UTC))  # 23:59:59 summer time

    def test_open_ended_block_has_no_last_end(self):
        self.assertIsNone(block(weekdays="MO").last_end)

    def test_skipped_occurrence_is_left_out_but_the_series_goes_on(self):
        weekly = block(weekdays="MO")
        weekly.skip_dates = "2027-03-22"
        found = recurrence.occurrences(weekly, *window(dt.date(2027, 3, 14), 21))
        self.assertEqual([o.local_date for o in found], [dt.date(2027, 3, 15), dt.date(2027, 3, 29)])
        with_skipped = recurrence.occurrences(weekly, *window(dt.date(2027, 3, 14), 21), include_skipped=True)
        self.assertEqual([o.skipped for o in with_skipped], [False, True, False])

    def test_window_boundaries(self):
        weekly = block(weekdays="MO")
        # A window that starts in the middle of an occurrence still shows it.
        middle = dt.datetime(2027, 3, 15, 18, 45, tzinfo=UTC)
        self.assertEqual(len(recurrence.occurrences(weekly, middle, middle + dt.timedelta(minutes=1))), 1)
        # One that starts at its end does not.
        end = dt.datetime(2027, 3, 15, 19, 30, tzinfo=UTC)
        self.assertEqual(recurrence.occurrences(weekly, end, end + dt.timedelta(days=6)), [])

    def test_next_occurrence_and_is_occurrence(self):
        weekly = block(weekdays="MO", interval=4)
        after = dt.datetime(2027, 3, 16, tzinfo=UTC)
        self.assertEqual(recurrence.next_occurrence(weekly, after).local_date, dt.date(2027, 4, 12))
        self.assertTrue(recurrence.is_occurrence(weekly, dt.date(2027, 4, 12)))
        self.assertFalse(recurrence.is_occurrence(weekly, dt.date(2027, 3, 22)))
