"""How a block's time reads on a page: its start and end in the viewer's zone.

On most days that is "19:30-20:30". When the clocks change inside the time,
the bare clock times mislead -- 02:30-02:00 on a fall-back night looks like
an end before the start, 01:30-04:30 across a spring-forward one like three
hours -- so each time then carries its zone's abbreviation and a short note
says which way the clocks go. The end is always start + length on the time
line (``recurrence.Occurrence``), shown in the viewer's zone.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tandem.blocks import recurrence
from tandem.core import dates

register = template.Library()


@register.simple_tag
def time_span(start: dt.datetime, end: dt.datetime) -> str:
    """ "19:30-20:30", or "02:30 CEST-02:00 CET (the clocks go back …)", in the
    zone the template made current (``{% timezone user.time_zone %}``)."""
    zone = timezone.get_current_timezone()
    begins, ends = start.astimezone(zone), end.astimezone(zone)
    change = recurrence.clock_change(start, end, zone)
    if not change:
        return format_html("{}\u2013{}", dates.show_time(begins), dates.show_time(ends))
    if change < dt.timedelta(0):
        note = _("the clocks go back during this time")
    else:
        note = _("the clocks go forward during this time")
    return format_html(
        '{} {}\u2013{} {} <span class="quiet">({})</span>',
        dates.show_time(begins),
        begins.tzname(),
        dates.show_time(ends),
        ends.tzname(),
        note,
    )
