"""Dates typed by people: one place that tells a date that is not on the
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
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

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
