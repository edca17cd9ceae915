"""What a couple shares with the care team, in time order, for the therapist.

Every entry is read through ``CoupleAccess.entries``, which applies the
visibility rule for the therapist: only entries marked *care team* under
this care link come back (and a partner's earlier ones if they shared their
earlier history). Homework completion is shown as a fact (title and date)
from the day the link began, never with anyone's words unless those words
were shared with the care team.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from statistics import mean

from django.utils import timezone

from tandem.checkins.models import CheckIn, RapidCheckIn
from tandem.homework.models import Assignment, Debrief, Response
from tandem.wins.models import GratitudeNote, Win

DAYS = 90
TREND_DAYS = 28


@dataclass(frozen=True)
class Item:
    at: dt.datetime
    kind: str  # homework | response | debrief | checkin | rapid | win | thanks
    who: str  # a partner's display name, or "" for the couple
    title: str
    text: str = ""


@dataclass(frozen=True)
class Trend:
    who: str
    count: int
    mood: float | None
    stress: float | None
    closeness: float | None


def items(access, *, now: dt.datetime | None = None, limit: int = 60) -> list[Item]:
    now = now or timezone.now()
    since = now - dt.timedelta(days=DAYS)
    couple = access.couple
    # Homework done before this link began belongs to another therapist's time with the couple.
    began = max(since, access.link.activated_at or now)
    found: list[Item] = [
        Item(a.completed_at, "homework", "", a.exercise.title)
        for a in Assignment.objects.filter(couple=couple, completed_at__gte=began).select_related("exercise")
    ]
    for r in access.entries(Response).filter(created_at__gte=since).select_related("author", "assignment__exercise"):
        found.append(Item(r.created_at, "response", r.author.display_name, r.assignment.exercise.title, r.body))
    for d in access.entries(Debrief).filter(created_at__gte=since).select_related("author", "assignment__exercise"):
        words = " · ".join(part for part in (f"{d.feeling}/5", d.word, d.note) if part)
        found.append(Item(d.created_at, "debrief", d.author.display_name, d.assignment.exercise.title, words))
    for c in access.entries(CheckIn).filter(created_at__gte=since).select_related("author"):
        summary = f"mood {c.mood}/5 · energy {c.energy}/5 · stress {c.stress}/5 · closeness {c.closeness}/5"
        found.append(Item(c.created_at, "checkin", c.author.display_name, summary, c.note))
    for c in access.entries(RapidCheckIn).filter(created_at__gte=since).select_related("author"):
        found.append(Item(c.created_at, "rapid", c.author.display_name, c.get_colour_display(), c.need))
    for w in access.entries(Win).filter(created_at__gte=since).select_related("author"):
        found.append(Item(w.created_at, "win", w.author.display_name, "", w.text))
    for g in access.entries(GratitudeNote).filter(created_at__gte=since).select_related("author"):
        found.append(Item(g.created_at, "thanks", g.author.display_name, "", g.text))
    found.sort(key=lambda item: item.at, reverse=True)
    return found[:limit]


def trends(access, *, now: dt.datetime | None = None) -> list[Trend]:
    """Per partner, the averages of check-ins shared with the care team (4 weeks)."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=TREND_DAYS)
    by_person: dict[str, list[CheckIn]] = {}
    for c in access.entries(CheckIn).filter(created_at__gte=since).select_related("author"):
        by_person.setdefault(c.author.display_name, []).append(c)

    def average(values):
        return round(mean(values), 1) if values else None

    return [
        Trend(
            who,
            len(rows),
            average([c.mood for c in rows]),
            average([c.stress for c in rows]),
            average([c.closeness for c in rows]),
        )
        for who, rows in sorted(by_person.items())
    ]
