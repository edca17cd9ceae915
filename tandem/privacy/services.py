"""Erasing a person's account (issue 8, point 5).

``erase_person`` removes what the person wrote and everything about them,
closes their open couple space (as leaving it would) and ends their care
links, and keeps only an audit trail under a pseudonymous id:

* entries they authored (answers, reflections, check-ins, wins, thanks),
  boundary answers, measures, safety threads, free times, reminders, feeds
  and settings go with the account (``on_delete=CASCADE`` on the author);
  the partner's own entries stay theirs, and the shared ones the erased
  person wrote disappear for the partner at once;
* what both partners hold together stays with the survivor until the
  break-up timeline removes it (blocks, agreements: ``retention.py``);
  the erased person's name on them is already ``SET_NULL``;
* audit entries of their reads as a therapist keep a pseudonym in
  ``therapist_ref``; audit entries about their own data are hidden from
  the other partner, who must not learn that a measure or a safety
  message existed;
* a therapist's practice, case notes, schedules, care invites and practice
  exercises go with the account (homework already given keeps its frozen
  copy of the words).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tandem.clinic.models import AuditEntry, CareLink
from tandem.core.keyed_hash import keyed_hash
from tandem.couples.models import Couple, Membership
from tandem.couples.services import leave_couple
from tandem.homework.models import Assignment
from tandem.privacy import retention
from tandem.privacy.models import ErasureRecord
from tandem.safety.models import SafetyMessage
from tandem.seasons.models import HardSeason

PSEUDONYM_SALT = "tandem.privacy.pseudonym"


def pseudonym(user_id: int) -> str:
    """A stable id for an erased person that names no one.

    An HMAC of the account id under the server's secret: the same person
    always gets the same pseudonym (so an audit trail stays readable as "the
    same former therapist"), and without the secret nobody can go from the
    pseudonym back to an id.
    """
    return "p-" + keyed_hash(str(user_id), purpose=PSEUDONYM_SALT)[:32]


def role_of(user) -> str:
    roles = []
    if Membership.objects.filter(user=user).exists():
        roles.append("partner")
    if user.is_therapist:
        roles.append("therapist")
    return "+".join(roles) or "person"


def erase_person(user) -> ErasureRecord:
    """Erase ``user``'s account and what they wrote; return the trail left."""

    User = get_user_model()
    now = timezone.now()
    ref = pseudonym(user.pk)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        role = role_of(user)
        # Their open couple closes exactly as if they had left it: read-only
        # for the partner, care link ended, invites revoked.
        for couple in Couple.objects.open().filter(memberships__user=user):
            leave_couple(couple)
        if user.is_therapist:
            CareLink.objects.current().filter(therapist=user.therapist).update(
                status=CareLink.Status.ENDED, ended_at=now
            )
            # Their replies in safety threads are words they wrote; the
            # partners' messages stay the partners' (the thread loses its
            # therapist and so its only reader).
            SafetyMessage.objects.filter(thread__therapist=user.therapist, from_therapist=True).delete()
        # The trail outlives the person, under a pseudonym.
        AuditEntry.objects.filter(therapist=user).update(therapist_ref=ref)
        # Audit entries about their own data would turn visible to the other
        # partner once ``subject`` is nulled (``shown_to``); keep them hidden.
        AuditEntry.objects.filter(subject=user).update(hidden=True)
        # Words they wrote that are not entries of their own.
        Assignment.objects.filter(proposed_by=user).update(message="")
        HardSeason.objects.filter(started_by=user).delete()
        couples = list(Couple.objects.filter(memberships__user=user).values_list("pk", flat=True))
        _total, deleted = user.delete()
        summary = {label.lower(): n for label, n in sorted(deleted.items()) if n}
        record = ErasureRecord.objects.create(kind=ErasureRecord.Kind.ACCOUNT, ref=ref, role=role, summary=summary)
        # A space whose partners have both gone holds nobody's data any more.

        for couple in Couple.objects.filter(pk__in=couples, memberships__isnull=True):
            retention.empty_closed_space(couple)
    return record
