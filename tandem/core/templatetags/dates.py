"""Dates and times as people read them, the same on every page.

A builtin library (settings.TEMPLATES), so every template has ``|day``,
``|short_day``, ``|moment`` and ``|time_of_day`` without a ``{% load %}``.
The formats are decided in ``tandem.core.dates`` alone; like Django's
``|date``, aware datetimes are shown in the zone the page made current.
"""

from __future__ import annotations

from django import template

from tandem.core import dates

register = template.Library()


@register.filter(expects_localtime=True)
def day(value) -> str:
    """ "Monday 3 March" (with the year when it is not this year)."""
    return dates.show_day(value)


@register.filter(expects_localtime=True)
def short_day(value) -> str:
    """ "Mon 3 Mar"."""
    return dates.show_short_day(value)


@register.filter(expects_localtime=True)
def moment(value) -> str:
    """ "Mon 3 Mar, 19:30"."""
    return dates.show_moment(value)


@register.filter(expects_localtime=True)
def time_of_day(value) -> str:
    """ "19:30"."""
    return dates.show_time(value)
