"""Everything that is a person's, as one JSON document (issue 8, point 4).

``build_export(user)`` returns a plain dict, ready for ``json.dumps`` with
Django's encoder. It holds what the person wrote and what they may read:

* their profile (never the password hash), settings, free times, feeds,
  reminders, notification choices, devices (never a push endpoint or its
  keys), what was sent to them, and where they are signed in;
* per couple space they were in: the entries they wrote, at every
  visibility, and the partner's entries the visibility rule lets them read
  (``readable_by``: shared and care team; never private or sealed); their
  own part of each homework; the couple's calendar, agreements, matches,
  vocabulary, seasons and milestones while the space is readable to both;
  their own boundary answers, measures and safety thread; their own
  drafts (unsent writing); the care links and the therapist reads shown
  to them;
* as a therapist: their practice, care links, case notes, schedules,
  invites, practice exercises and the reads they made;
* their measures again as a FHIR R4 Bundle (``measures_fhir``).

Deliberately absent: the partner's private and sealed entries, the
partner's boundary answers (only matches), the partner's measures (only
scores they shared), the partner's free times, safety thread and drafts, anyone's
consent level but the person's own. Past the break-up read window a closed
space exports only what the person wrote (``retention.partner_data_readable``).

Each section reads through the same rules as the pages do, so the export can
never show more than the app would.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone

from tandem.authoring.models import PracticeExercise
from tandem.blocks.models import Block, CalendarSettings, Feed, FreeTime, Reminder
from tandem.boundaries import services
from tandem.boundaries.catalogue import catalogue
from tandem.boundaries.models import (
    Agreement,
    Answer,
    AnswerChange,
    ConsentVocabulary,
    CouplePause,
    CustomItem,
    SectionDone,
)
from tandem.checkins.models import CheckIn, RapidCheckIn, Schedule
from tandem.clinic.models import AuditEntry, CareLink
from tandem.couples.models import Couple, Membership
from tandem.drafts.models import Draft
from tandem.homework.models import Assignment, Debrief, Part, ProgramRun, Response
from tandem.measures.fhir import questionnaire_response
from tandem.measures.models import MeasureResponse
from tandem.notifications.models import Delivery, NotificationSettings, PushSubscription
from tandem.privacy.retention import narrow_if_due, partner_data_readable, read_until
from tandem.safety.models import SafetyThread
from tandem.seasons.models import HardSeason
from tandem.security.models import SessionRecord
from tandem.wins.models import GratitudeNote, Milestone, Win

FORMAT = "tandem-export"
FORMAT_VERSION = 1
FHIR_NAMESPACE = uuid.UUID("9b7c2d44-3c38-4b55-9a43-3f0b7f0d5a11")  # urn:uuid fullUrls, stable per response


def entry_models() -> list[type[models.Model]]:
    """Every kind of entry a partner writes (each has the visibility rule)."""

    return [Response, Debrief, CheckIn, RapidCheckIn, Win, GratitudeNote]


ENTRY_KEYS = {
    "homework.response": "homework_responses",
    "homework.debrief": "homework_debriefs",
    "checkins.checkin": "checkins",
    "checkins.rapidcheckin": "rapid_checkins",
    "wins.win": "wins",
    "wins.gratitudenote": "gratitude_notes",
}
# Columns an entry's export leaves out: the couple is the enclosing object,
# and the author is said as "me" / "partner".
_ENTRY_SKIP = {"couple", "author"}


def build_export(user, now=None) -> dict:
    now = now or timezone.now()
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": now,
        "person": _person(user),
        "settings": _settings(user),
        "couples": [_couple(user, m, now) for m in _memberships(user)],
        "therapist": _therapist(user) if user.is_therapist else None,
        "measures_fhir": measures_bundle(user, now),
    }
    return document


def _memberships(user) -> list[Membership]:
    return list(Membership.objects.filter(user=user).select_related("couple").order_by("joined_at"))


def _person(user) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "pronouns": user.pronouns,
        "time_zone": user.time_zone,
        "language": user.language,
        "consent_level": user.consent_level,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
        "is_therapist": user.is_therapist,
    }


def _settings(user) -> dict:
    schedule = Schedule.objects.filter(user=user).first()
    calendar = CalendarSettings.objects.filter(user=user).first()
    return {
        "checkin_rhythm": _fields(schedule, skip={"user"}) if schedule else None,
        "calendar": _fields(calendar, skip={"user"}) if calendar else None,
        "free_times": [_fields(f, skip={"user"}) for f in FreeTime.objects.filter(user=user)],
        # Only when each feed was made and revoked: the token is never stored.
        "feeds": [
            {"couple": f.couple_id, "created_at": f.created_at, "revoked_at": f.revoked_at}
            for f in Feed.objects.filter(user=user).order_by("created_at")
        ],
        "reminders": [
            _fields(r, skip={"user", "claimed_at", "attempts"})
            for r in Reminder.objects.filter(user=user).order_by("send_at")
        ],
        "notifications": _notifications(user),
        # Where the person is signed in: the device as the session list says it.
        "sessions": [
            {"device": s.device, "created_at": s.created_at, "last_seen_at": s.last_seen_at}
            for s in SessionRecord.objects.filter(user=user).order_by("created_at")
        ],
    }


def _notifications(user) -> dict:
    """Their notification choices, devices and what was sent to them.

    A device's push endpoint and keys stay out: they are a capability (whoever
    holds them can push to that phone), and a file that is downloaded travels.
    """
    choice = NotificationSettings.objects.filter(user=user).first()
    return {
        "choices": _fields(choice, skip={"user"}) if choice else None,
        "devices": [
            {"device": d.device, "created_at": d.created_at, "last_success_at": d.last_success_at}
            for d in PushSubscription.objects.filter(user=user).order_by("created_at")
        ],
        "deliveries": [
            _fields(d, skip={"user", "digest"}) for d in Delivery.objects.filter(user=user).order_by("created_at", "pk")
        ],
    }


def _couple(user, membership: Membership, now) -> dict:
    couple = membership.couple
    # Past the read window, what the two held together goes first (the
    # purge job may not have run yet), so the export can't include it.
    narrow_if_due(couple, now)
    partner = couple.partner_of(user)
    both = partner_data_readable(couple, now)
    section = {
        "id": couple.pk,
        "created_at": couple.created_at,
        "joined_at": membership.joined_at,
        "closed_at": couple.closed_at,
        # The end of the break-up read window; after it, only what I wrote.
        "partner_data_readable_until": read_until(couple),
        "partner": {"display_name": partner.display_name, "pronouns": partner.pronouns} if partner else None,
        "entries": _entries(user, couple),
        "homework": _homework(user, couple),
        "boundaries": _boundaries(user, couple, partner, both, now),
        "measures": _measures(user, couple, partner, both),
        "safety_channel": _safety(user, couple),
        # Unsent writing, which only its author ever reads.
        "drafts": [
            {"slot": d.slot, "body": d.body, "updated_at": d.updated_at}
            for d in Draft.objects.of(user, couple).order_by("updated_at", "pk")
        ],
        "care": _care(user, couple),
    }
    if both:
        section.update(_shared_space(user, couple))
    return section


def _entries(user, couple: Couple) -> dict:
    found = {}
    for model in entry_models():
        rows = model._default_manager.filter(couple=couple).readable_by(user).order_by("created_at", "pk")
        found[ENTRY_KEYS[model._meta.label_lower]] = [
            {"by": "me" if row.author_id == user.pk else "partner", **_fields(row, skip=_ENTRY_SKIP)} for row in rows
        ]
    return found


def _homework(user, couple: Couple) -> dict:
    assignments = Assignment.objects.filter(couple=couple).select_related("exercise").order_by("created_at", "pk")
    parts = {p.assignment_id: p for p in Part.objects.filter(assignment__couple=couple, user=user)}
    my_pauses = set(Assignment.objects.filter(couple=couple, pauses__user=user).values_list("pk", flat=True))
    return {
        "assignments": [
            {
                "id": a.pk,
                "exercise": {"slug": a.exercise.slug, "version": a.exercise.version, "title": a.exercise.title},
                "kind": a.exercise.kind,
                "source": a.source,
                "proposed_by_me": a.proposed_by_id == user.pk,
                "message": a.message,
                "status": a.status,
                "created_at": a.created_at,
                "due_at": a.due_at,
                "activated_at": a.activated_at,
                "completed_at": a.completed_at,
                "lapsed_at": a.lapsed_at,
                "my_part": _fields(parts[a.pk], skip={"assignment", "user", "id"}) if a.pk in parts else None,
                "paused_by_me": a.pk in my_pauses,
            }
            for a in assignments
        ],
        "programs": [
            _fields(run, skip={"couple", "data", "started_by"}) for run in ProgramRun.objects.filter(couple=couple)
        ],
    }


def _boundaries(user, couple: Couple, partner, both: bool, now) -> dict:
    labels = {item.key: str(item.label) for section in catalogue().values() for item in section.items}
    labels.update({c.key: c.label for c in CustomItem.objects.filter(couple=couple)} if both else {})
    # Only my own answers: nobody else's answer ever leaves the boundaries app.
    mine = Answer.objects.filter(couple=couple, author=user).order_by("item_key")
    section = {
        "my_answers": [
            {
                "item": a.item_key,
                "label": labels.get(a.item_key, ""),
                "value": a.value,
                "note": a.note,
                "updated_at": a.updated_at,
            }
            for a in mine
        ],
        "my_answer_history": [
            {"item": c.item_key, "value": c.value, "at": c.at}
            for c in AnswerChange.objects.filter(couple=couple, author=user).order_by("at", "pk")
        ],
        "my_finished_sections": list(
            SectionDone.objects.filter(couple=couple, author=user).values_list("section", flat=True)
        ),
        "i_paused_everything": CouplePause.objects.filter(couple=couple, user=user).exists(),
        "matches": {},
    }
    if both and partner is not None:
        for slug in catalogue():
            found = services.matches(couple, user, slug)
            if found:
                section["matches"][slug] = [
                    {"mine": str(m.mine.label), "theirs": str(m.theirs.label), "tier": m.tier} for m in found
                ]
    return section


def _measures(user, couple: Couple, partner, both: bool) -> dict:
    mine = MeasureResponse.objects.filter(couple=couple, person=user).chronological()
    section = {
        "mine": [
            {
                "id": r.pk,
                "instrument": r.instrument,
                "title": r.measure.title,
                "total": r.total,
                "band": r.band_label,
                "answers": r.answers,
                "completed_at": r.completed_at,
                "local_date": r.local_date,
                "shared_with_partner": r.shared_with_partner,
                "care_link_id": r.care_link_id,
            }
            for r in mine
        ],
        # What the partner sees of a shared measure is its score, nothing more.
        "partner_shared_scores": [],
    }
    if both and partner is not None:
        shared = MeasureResponse.objects.filter(couple=couple, person=partner, shared_with_partner=True)
        section["partner_shared_scores"] = [
            {"instrument": r.instrument, "title": r.measure.title, "total": r.total, "local_date": r.local_date}
            for r in shared.chronological()
        ]
    return section


def _safety(user, couple: Couple) -> list[dict]:
    threads = SafetyThread.objects.filter(couple=couple, author=user).select_related("therapist__user")
    return [
        {
            "therapist": thread.therapist.user.display_name if thread.therapist else "a former care team member",
            "started_at": thread.created_at,
            "messages": [
                {
                    "from": "therapist" if m.from_therapist else "me",
                    "body": m.body,
                    "at": m.created_at,
                    "read_at": m.read_at,
                }
                for m in thread.messages.all()
            ],
        }
        for thread in threads
    ]


def _care(user, couple: Couple) -> dict:
    links = (
        CareLink.objects.filter(couple=couple)
        .with_history_question(user)
        .select_related("therapist__user")
        .order_by("created_at")
    )
    reads = AuditEntry.objects.filter(couple=couple).shown_to(user).select_related("therapist").order_by("at")
    return {
        "links": [
            {
                # Entries and measures name the link they were shared under (``care_link_id``).
                "id": link.pk,
                "therapist": link.therapist.user.display_name,
                "practice": link.therapist.practice_name,
                "status": link.status,
                "created_at": link.created_at,
                "activated_at": link.activated_at,
                "ended_at": link.ended_at,
                "i_consented": link.consents.filter(user=user).exists(),
                # Only my own answer: may this link's therapist read my earlier history?
                "my_earlier_history_shared": link.history_shared,
            }
            for link in links
        ],
        # The same list as the page "who on the care team read your data".
        "reads": [
            {"at": e.at, "who": e.therapist.display_name if e.therapist else None, "what": e.what} for e in reads
        ],
    }


def _shared_space(user, couple: Couple) -> dict:
    """What both partners hold together: only while both may still read it."""

    blocks = Block.objects.filter(couple=couple).prefetch_related("skips").order_by("first_start")
    agreements = Agreement.objects.filter(couple=couple).prefetch_related("versions__confirmations")
    vocabulary = ConsentVocabulary.objects.filter(couple=couple).first()
    return {
        "calendar": [
            {
                **_fields(b, skip={"couple", "proposed_by", "replaces", "sequence"}),
                "proposed_by_me": b.proposed_by_id == user.pk,
                "skipped": [{"date": s.occurrence_date, "by_me": s.skipped_by_id == user.pk} for s in b.skips.all()],
            }
            for b in blocks
        ],
        "agreements": [
            {
                "group": a.group,
                "created_at": a.created_at,
                "versions": [
                    {
                        "text": v.text,
                        "revisit_on": v.revisit_on,
                        "created_at": v.created_at,
                        "confirmed_by_both": len(v.confirmations.all()) == 2,
                        "confirmed_by_me": any(c.user_id == user.pk for c in v.confirmations.all()),
                    }
                    for v in a.versions.all()
                ],
            }
            for a in agreements
        ],
        "consent_vocabulary": _fields(vocabulary, skip={"couple", "updated_by", "id"}) if vocabulary else None,
        "hard_seasons": [
            {
                # The reason stays the starter's unless they shared it.
                "reason": s.reason if (s.started_by_id == user.pk or s.reason_shared) else None,
                "expected_weeks": s.expected_weeks,
                "started_at": s.started_at,
                "ended_at": s.ended_at,
            }
            for s in HardSeason.objects.filter(couple=couple)
        ],
        "milestones": [{"kind": m.kind, "achieved_at": m.achieved_at} for m in Milestone.objects.filter(couple=couple)],
    }


def _therapist(user) -> dict:
    therapist = user.therapist
    return {
        "practice": {"name": therapist.practice_name, "created_at": therapist.created_at},
        "care_links": [_fields(link, skip={"therapist"}) for link in therapist.links.order_by("created_at")],
        "case_notes": [_fields(n, skip={"therapist"}) for n in therapist.notes.order_by("created_at")],
        "homework_schedules": [_fields(s, skip={"therapist"}) for s in therapist.schedules.order_by("created_at")],
        # The codes themselves are capabilities and stay out of a file.
        "care_invites": [
            {"label": i.label, "created_at": i.created_at, "state": i.state} for i in therapist.invites.all()
        ],
        "practice_exercises": [
            _fields(e, skip={"therapist"}) for e in PracticeExercise.objects.filter(therapist=therapist)
        ],
        # Which couple data I read, when (my side of the audit log).
        "my_reads": [
            {"at": e.at, "couple": e.couple_id, "object_type": e.object_type}
            for e in AuditEntry.objects.filter(therapist=user).order_by("at")
        ],
    }


def measures_bundle(user, now=None) -> dict:
    """The person's own measures as a FHIR R4 Bundle (type "collection")."""

    now = now or timezone.now()
    responses = MeasureResponse.objects.filter(person=user).chronological()
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": now.isoformat(timespec="seconds"),
        "entry": [
            {"fullUrl": f"urn:uuid:{uuid.uuid5(FHIR_NAMESPACE, str(r.pk))}", "resource": questionnaire_response(r)}
            for r in responses
        ],
    }


def _fields(obj, *, skip: set[str] = frozenset()) -> dict:
    """A row's own columns as a dict (foreign keys as ``<name>_id``)."""
    out = {}
    for field in obj._meta.concrete_fields:
        if field.name in skip:
            continue
        key = field.attname if field.is_relation else field.name
        out[key] = field.value_from_object(obj)
    return out
