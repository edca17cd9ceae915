"""A couple's data with a marker string in every place an export could leak.

``seed(case)`` fills the TandemTestCase couple (alice and bo, theo linked)
and returns three sets of markers:

* ``alice_own``: what alice wrote (every visibility) -- must be in her export;
* ``shared_with_alice``: what bo shared -- in her export while readable;
* ``never_for_alice``: bo's private and sealed words, bo's boundary notes,
  bo's safety thread and theo's replies to it, bo's drafts, theo's case notes -- never
  in alice's export.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from django.utils import timezone

from tandem.blocks.models import FreeTime
from tandem.boundaries import agreements
from tandem.boundaries import services as boundaries
from tandem.checkins.models import CheckIn, RapidCheckIn
from tandem.clinic.models import CaseNote
from tandem.drafts import services as drafts
from tandem.homework.models import Assignment, Debrief, Response
from tandem.measures import services as measures
from tandem.measures.instruments import CSI4, GAD7
from tandem.safety import services as safety
from tandem.security.reauth import LAST_AUTH
from tandem.testkit.base import make_assignment, make_block
from tandem.wins.models import GratitudeNote, Win

VISIBILITIES = ["private", "sealed", "shared", "care_team"]


@dataclass
class Markers:
    alice_own: set[str] = field(default_factory=set)
    shared_with_alice: set[str] = field(default_factory=set)
    never_for_alice: set[str] = field(default_factory=set)
    ids: dict = field(default_factory=dict)


def _marker(markers: Markers, author: str, visibility: str, what: str) -> str:
    text = f"MARK-{author}-{visibility}-{what}".upper()
    if author == "alice":
        markers.alice_own.add(text)
    elif visibility in ("shared", "care_team"):
        markers.shared_with_alice.add(text)
    else:
        markers.never_for_alice.add(text)
    return text


def seed(case) -> Markers:
    m = Markers()
    couple, alice, bo, theo = case.couple, case.alice, case.bo, case.theo
    first = make_assignment(couple)
    day = alice.today()
    for who, person in (("alice", alice), ("bo", bo)):
        for n, visibility in enumerate(VISIBILITIES):
            assignment = Assignment.objects.create(couple=couple, exercise=first.exercise)
            common = {"couple": couple, "author": person, "visibility": visibility}
            Response.objects.create(
                **common, assignment=assignment, step="message", body=_marker(m, who, visibility, "response")
            )
            Debrief.objects.create(
                **common, assignment=assignment, feeling=3, note=_marker(m, who, visibility, "debrief")
            )
            CheckIn.objects.create(
                **common,
                local_date=day - dt.timedelta(days=n),
                mood=3,
                energy=3,
                stress=3,
                closeness=3,
                note=_marker(m, who, visibility, "checkin"),
            )
            RapidCheckIn.objects.create(
                **common, local_date=day, colour="amber", need=_marker(m, who, visibility, "rapid")
            )
            Win.objects.create(**common, text=_marker(m, who, visibility, "win"))
            GratitudeNote.objects.create(**common, text=_marker(m, who, visibility, "thanks"))

    # Boundary answers: only the author's own, plus a match both can see.
    boundaries.save_answers(couple, alice, "affection", {"cuddling": ("yes", "MARK-ALICE-BOUNDARY-NOTE")})
    boundaries.save_answers(couple, bo, "affection", {"cuddling": ("yes", "MARK-BO-BOUNDARY-NOTE-1")})
    boundaries.save_answers(couple, bo, "sensual", {"blindfold": ("no", "MARK-BO-BOUNDARY-NOTE-2")})
    for person in (alice, bo):
        boundaries.finish(couple, person, "affection")
    m.alice_own.add("MARK-ALICE-BOUNDARY-NOTE")
    m.never_for_alice |= {"MARK-BO-BOUNDARY-NOTE-1", "MARK-BO-BOUNDARY-NOTE-2", "blindfold"}

    # The safety channel: each partner's own thread with theo.
    safety.reply(safety.send(couple, alice, "MARK-ALICE-SAFETY").thread, "MARK-THEO-REPLY-TO-ALICE")
    safety.reply(safety.send(couple, bo, "MARK-BO-SAFETY").thread, "MARK-THEO-REPLY-TO-BO")
    m.alice_own |= {"MARK-ALICE-SAFETY", "MARK-THEO-REPLY-TO-ALICE"}
    m.never_for_alice |= {"MARK-BO-SAFETY", "MARK-THEO-REPLY-TO-BO"}

    # Drafts: unsent words, their author's alone.
    drafts.keep(alice, couple, "safety:message", "MARK-ALICE-DRAFT")
    drafts.keep(bo, couple, f"step:{first.pk}:answer", "MARK-BO-DRAFT")
    m.alice_own.add("MARK-ALICE-DRAFT")
    m.never_for_alice.add("MARK-BO-DRAFT")

    # Measures: alice's, bo's kept to himself, bo's shared (score only).
    m.ids["alice_measure"] = measures.record(
        measures.schedule(couple, alice, "gad7", "once", created_by=theo), {i.link_id: 2 for i in GAD7.items}
    )
    m.ids["bo_private_measure"] = measures.record(
        measures.schedule(couple, bo, "gad7", "once", created_by=theo), {i.link_id: 1 for i in GAD7.items}
    )
    shared = measures.record(
        measures.schedule(couple, bo, "csi4", "once", created_by=theo), {i.link_id: 1 for i in CSI4.items}
    )
    measures.set_shared(shared, True)
    m.ids["bo_shared_measure"] = shared

    # Free times are their owner's alone.
    FreeTime.objects.create(user=alice, weekday=0, start_time=dt.time(18, 5), end_time=dt.time(20, 55))
    FreeTime.objects.create(user=bo, weekday=2, start_time=dt.time(3, 17), end_time=dt.time(4, 41))
    m.alice_own.add("18:05:00")
    m.never_for_alice |= {"03:17:00", "04:41:00"}

    # Therapist-only words.
    CaseNote.objects.create(therapist=theo.therapist, couple=couple, body="MARK-THEO-CASE-NOTE")
    m.never_for_alice.add("MARK-THEO-CASE-NOTE")

    # What both hold together: readable to both while the space is.
    agreement = agreements.create(couple, bo, "comfortable", "MARK-AGREEMENT-TEXT", None)
    agreements.confirm(agreement.versions.first(), alice)
    m.ids["block"] = make_block(couple, bo, weekdays="MO")
    m.ids["shared_together"] = {"MARK-AGREEMENT-TEXT", str(m.ids["block"].pk)}
    m.ids["now"] = timezone.now()
    return m


def make_auth_stale(client) -> None:
    """As if the person last confirmed who they were an hour ago."""
    session = client.session
    session[LAST_AUTH] = time.time() - 3600
    session.save()
