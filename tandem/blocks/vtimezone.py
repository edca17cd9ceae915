"""VTIMEZONE components written from the zone data Python itself uses (zoneinfo).

Why not icalendar's own generator (``Timezone.from_tzid``, which
``Calendar.add_missing_timezones`` calls): in icalendar 7.3.2 it steps
through *wall-clock* time and writes, as each observance's DTSTART, the first
wall-clock time that has the new offset. RFC 5545 (section 3.6.5) reads DTSTART
and RDATE of an observance as local time in its TZOFFSETFROM, the offset
before the change. After a spring-forward change the first new wall-clock time
lies behind the gap, so the onset comes out one gap late: Berlin 2026 gets
``DTSTART:20260329T030000`` with ``TZOFFSETFROM:+0100``, that is 02:00Z, where
the clocks change at 01:00Z (New York likewise: 08:00Z for 07:00Z). Fall-back
onsets happen to come out right. It also stops in 2038 by default, while a
block may repeat for ever.

Here each change is found on the UTC time line, and its onset is written as
that instant plus the offset before it. When every kind of change follows a
yearly rule up to a far horizon (as zones with daylight saving do today:
beyond its table zoneinfo runs on such a rule for ever), the rule is written
as an RRULE without end, so the component also holds for a block that never
ends; the changes before the rule settled are listed as RDATEs.

Calendar apps that know the TZID mostly use their own zone data; these
components are for the ones that don't, and for the record.
"""

from __future__ import annotations

import datetime as dt
import functools
import zoneinfo
from dataclasses import dataclass

import icalendar
from dateutil import rrule

UTC = dt.UTC
# A zone's state: offset, daylight saving or not, abbreviation. A change of
# any of the three is a new observance.
type State = tuple[dt.timedelta, bool, str]

# The time line is sampled this often, then each change is narrowed to the
# second. Two changes closer together than this that cancel out would be
# missed; no zone has had such a pair in the years a calendar plans for.
STEP = dt.timedelta(days=2)
# For a block that repeats for ever, changes are followed up to this year: by
# then every zone runs on its yearly rule (zoneinfo's tables end in 2037, or
# for a few zones with irregular changes in the 2080s).
HORIZON_YEAR = 2100
_DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


@dataclass(frozen=True)
class Change:
    at: dt.datetime  # the instant, in UTC
    before: dt.timedelta  # the offset until then
    after: State

    @property
    def onset(self) -> dt.datetime:
        """The wall-clock time of the change in the offset before it, as RFC 5545 writes it."""
        return (self.at + self.before).replace(tzinfo=None)

    @property
    def kind(self) -> tuple[dt.timedelta, State]:
        return self.before, self.after


@dataclass(frozen=True)
class Observance:
    """One STANDARD or DAYLIGHT sub-component."""

    start: dt.datetime  # naive: local time in ``before``
    before: dt.timedelta
    after: State
    rdates: tuple[dt.datetime, ...] = ()
    rule: tuple[tuple[str, object], ...] | None = None  # RRULE parts; no end


def component(tzid: str, first_year: int, last_day: dt.date | None) -> icalendar.Timezone:
    """A VTIMEZONE for ``tzid`` valid from 1 January of ``first_year``.

    ``last_day`` is the last local date anything in the calendar happens
    in this zone, or None when something there repeats for ever.
    """
    tz = icalendar.Timezone()
    tz.add("tzid", tzid)
    for observance in observances(tzid, first_year, last_day):
        offset, dst, name = observance.after
        sub = icalendar.TimezoneDaylight() if dst else icalendar.TimezoneStandard()
        sub.add("dtstart", observance.start)
        sub.add("tzoffsetfrom", observance.before)
        sub.add("tzoffsetto", offset)
        sub.add("tzname", name)
        if observance.rdates:
            sub.add("rdate", list(observance.rdates))
        if observance.rule:
            sub.add("rrule", dict(observance.rule))
        tz.add_component(sub)
    return tz


@functools.lru_cache(maxsize=256)
def observances(tzid: str, first_year: int, last_day: dt.date | None) -> tuple[Observance, ...]:
    """The observances, in order of their first onset (cached: zone data is fixed while we run)."""
    zone = zoneinfo.ZoneInfo(tzid)
    begin = dt.datetime(first_year, 1, 1, tzinfo=zone).astimezone(UTC)
    state = _state(zone, begin)
    # The state in force at the start, as an observance that changes nothing.
    found = [Observance(dt.datetime(first_year, 1, 1), state[0], state)]
    if last_day is None:
        horizon = max(HORIZON_YEAR, first_year + 30)
        changes = _changes(zone, begin, dt.datetime(horizon, 1, 1, tzinfo=UTC))
        listed, ruled = _split(changes, horizon)
    else:
        end = dt.datetime.combine(last_day + dt.timedelta(days=2), dt.time.min, UTC)
        listed, ruled = _changes(zone, begin, end), {}
    groups: dict[tuple, list[Change]] = {}
    for change in listed:
        groups.setdefault(change.kind, []).append(change)
    for (before, after), members in groups.items():
        onsets = [member.onset for member in members]
        found.append(Observance(onsets[0], before, after, rdates=tuple(onsets[1:])))
    for (before, after), (first, parts) in ruled.items():
        found.append(Observance(first.onset, before, after, rule=parts))
    return tuple(sorted(found, key=lambda each: (each.start, each.rule is not None)))


def _state(zone: zoneinfo.ZoneInfo, instant: dt.datetime) -> State:
    local = instant.astimezone(zone)
    return local.utcoffset(), bool(local.dst()), local.tzname() or ""


def _changes(zone: zoneinfo.ZoneInfo, start: dt.datetime, end: dt.datetime) -> list[Change]:
    """Every change of the zone's state in (start, end), each to the second."""
    found = []
    here, state = start, _state(zone, start)
    while here < end:
        there = min(here + STEP, end)
        if _state(zone, there) != state:
            # The change lies in (here, there]: halve to the first second of the new state.
            low, high = int(here.timestamp()), int(there.timestamp())
            while high - low > 1:
                middle = (low + high) // 2
                if _state(zone, dt.datetime.fromtimestamp(middle, UTC)) == state:
                    low = middle
                else:
                    high = middle
            there = dt.datetime.fromtimestamp(high, UTC)
            after = _state(zone, there)
            found.append(Change(there, state[0], after))
            state = after
        here = there
    return found


def _split(changes: list[Change], horizon: int) -> tuple[list[Change], dict]:
    """The changes to list one by one, and the yearly rules that take over from them.

    The kinds of change (same offsets before and after) still happening in
    the last year before the horizon must each follow one yearly rule an
    RRULE can say; the rules take over from the first change after which
    every change is of those kinds and matches its rule. Nothing after the
    horizon is known, so a kind that stopped before it is no rule for ever.
    """
    last_year = horizon - 1
    live = {change.kind for change in changes if change.onset.year == last_year}
    if not live:
        return changes, {}
    start = 0
    rules = {}
    for kind in live:
        indexed = [(i, change) for i, change in enumerate(changes) if change.kind == kind]
        # The rule is read off the last 28 years (every weekday falls on every
        # date in them), then followed back as far as the changes keep to it.
        recent = [change.onset for _i, change in indexed if change.onset.year > last_year - 28]
        parts = _yearly_rule(recent, horizon)
        if parts is None:
            return changes, {}
        expected = {
            onset.year: onset for onset in _expand(dict(parts), indexed[0][1].onset.replace(month=1, day=1), recent[-1])
        }
        # The rule reigns after the last change of this kind that breaks it.
        for position in range(len(indexed) - 1, -1, -1):
            onset = indexed[position][1].onset
            follows = position == len(indexed) - 1 or indexed[position + 1][1].onset.year == onset.year + 1
            if expected.get(onset.year) != onset or not follows:
                start = max(start, indexed[position][0] + 1)
                break
        rules[kind] = parts
    # No change of another kind may fall inside the rules' reign.
    others = [i for i, change in enumerate(changes) if change.kind not in live]
    if others:
        start = max(start, others[-1] + 1)
    firsts = {}
    for change in changes[start:]:
        firsts.setdefault(change.kind, change)
    if set(firsts) != live:
        return changes, {}  # the rules never all hold at once: list everything
    return changes[:start], {kind: (firsts[kind], rules[kind]) for kind in live}


def _yearly_rule(onsets: list[dt.datetime], horizon: int) -> tuple[tuple[str, object], ...] | None:
    """RRULE parts giving exactly ``onsets``, one a year up to the horizon, or None."""
    first = onsets[0]
    if len(onsets) < 2 or onsets[-1].year != horizon - 1:
        return None
    if any(onset.year != first.year + i for i, onset in enumerate(onsets)):
        return None
    if any((onset.month, onset.time()) != (first.month, first.time()) for onset in onsets):
        return None
    candidates: list[dict] = []
    if all(onset.weekday() == first.weekday() for onset in onsets):
        code = _DAY_CODES[first.weekday()]
        weeks = {(onset.day - 1) // 7 + 1 for onset in onsets}
        if len(weeks) == 1 and max(weeks) <= 4:
            candidates.append({"BYDAY": f"{weeks.pop()}{code}"})
        if all((onset + dt.timedelta(days=7)).month != onset.month for onset in onsets):
            candidates.append({"BYDAY": f"-1{code}"})
        low = min(onset.day for onset in onsets)
        # "The Sunday on or after the 8th" and the like.
        candidates.append({"BYDAY": code, "BYMONTHDAY": list(range(low, low + 7))})
    if all(onset.day == first.day for onset in onsets):
        candidates.append({"BYMONTHDAY": first.day})
    for extra in candidates:
        parts = {"FREQ": "YEARLY", "BYMONTH": first.month, **extra}
        if _expand(parts, first, onsets[-1]) == onsets:
            return tuple(parts.items())
    return None


def _expand(parts: dict, first: dt.datetime, last: dt.datetime) -> list[dt.datetime]:
    text = icalendar.vRecur(parts).to_ical().decode()
    return list(rrule.rrulestr(text, dtstart=first).between(first, last, inc=True))
