"""Finding time: slots when both partners are usually free.

Each partner's free times are weekly windows in their *own* zone, so for a
long-distance couple "Tuesday evening" means a different instant for each.
Both are placed on the time line (UTC) day by day, intersected, and planned
blocks are taken out. Only a few slot *starts* of the asked length come
back -- never the windows themselves -- so neither partner learns the
other's week.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from tandem.blocks import recurrence
from tandem.blocks.models import Block, FreeTime

UTC = dt.UTC
LOOK_AHEAD_DAYS = 14
NOTICE = dt.timedelta(hours=1)  # a slot starts at least this far from now
STEP = dt.timedelta(minutes=15)

Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Slot:
    start: dt.datetime  # UTC
    end: dt.datetime

    def start_in(self, zone) -> dt.datetime:
        return self.start.astimezone(zone)


def free_intervals(person, windows, start: dt.datetime, end: dt.datetime) -> list[Interval]:
    """The person's weekly windows placed on the time line within [start, end)."""
    zone = person.zone
    first = start.astimezone(zone).date() - dt.timedelta(days=1)
    last = end.astimezone(zone).date() + dt.timedelta(days=1)
    found = []
    day = first
    while day <= last:
        for window in windows:
            if window.weekday == day.weekday():
                begins = recurrence.place(dt.datetime.combine(day, window.start_time), zone).astimezone(UTC)
                ends = recurrence.place(dt.datetime.combine(day, window.end_time), zone).astimezone(UTC)
                begins, ends = max(begins, start), min(ends, end)
                if begins < ends:
                    found.append((begins, ends))
        day += dt.timedelta(days=1)
    return _union(found)


def _union(intervals: list[Interval]) -> list[Interval]:
    merged: list[Interval] = []
    for begins, ends in sorted(intervals):
        if merged and begins <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], ends))
        else:
            merged.append((begins, ends))
    return merged


def intersect(first: list[Interval], second: list[Interval]) -> list[Interval]:
    found, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        begins = max(first[i][0], second[j][0])
        ends = min(first[i][1], second[j][1])
        if begins < ends:
            found.append((begins, ends))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return found


def subtract(free: list[Interval], busy: list[Interval]) -> list[Interval]:
    found = []
    for begins, ends in free:
        pieces = [(begins, ends)]
        for busy_start, busy_end in busy:
            pieces = [
                part
                for piece_start, piece_end in pieces
                for part in ((piece_start, min(piece_end, busy_start)), (max(piece_start, busy_end), piece_end))
                if part[0] < part[1]
            ]
        found.extend(pieces)
    return found


def _round_up(moment: dt.datetime) -> dt.datetime:
    epoch = dt.datetime(2000, 1, 1, tzinfo=UTC)
    steps = -((moment - epoch) // -STEP)  # ceiling division
    return epoch + steps * STEP


def suggest(couple, viewer, partner, minutes: int, now: dt.datetime | None = None, limit: int = 5) -> list[Slot]:
    """Up to ``limit`` slots of ``minutes`` when both are free, soonest first.

    At most one slot per shared window, so that the suggestions spread over
    different days instead of offering 19:00, 19:15, 19:30 ...
    """
    now = now or timezone.now()
    start = _round_up(now + NOTICE)
    end = start + dt.timedelta(days=LOOK_AHEAD_DAYS)
    windows = list(FreeTime.objects.filter(user__in=[viewer, partner]))
    mine = free_intervals(viewer, [w for w in windows if w.user_id == viewer.pk], start, end)
    theirs = free_intervals(partner, [w for w in windows if w.user_id == partner.pk], start, end)
    planned = Block.objects.filter(couple=couple).may_occur_between(start, end).for_calendar()
    busy = [(o.start.astimezone(UTC), o.end.astimezone(UTC)) for o in recurrence.merge(planned, start, end)]
    length = dt.timedelta(minutes=minutes)
    slots = []
    for begins, ends in subtract(intersect(mine, theirs), busy):
        slot_start = _middle_start(begins, ends, length)
        if slot_start is not None:
            slots.append(Slot(slot_start, slot_start + length))
        if len(slots) == limit:
            break
    return slots


def _middle_start(begins: dt.datetime, ends: dt.datetime, length: dt.timedelta) -> dt.datetime | None:
    """A start on the hour (else the half hour) near the middle of the window.

    Not its edge: a slot that always began where a shared window began would
    tell a partner where the other's free time starts.
    """
    for step in (dt.timedelta(hours=1), dt.timedelta(minutes=30)):
        first = _round_up_to(begins, step)
        last = ends - length
        if first > last:
            continue
        starts = (last - first) // step + 1
        return first + (starts // 2) * step
    return None


def _round_up_to(moment: dt.datetime, step: dt.timedelta) -> dt.datetime:
    epoch = dt.datetime(2000, 1, 1, tzinfo=UTC)
    return epoch + -((moment - epoch) // -step) * step
