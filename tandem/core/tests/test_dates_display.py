"""How Tandem writes dates for people: one table (core.dates), the same in
templates (the builtin filters) and in Python (e-mails, messages, charts)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.template import engines
from django.test import SimpleTestCase
from django.utils import timezone, translation

from tandem.core import dates

TODAY = dt.date(2030, 6, 10)
THIS_YEAR = dt.date(2030, 3, 4)  # a Monday
OTHER_YEAR = dt.date(2029, 12, 31)  # a Monday
# 18:30 UTC on 4 March 2030 is 19:30 in Berlin and 03:30 the next day in Tokyo.
EVENING = dt.datetime(2030, 3, 4, 18, 30, tzinfo=dt.UTC)


def render(text: str, **context) -> str:
    return engines["django"].from_string(text).render(context)


class ShownTests(SimpleTestCase):
    def test_each_kind_this_year_and_another(self):
        cases = [
            (dates.show_day, THIS_YEAR, "Monday 4 March"),
            (dates.show_day, OTHER_YEAR, "Monday 31 December 2029"),
            (dates.show_short_day, THIS_YEAR, "Mon 4 Mar"),
            (dates.show_short_day, OTHER_YEAR, "Mon 31 Dec 2029"),
        ]
        for show, value, expected in cases:
            with self.subTest(show=show.__name__, value=value):
                self.assertEqual(show(value, today=TODAY), expected)
        with timezone.override(ZoneInfo("Europe/Berlin")):
            self.assertEqual(dates.show_moment(EVENING, today=TODAY), "Mon 4 Mar, 19:30")
            self.assertEqual(dates.show_moment(EVENING, today=dt.date(2031, 1, 1)), "Mon 4 Mar 2030, 19:30")
            self.assertEqual(dates.show_time(EVENING), "19:30")
        self.assertEqual(dates.show_time(dt.time(7, 5)), "07:05")

    def test_a_moment_is_shown_in_the_current_zone(self):
        with timezone.override(ZoneInfo("Asia/Tokyo")):
            self.assertEqual(dates.show_moment(EVENING, today=TODAY), "Tue 5 Mar, 03:30")
            self.assertEqual(dates.show_day(EVENING, today=TODAY), "Tuesday 5 March")

    def test_nothing_is_an_empty_string(self):
        for show in (dates.show_day, dates.show_short_day, dates.show_moment, dates.show_time):
            with self.subTest(show=show.__name__):
                self.assertEqual(show(None), "")
        self.assertEqual(render("[{{ x|day }}{{ x|short_day }}{{ x|moment }}{{ x|time_of_day }}]", x=None), "[]")

    def test_no_format_ends_in_a_full_stop(self):
        # "Turned on {{ since }}." must never read "… 2:05 p.m.."
        with timezone.override(ZoneInfo("Europe/Berlin")):
            for show in (dates.show_day, dates.show_short_day, dates.show_moment, dates.show_time):
                with self.subTest(show=show.__name__):
                    self.assertFalse(show(EVENING).endswith("."))

    def test_an_unknown_language_falls_back_to_english(self):
        self.assertIs(dates.formats_for("xx"), dates.FORMATS["en"])
        self.assertIs(dates.formats_for("en-gb"), dates.FORMATS["en"])
        with translation.override("xx"):
            self.assertEqual(dates.show_short_day(OTHER_YEAR), "Mon 31 Dec 2029")

    def test_a_language_of_its_own_is_used(self):
        table = {"en": dates.FORMATS["en"], "xx": {**dates.FORMATS["en"], "short_day": ("j.n.", "j.n.Y")}}
        with translation.override("xx"):
            original, dates.FORMATS = dates.FORMATS, table
            try:
                self.assertEqual(dates.show_short_day(OTHER_YEAR), "31.12.2029")
            finally:
                dates.FORMATS = original


class FilterTests(SimpleTestCase):
    """The builtin filters: no {% load %}, the same words as the helpers."""

    def test_filters_say_what_the_helpers_say(self):
        this_year = timezone.localdate().replace(month=3, day=4)
        self.assertEqual(render("{{ d|day }}", d=this_year), dates.show_day(this_year))
        self.assertNotIn(str(this_year.year), render("{{ d|short_day }}", d=this_year))  # this year: no year
        with timezone.override(ZoneInfo("Europe/Berlin")):
            page = render(
                "{{ d|day }} | {{ d|short_day }} | {{ t|moment }} | {{ t|time_of_day }}", d=OTHER_YEAR, t=EVENING
            )
            expected = " | ".join(
                [dates.show_day(OTHER_YEAR), dates.show_short_day(OTHER_YEAR), dates.show_moment(EVENING), "19:30"]
            )
        self.assertEqual(page, expected)
        self.assertEqual(dates.show_day(OTHER_YEAR), "Monday 31 December 2029")

    def test_filters_follow_the_timezone_tag(self):
        past = dt.datetime(2020, 3, 2, 18, 30, tzinfo=dt.UTC)  # a past year: shown with its year, whenever this runs
        page = render('{% load tz %}{% timezone "Asia/Tokyo" %}{{ t|moment }}{% endtimezone %}', t=past)
        self.assertEqual(page, "Tue 3 Mar 2020, 03:30")
