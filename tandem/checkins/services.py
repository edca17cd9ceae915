"""Saving check-ins and reading what the couple has room for today."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from tandem.checkins.models import Capacity, CheckIn, RapidCheckIn
from tandem.couples.visibility import Visibility

SHARED = [Visibility.SHARED, Visibility.CARE_TEAM]

# Shown in this order, whatever order they were ticked in.
CAPACITY_ORDER = [c.value for c in Capacity]


def save_checkin(couple, user, data: dict) -> tuple[CheckIn, bool]:
    """Create today's check-in, or update it: one per person per local day.

    Returns the check-in and whether an earlier one of today was edited.
    """
    day = user.today()
    fields = {
        "mood": data["mood"],
        "energy": data["energy"],
        "stress": data["stress"],
        "closeness": data["closeness"],
        "desire": data.get("desire"),
        "capacity": sorted(set(data.get("capacity") or []), key=CAPACITY_ORDER.index),
        "note": data.get("note", ""),
        "changed": data.get("changed", ""),
        "visibility": data["visibility"],
    }
    try:
        with transaction.atomic():
            checkin, created = CheckIn.objects.update_or_create(
                couple=couple, author=user, local_date=day, defaults=fields
            )
    except IntegrityError:
        # Two tabs saving the same day at once: the second becomes an edit.
        checkin = CheckIn.objects.get(couple=couple, author=user, local_date=day)
        for name, value in fields.items():
            setattr(checkin, name, value)
        checkin.save()
        created = False
    return checkin, not created


def save_rapid(couple, user, colour: str, need: str, visibility: str) -> RapidCheckIn:
    return RapidCheckIn.objects.create(
        couple=couple, author=user, local_date=user.today(), colour=colour, need=need, visibility=visibility
    )


@dataclass(frozen=True)
class Overlap:
    """Today's shared capacities of both partners, as the viewer may read them."""

    mine: list[str]
    partners: list[str] | None  # None: no shared check-in from the partner today
    both: list[str]
    someone_resting: bool
    i_checked_in: bool = False  # spares the home page a query of its own


def capacity_overlap(couple, viewer, partner=None) -> Overlap | None:
    partner = partner or couple.partner_of(viewer)
    if partner is None:
        return None
    # Each partner's "today" is their own local day; only *shared* check-ins
    # count, my own included (a private one is mine alone).
    readable = CheckIn.objects.readable_by(viewer).filter(couple=couple)
    by_author = {
        c.author_id: c
        for c in readable.filter(author__in=[viewer, partner]).filter(local_date__in={viewer.today(), partner.today()})
        if c.local_date == (viewer if c.author_id == viewer.pk else partner).today()
    }
    mine = by_author.get(viewer.pk)
    checked_in = mine is not None
    if mine is not None and mine.visibility not in SHARED:
        mine = None  # my private check-in is mine alone: it takes no part in the overlap
    theirs = by_author.get(partner.pk)
    mine_caps = list(mine.capacity) if mine else []
    their_caps = list(theirs.capacity) if theirs else None
    both = [c for c in CAPACITY_ORDER if c != "rest" and c in mine_caps and c in (their_caps or [])]
    resting = "rest" in mine_caps or "rest" in (their_caps or [])
    return Overlap(mine_caps, their_caps, both, resting, i_checked_in=checked_in)
