"""The VTIMEZONE writer against zoneinfo, for zones whose changes are not the usual ones.

Each onset, read as RFC 5545 says (local time in TZOFFSETFROM), must be an
instant where zoneinfo's state changes from the observance's "before" to its
"after", and there must be exactly as many onsets as zoneinfo has changes.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
from dateutil import rrule
from django.test import SimpleTestCase

from tandem.blocks import vtimezone

UTC = dt.UTC


def onsets(tzid: str, first_year: int, last_day: dt.date | None, until: dt.datetime) -> list[tuple]:
    found = []
    for observance in vtimezone.observances(tzid, first_year, last_day)[1:]:  # [0]: the state at the start
        local = [observance.start, *observance.rdates]
        if observance.rule:
            text = icalendar.vRecur(dict(observance.rule)).to_ical().decode()
            local = list(rrule.rrulestr(text, dtstart=observance.start).between(observance.start, until, inc=True))
        found.extend(((each - observance.before).replace(tzinfo=UTC), observance) for each in local)
    return sorted((each for each in found if each[0] < until.replace(tzinfo=UTC)), key=lambda each: each[0])


def state(zone, instant: dt.datetime):
    local = instant.astimezone(zone)
    return local.utcoffset(), bool(local.dst()), local.tzname()


def count_changes(zone, start: dt.datetime, end: dt.datetime, step=dt.timedelta(hours=6)) -> int:
    count, here, now = 0, start, state(zone, start)
    while here < end:
        here += step
        if state(zone, here) != now:
            count, now = count + 1, state(zone, here)
    return count


class ZonesTests(SimpleTestCase):
    def assert_matches_zoneinfo(self, tzid: str, first_year: int, last_day: dt.date | None, until: dt.datetime):
        zone = zoneinfo.ZoneInfo(tzid)
        written = onsets(tzid, first_year, last_day, until)
        for instant, observance in written:
            self.assertEqual(state(zone, instant - dt.timedelta(seconds=1))[0], observance.before, (tzid, instant))
            self.assertEqual(state(zone, instant), observance.after, (tzid, instant))
        start = dt.datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
        self.assertEqual(len(written), count_changes(zone, start, until.replace(tzinfo=UTC)), tzid)
        return written

    def test_half_hour_changes(self):
        # Lord Howe Island moves its clocks by 30 minutes.
        written = self.assert_matches_zoneinfo("Australia/Lord_Howe", 2027, None, dt.datetime(2060, 1, 1))
        self.assertEqual({abs(obs.after[0] - obs.before) for _at, obs in written}, {dt.timedelta(minutes=30)})

    def test_southern_hemisphere_and_changes_at_midnight(self):
        self.assert_matches_zoneinfo("Australia/Sydney", 2027, None, dt.datetime(2060, 1, 1))
        self.assert_matches_zoneinfo("America/Santiago", 2027, None, dt.datetime(2060, 1, 1))

    def test_a_change_on_the_eve_of_a_sunday(self):
        # Greenland changes on the Saturday before the last Sunday of March,
        # which is not always the last Saturday: a weekday window says it.
        self.assert_matches_zoneinfo("America/Nuuk", 2027, None, dt.datetime(2060, 1, 1))
        rules = [dict(obs.rule) for obs in vtimezone.observances("America/Nuuk", 2027, None) if obs.rule]
        self.assertIn(
            {"FREQ": "YEARLY", "BYMONTH": 3, "BYDAY": "SA", "BYMONTHDAY": [24, 25, 26, 27, 28, 29, 30]}, rules
        )

    def test_irregular_changes_are_listed_one_by_one(self):
        # Morocco's clocks move around Ramadan: no yearly rule, so each onset
        # is an RDATE, up to the last change in the zone data.
        written = self.assert_matches_zoneinfo("Africa/Casablanca", 2027, None, dt.datetime(2100, 1, 1))
        self.assertFalse(any(obs.rule for obs in vtimezone.observances("Africa/Casablanca", 2027, None)))
        self.assertGreater(len(written), 100)

    def test_a_zone_without_changes(self):
        (only,) = vtimezone.observances("Asia/Tokyo", 2027, None)
        self.assertEqual(
            (only.start, only.before, only.after),
            (dt.datetime(2027, 1, 1), dt.timedelta(hours=9), (dt.timedelta(hours=9), False, "JST")),
        )

    def test_a_finite_range_lists_its_changes_and_no_rule(self):
        written = self.assert_matches_zoneinfo("Europe/Berlin", 2027, dt.date(2029, 5, 1), dt.datetime(2029, 5, 3))
        self.assertEqual(len(written), 5)  # March and October 2027 and 2028, March 2029
        self.assertFalse(any(obs.rule for obs in vtimezone.observances("Europe/Berlin", 2027, dt.date(2029, 5, 1))))

    def test_the_component_is_what_rfc_5545_asks(self):
        text = vtimezone.component("Europe/Berlin", 2027, None).to_ical().decode()
        self.assertIn(
            "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\n"
            "TZNAME:CEST\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nEND:DAYLIGHT",
            text,
        )
        self.assertIn("DTSTART:20271031T030000\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10", text)
