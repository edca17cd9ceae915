"""Dates people read and dates people type: the one place for both.

**Shown.** How Tandem writes a day, a short day, a moment (day and time)
and a time of day is decided in ``FORMATS`` alone, per language (English
is the fallback), and said by ``show_day`` / ``show_short_day`` /
``show_moment`` / ``show_time`` here and the builtin filters ``|day``,
``|short_day``, ``|moment`` and ``|time_of_day`` (``core.templatetags.dates``).
The year is left out for this year, in the reader's zone: on a phone
"Mon 3 Mar" says it, and a date in another year still shows its year.
Machine values (``<input type=date>``, ``datetime=``) keep ``Y-m-d``.

**Typed.** One place that tells a date that is not on the
calendar (2026-02-30) from one written the wrong way (31/12/2030).

Browsers' date pickers send ``YYYY-MM-DD``; where there is no picker, or
someone types, a date can have the right shape and still not exist. Saying
"enter the date as YYYY-MM-DD" to someone who did just that is no help, so
every date field uses ``DateField`` (and hand-parsed dates ``parse_day``),
which name what is wrong instead.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import dateformat, timezone, translation
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

# Django's date-format letters; month and weekday names come translated.
# Per kind: (this year, another year). English writes the day before the
# month and a 24-hour clock: "Monday 3 March", "Mon 3 Mar 2025, 19:30"; no
# format ends in a full stop (no "p.m."), so a sentence never gets two.
FORMATS: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "day": ("l j F", "l j F Y"),
        "short_day": ("D j M", "D j M Y"),
        "moment": ("D j M, H:i", "D j M Y, H:i"),
        "time": ("H:i", "H:i"),
    },
}
FALLBACK = "en"


def formats_for(language: str | None = None) -> dict[str, tuple[str, str]]:
    """The formats for ``language`` (the active one unless told): its own,
    else its base language's ("en-gb" -> "en"), else English."""
    code = (language or translation.get_language() or FALLBACK).lower()
    return FORMATS.get(code) or FORMATS.get(code.split("-")[0]) or FORMATS[FALLBACK]


def _show(value, kind: str, today: dt.date | None, language: str | None) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # in the zone the page or message made current
    this_year, other_year = formats_for(language)[kind]
    if isinstance(value, dt.time):
        return dateformat.time_format(value, this_year)
    year = (today or timezone.localdate()).year
    return dateformat.format(value, this_year if value.year == year else other_year)


def show_day(value, *, today: dt.date | None = None, language: str | None = None) -> str:
    """A day on its own or in a sentence: "Monday 3 March" ("" for None)."""
    return _show(value, "day", today, language)


def show_short_day(value, *, today: dt.date | None = None, language: str | None = None) -> str:
    """A day in a list, a table or a quiet line: "Mon 3 Mar"."""
    return _show(value, "short_day", today, language)


def show_moment(value, *, today: dt.date | None = None, language: str | None = None) -> str:
    """A day and a time: "Mon 3 Mar, 19:30"."""
    return _show(value, "moment", today, language)


def show_time(value, *, language: str | None = None) -> str:
    """A time of day, of a ``time`` or a ``datetime``: "19:30"."""
    return _show(value, "time", None, language)


_ISO_SHAPE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def not_a_real_date(text: str) -> str | None:
    """Why ``text``, shaped like YYYY-MM-DD, is not a day on the calendar;
    None when it is one, or when it is not shaped like that at all."""
    text = text.strip()
    shape = _ISO_SHAPE.fullmatch(text)
    if shape is None:
        return None
    year, month, day = (int(part) for part in shape.groups())
    if year < dt.MINYEAR:
        return _("%(value)s isn't a real date: years start at 0001.") % {"value": text}
    if not 1 <= month <= 12:
        return _("%(value)s isn't a real date: months go from 01 to 12.") % {"value": text}
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return _("%(value)s isn't a real date: %(month)s %(year)s has %(days)d days.") % {
            "value": text,
            "month": MONTHS[month],
            "year": year,
            "days": days,
        }
    return None


def parse_day(text: str, wrong_shape: str) -> dt.date:
    """A YYYY-MM-DD date, or ``ValidationError``: ``wrong_shape`` when it is
    written some other way, the reason when it is no real day."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(not_a_real_date(text) or wrong_shape, code="invalid") from None


class DateField(forms.DateField):
    """Django's date field, saying "not a real date" for 2026-02-30 instead
    of its ``invalid`` message (which stays for dates written wrongly)."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            reason = not_a_real_date(value) if isinstance(value, str) else None
            if reason is None:
                raise
            raise ValidationError(reason, code="not_a_real_date") from error
