"""The couple's blocks as an iCalendar (RFC 5545) document.

Used for a person's subscription feed and for the one-off ``.ics`` of a
block. The ``icalendar`` library writes the text, so escaping and line
folding are its job, not ours; the VTIMEZONE components come from
``vtimezone`` (the library's generator puts spring-forward onsets an hour
late and stops in 2038).

An event's length is written as DURATION in hours and minutes, an exact
length in RFC 5545, and never as a wall-clock DTEND: an end inside the
repeated hour of a fall-back night (02:00 after 02:30) can't be told apart
from the first 02:00, and calendar apps read it as an end before the start.

What a feed says is deliberately little: a neutral title ("Time together")
unless the person opted into naming the kind, and no description, place,
link or attendee. A calendar app syncs to places (a work phone, a shared
family calendar) that Tandem cannot see, so nothing intimate and nobody's
e-mail address or name leaves through it.

The document is a pure function of the blocks, their skips and the viewer's
wording choice -- no "now" -- so that the same data gives the same bytes and
the ETag lets calendar apps poll cheaply.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

import icalendar
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _

from tandem.blocks import recurrence, vtimezone
from tandem.blocks.models import Block, CalendarSettings

UTC = dt.UTC
PRODID = "-//Tandem//Tandem//EN"
CONTENT_TYPE = "text/calendar; charset=utf-8"
# How often a subscribed calendar app is asked to come back (a hint only).
REFRESH = dt.timedelta(hours=1)


def calendar_for(blocks: Iterable[Block], viewer) -> bytes:
    """An iCalendar document with one VEVENT per block, as the viewer words it.

    ``blocks`` should come from ``Block.objects...for_calendar()``: nothing
    here queries the database except the viewer's settings (once, unless
    the caller already put them on the viewer).
    """
    detailed = CalendarSettings.of(viewer).detailed_wording
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Tandem")
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", icalendar.vDuration(REFRESH))
    # Titles in the viewer's own language, whoever's browser (or calendar
    # app) asked.
    with translation.override(getattr(viewer, "language", None) or None):
        # A fixed order, so that the same blocks always give the same bytes.
        events = [
            (block, _event(block, detailed)) for block in sorted(blocks, key=lambda b: (b.first_start, str(b.pk)))
        ]
    shown = [(block, event) for block, event in events if event is not None]
    # VTIMEZONEs first (RFC 5545 lets them come anywhere; some readers want
    # them before use), in a fixed order for the same bytes.
    for tzid, (first_year, last_day) in sorted(_zone_ranges(shown).items()):
        cal.add_component(vtimezone.component(tzid, first_year, last_day))
    if not shown:
        # RFC 5545 wants at least one component in a calendar; an empty
        # feed carries the smallest one, which says nothing about anyone.
        cal.add_component(vtimezone.component("UTC", 1970, dt.date(1970, 1, 1)))
    for _block, event in shown:
        cal.add_component(event)
    return cal.to_ical()


def _zone_ranges(shown) -> dict[str, tuple[int, dt.date | None]]:
    """For each zone an event names by TZID: from which year, to which local date (None: for ever).

    UTC needs no VTIMEZONE: its times are written with a Z.
    """
    ranges: dict[str, tuple[int, dt.date | None]] = {}
    for block, event in shown:
        tzid = event["DTSTART"].params.get("TZID")
        if tzid is None:
            continue
        _first, last_end = recurrence.bounds(block)
        last = last_end.astimezone(block.zone).date() if last_end is not None else None
        year = event.decoded("DTSTART").year
        if tzid in ranges:
            known_year, known_last = ranges[tzid]
            year = min(year, known_year)
            last = None if last is None or known_last is None else max(last, known_last)
        ranges[tzid] = (year, last)
    return ranges


def summary(block: Block, detailed: bool) -> str:
    """The event title: neutral unless the person chose otherwise."""
    if not detailed:
        return _("Time together")
    if block.kind == Block.Kind.HOMEWORK and block.assignment_id is not None:
        return _("Homework: %(title)s") % {"title": block.assignment.exercise.title}
    return str(block.get_kind_display())


def _event(block: Block, detailed: bool) -> icalendar.Event | None:
    if not block.repeats and block.start_date in block.skipped_dates():
        return None  # its one time was skipped: nothing left to show
    zone = block.zone
    first_local = _first_local_start(block)
    if first_local is None:
        return None  # a rule with no occurrence at all: nothing to show
    # DTSTART is the wall-clock time with its TZID, not normalised: on a
    # spring-forward day a time in the gap is read by the calendar app as
    # RFC 5545 says (like ``recurrence.place``), and the rule keeps the
    # planned wall-clock time on every other day.
    start = first_local.replace(tzinfo=zone)
    event = icalendar.Event()
    event.add("uid", f"{block.pk}@tandem")
    # The time this version of the block was written, not the time of the
    # request: a feed that changes on every poll could never be a 304.
    event.add("dtstamp", block.updated_at.astimezone(UTC))
    event.add("dtstart", start)
    event.add("duration", ExactDuration(block.duration))
    parts = recurrence.rrule_parts(block)  # never both UNTIL and COUNT: a database constraint
    if parts is not None:
        event.add("rrule", parts)
        for day in sorted(block.skipped_dates()):
            event.add("exdate", dt.datetime.combine(day, block.start_time).replace(tzinfo=zone))
    event.add("sequence", block.sequence)
    event.add("last-modified", block.updated_at.astimezone(UTC))
    event.add("summary", summary(block, detailed))
    return event


class ExactDuration(icalendar.vDuration):
    """A DURATION in hours and minutes only ("PT26H", never "P1DT2H").

    RFC 5545 (3.3.6) counts days and weeks as nominal -- a day across a
    clock change is 23 or 25 hours -- and hours and minutes as exact, which
    is what a block's length is.
    """

    def to_ical(self) -> bytes:
        minutes = int(self.td.total_seconds()) // 60
        hours, minutes = divmod(minutes, 60)
        return ("PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes or not hours else "")).encode()


def _first_local_start(block: Block) -> dt.datetime | None:
    """The first wall-clock start, as ``recurrence`` expands it.

    RFC 5545 always counts DTSTART as an occurrence, while the rule only
    yields the chosen weekdays; if a block's first date were not one of them
    the feed would show an extra occurrence. Starting the event at the
    rule's first occurrence keeps both the same.
    """
    planned = dt.datetime.combine(block.start_date, block.start_time)
    rule = recurrence.rule(block)
    if rule is None:
        return planned
    return next(iter(rule), None)


# Conditional responses -----------------------------------------------------


def last_modified(blocks: Iterable[Block], *also: dt.datetime | None) -> dt.datetime | None:
    """The latest change among the blocks and ``also``.

    Skipping an occurrence or bringing it back touches the block's
    ``updated_at`` (``services.skip``), so the blocks' own stamps cover that.
    """
    stamps = [stamp for stamp in also if stamp is not None]
    stamps.extend(block.updated_at for block in blocks)
    return max(stamps, default=None)


def ics_response(
    request: HttpRequest, body: bytes, *, modified: dt.datetime | None, filename: str, attachment: bool
) -> HttpResponse:
    """The document with validators, or a 304 when the client has it already.

    The ETag (a hash of the bytes) is the reliable validator; Last-Modified
    is for clients that only send If-Modified-Since.
    """
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
    stamp = int(modified.timestamp()) if modified is not None else None
    if stamp is not None:
        response["Last-Modified"] = http_date(stamp)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    # Copies the validators and cache headers onto the 304, if it is one.
    return get_conditional_response(request, etag=response["ETag"], last_modified=stamp, response=response) or response
