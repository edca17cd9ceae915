"""Expanding a block into occurrences.

The rule is expanded on *wall-clock* times in the zone the block was planned
in, and only then is each occurrence placed on the time line. That is what
keeps a weekly 19:30 at 19:30 across a daylight-saving change (the UTC
instant moves by an hour instead), as RFC 5545 requires for a DTSTART with
a TZID. A wall-clock time that does not exist on a spring-forward day is
read with the offset before the gap, as RFC 5545 says (``fold=0``), and
normalised through UTC.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dateutil import rrule

if TYPE_CHECKING:
    from tandem.blocks.models import Block

UTC = dt.UTC
_DAYS = {"MO": rrule.MO, "TU": rrule.TU, "WE": rrule.WE, "TH": rrule.TH, "FR": rrule.FR, "SA": rrule.SA, "SU": rrule.SU}
# An open-ended weekly block is expanded at most this far; nothing here
# looks further ahead than a year.
HORIZON = dt.timedelta(days=400)


@dataclass(frozen=True)
class Occurrence:
    block: Block
    start: dt.datetime  # aware, in the block's zone
    end: dt.datetime  # start + the block's length on the time line, never on the clock face
    local_date: dt.date  # the date where the block was planned: names the occurrence
    skipped: bool = False

    def start_in(self, zone) -> dt.datetime:
        return self.start.astimezone(zone)

    def end_in(self, zone) -> dt.datetime:
        return self.end.astimezone(zone)


def clock_change(start: dt.datetime, end: dt.datetime, zone) -> dt.timedelta:
    """How far the clocks in ``zone`` move between two instants: zero on most
    days, minus an hour across a fall-back night (02:30-02:00 is then half an
    hour), plus an hour across a spring-forward one."""
    return end.astimezone(zone).utcoffset() - start.astimezone(zone).utcoffset()


def place(local: dt.datetime, zone) -> dt.datetime:
    """A wall-clock time in ``zone`` as an aware datetime on the time line."""
    return local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def rule(block: Block) -> rrule.rrule | None:
    """The block's rule over naive wall-clock datetimes, or None when it happens once."""
    if not block.repeats:
        return None
    start = dt.datetime.combine(block.start_date, block.start_time)
    until = dt.datetime.combine(block.until, dt.time(23, 59, 59)) if block.until else None
    return rrule.rrule(
        rrule.WEEKLY,
        dtstart=start,
        interval=block.interval,
        byweekday=[_DAYS[code] for code in block.weekday_codes],
        until=until,
        count=block.count,
        wkst=rrule.MO,
    )


def _local_starts(block: Block, after: dt.datetime | None = None, before: dt.datetime | None = None):
    """Naive wall-clock starts, optionally between two naive bounds (inclusive)."""
    first = dt.datetime.combine(block.start_date, block.start_time)
    recur = rule(block)
    if recur is None:
        if (after is None or first >= after) and (before is None or first <= before):
            yield first
        return
    for start in recur:
        if before is not None and start > before:
            return
        if after is None or start >= after:
            yield start


def occurrences(
    block: Block, start: dt.datetime, end: dt.datetime, *, include_skipped: bool = False
) -> list[Occurrence]:
    """The block's occurrences overlapping [start, end) (aware bounds)."""
    zone = block.zone
    # Widen the window by a day on each side in wall-clock terms: zone
    # offsets are under a day, and the block's own length is added below.
    after = start.astimezone(zone).replace(tzinfo=None) - block.duration - dt.timedelta(days=1)
    before = end.astimezone(zone).replace(tzinfo=None) + dt.timedelta(days=1)
    skipped = block.skipped_dates()
    found = []
    for local in _local_starts(block, after, before):
        begins = place(local, zone)
        ends = (begins.astimezone(UTC) + block.duration).astimezone(zone)
        if begins < end and ends > start:
            is_skipped = local.date() in skipped
            if include_skipped or not is_skipped:
                found.append(Occurrence(block, begins, ends, local.date(), is_skipped))
    return found


def next_occurrence(block: Block, after: dt.datetime) -> Occurrence | None:
    """The first occurrence (not skipped) that starts at or after ``after``."""
    for found in occurrences(block, after, after + HORIZON):
        if found.start >= after:
            return found
    return None


def is_occurrence(block: Block, day: dt.date) -> bool:
    """Whether the block has an occurrence on ``day`` (its planned zone)."""
    start = dt.datetime.combine(day, dt.time.min)
    return any(local.date() == day for local in _local_starts(block, start, start + dt.timedelta(days=1)))


def bounds(block: Block) -> tuple[dt.datetime, dt.datetime | None]:
    """The first start and the last end in UTC (None: it goes on)."""
    zone = block.zone
    first_local = dt.datetime.combine(block.start_date, block.start_time)
    first = place(first_local, zone).astimezone(UTC)
    recur = rule(block)
    if recur is None:
        return first, first + block.duration
    if block.until is None and block.count is None:
        return first, None
    last_local = None
    for last_local in recur:  # noqa: B007 - bounded by UNTIL or COUNT
        pass
    if last_local is None:
        return first, first + block.duration
    return first, place(last_local, zone).astimezone(UTC) + block.duration


def merge(blocks, start: dt.datetime, end: dt.datetime, *, include_skipped: bool = False) -> list[Occurrence]:
    """All occurrences of ``blocks`` in [start, end), in time order."""
    found = [each for block in blocks for each in occurrences(block, start, end, include_skipped=include_skipped)]
    return sorted(found, key=lambda each: each.start.astimezone(UTC))


def rrule_parts(block: Block) -> dict | None:
    """The rule as RFC 5545 RRULE parts (for the feed).

    UNTIL is given in UTC, as RFC 5545 requires when DTSTART has a TZID:
    the end of the last day, in the planned zone.
    """
    if not block.repeats:
        return None
    parts: dict = {"FREQ": "WEEKLY", "BYDAY": block.weekday_codes, "WKST": "MO"}
    if block.interval != 1:
        parts["INTERVAL"] = block.interval
    if block.until:
        parts["UNTIL"] = place(dt.datetime.combine(block.until, dt.time(23, 59, 59)), block.zone).astimezone(UTC)
    if block.count:
        parts["COUNT"] = block.count
    return parts
