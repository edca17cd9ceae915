"""The one way into couple-scoped data: the partner door and the therapist door.

Every view that touches a couple resolves it here. Partners come in through
``couple_access_or_404``; a therapist comes in through
``therapist_access_or_404`` only (an active care link, a session that passed
two-factor, and an audit entry for the read). Anyone else gets ``Http404`` --
the same answer as for a couple that does not exist, so that a probe learns
nothing. Therapist pages that name no couple (the caseload, the practice's
exercises) use ``therapist_required``.

What a therapist may see, and where each row is decided
-------------------------------------------------------

Everything below is reached only through the therapist door (the caseload
through ``therapist_required`` and ``clinic.caseload.audit``), so every row
is also audited. Anything not in the table a therapist never sees: boundary
answers, agreements and custom items, private / sealed / shared entries,
drafts, the calendar, consent levels, and who paused or declined (those
pages are ``couple_access_or_404(..., partners_only=True)``).

==================  ==============================================  ====================================================
data                what the therapist sees                         decided in
==================  ==============================================  ====================================================
the couple          partner names and pronouns; only through an     ``therapist_access_or_404`` (this module),
                    active care link of theirs, from a session      ``CareLinkQuerySet.active``,
                    that passed two-factor                          ``twofactor.require_for_therapist``
care-team entries   homework responses and debriefs, check-ins,     ``EntryQuerySet.readable_by`` through
                    rapid check-ins, wins and gratitude notes       ``CoupleAccess.entries`` / ``.object_or_404``;
                    marked *care team* under *this* care link; a    ``visibility.care_team_may_read`` (the one rule
                    partner's earlier ones only if they shared      for which links read a row); ``clinic.timeline``
                    their earlier history; no other visibility
homework status     titles, status, due and done dates, counts;     ``AssignmentQuerySet.open`` / ``.completed`` /
                    never which partner said yes or paused; done    ``.closed_or_overdue``; ``clinic.caseload.rows``;
                    and given counted from the link's start         ``clinic.timeline``
programs            the programs running, their titles and the      ``ProgramRunQuerySet.running`` /
                    step each is at; never who started one          ``.with_steps_done``, ``programs.step_of``;
                                                                    ``clinic.caseload.rows``, ``clinic.workspace_views``
touch stages        that a stage was completed (to approve the      ``clinic.workspace_views``;
                    next one), never how it went                    ``clinic.views.approve_stage`` (door, ``write``)
caseload activity   when the couple last said yes to homework, did  ``PartQuerySet.opted_in``,
                    it, or shared a check-in with the care team     ``AssignmentQuerySet.completed``,
                                                                    ``EntryQuerySet.for_care_team``
holds               that something is paused or a hard season is    ``clinic.caseload.rows`` (``paused``,
                    on, never which partner or why                  ``hard_season``)
measures            each partner's responses, charts and reliable   ``MeasureResponseQuerySet.read_by_care_team``
                    change, of measures planned in *this* link      (``care_team_may_read``) in
                    (a partner's earlier ones only if they shared   ``measures.services.series`` (``audit_partner_read``
                    their earlier history); this link's plans; a    per partner), ``object_or_404``,
                    response as FHIR                                ``services.caseload_summary``;
                                                                    ``MeasurePlanQuerySet.of_link``
risk flags          unseen flags raised in *this* link (never an    ``RiskFlagQuerySet.raised_in``
                    earlier link's, even with earlier history)
safety messages     threads written to *this* therapist, one page   ``SafetyThreadQuerySet.written_to``,
                    per thread; how many are unread                 ``SafetyMessageQuerySet.unread_by``
matches shared      mutual matches only, and only while both        ``boundaries.services.care_team_matches``
                    partners said yes to sharing them with the
                    care team
case notes          their own notes only; never shown to the        ``CaseNote`` filtered by therapist in
                    couple                                          ``clinic.workspace_views``
scheduled homework  their own schedules for the couple              ``HomeworkSchedule`` filtered by therapist
                                                                    (``clinic.workspace_views``)
==================  ==============================================  ====================================================

Earlier history: nothing on a therapist's pages says whether either partner
shared theirs (``clinic.HistoryConsent``); their earlier rows simply appear
among the rest, so a therapist never learns which partner said no.

Which audit entries a partner sees follows what was read, never the URL: a
read of an object that belongs to one partner (a model with
``audit_subject_id``: measure plans, responses, risk flags, safety threads)
is listed to that partner only; a page that shows rows of such a model
says so at the door (``reads=``), and its couple-level entry is then listed
to neither partner (the page writes one entry per partner instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps
from typing import Literal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_safe

from tandem.clinic.models import AuditEntry, CareLink
from tandem.couples.models import Couple, Membership
from tandem.couples.visibility import Entry, EntryQuerySet
from tandem.security.twofactor import require_for_therapist as require_two_factor

Role = Literal["partner", "therapist"]


@dataclass(frozen=True)
class CoupleAccess:
    couple: Couple
    user: object
    role: Role
    request: HttpRequest | None = None

    @property
    def is_partner(self) -> bool:
        return self.role == "partner"

    @property
    def is_therapist(self) -> bool:
        return self.role == "therapist"

    @property
    def has_therapist(self) -> bool:
        """Whether the couple has an active care link (read with the couple when it was resolved)."""
        known = getattr(self.couple, "has_active_care_link", None)
        return known if known is not None else self.couple.care_links.active().exists()

    @property
    def can_write(self) -> bool:
        """Partners write while the space is open; a closed space is read-only."""
        return self.is_partner and self.couple.is_open

    def entries(self, model: type[Entry]) -> models.QuerySet:
        """This couple's entries of ``model`` that this person may read.

        The way for a therapist to list entries: scoped to this couple (not
        every linked couple) and reached only through an audited access.
        """
        return model._default_manager.filter(couple=self.couple).readable_by(self.user)

    def object_or_404(self, queryset: models.QuerySet, **lookup):
        """An object of this couple, or 404. Therapist reads are audited.

        For entries (anything with a visibility) only those whose words this
        person may read are found, so no view can hand out a private or
        sealed entry by forgetting a filter.
        """
        if isinstance(queryset, EntryQuerySet):
            queryset = queryset.readable_by(self.user)
        try:
            obj = queryset.get(couple=self.couple, **lookup)
        except (queryset.model.DoesNotExist, ValueError):
            raise Http404 from None
        if self.is_therapist:
            _audit(self, obj)
        return obj


@dataclass(frozen=True)
class TherapistAccess(CoupleAccess):
    """A therapist's way into one couple: the access, and the active care link it came through.

    ``link`` decides which care-team rows the pages show (those shared under
    it, and earlier history by consent): ``visibility.care_team_may_read``.
    """

    link: CareLink = field(kw_only=True)


def desk_only(*, is_therapist: bool, in_couple: bool) -> bool:
    """A therapist without a couple space of their own.

    The therapist's desk (caseload, exercises, practice) is all Tandem is for
    them: they land on the caseload after log-in, and no partner-only item
    (check in, this week, calendar, pause everything) is offered. A therapist
    who is also a partner in a couple keeps both. The one rule for the log-in
    landing (``landing``) and the navigation (``home.context_processors``).
    """
    return is_therapist and not in_couple


def landing(user) -> str:
    """Where a person lands after log-in and two-factor: the caseload for the desk, home for everyone else."""
    in_couple = Membership.objects.filter(user=user, active=True).exists()
    if desk_only(is_therapist=user.is_therapist, in_couple=in_couple):
        return reverse("clinic:caseload")
    return reverse("home:home")


def current_couple(user, *, with_partners: bool = False) -> Couple | None:
    """The partner's open couple space, if they have one.

    ``with_partners``: fetch both partners in the same query and keep them on
    the couple, so ``partners()`` / ``partner_of()`` need no query of their
    own (the home page's budget). Only for pages that don't change who the
    partners are while they run.
    """
    if not user.is_authenticated:
        return None
    if not with_partners:
        membership = Membership.objects.filter(user=user, active=True).select_related("couple").first()
        return membership.couple if membership else None
    # Every membership of the couple in which this person has the active one.
    rows = list(
        Membership.objects.filter(couple__memberships__user=user, couple__memberships__active=True)
        .select_related("couple", "user")
        .order_by("slot")
    )
    if not rows:
        return None
    couple = rows[0].couple
    couple.prefetched_partners = [user if row.user_id == user.pk else row.user for row in rows]
    # This person's own membership came along: what it says for them alone
    # (the consent question) costs the page nothing more.
    couple.my_membership = next(row for row in rows if row.user_id == user.pk)
    return couple


def couple_access_or_404(
    request: HttpRequest, couple_id, *, partners_only: bool = False, open_only: bool = False
) -> CoupleAccess:
    """Resolve the couple ``couple_id`` for the signed-in partner, or 404.

    ``partners_only``: the therapist gets 404 too (partner-only pages).
    Without it, anyone who is not a partner is sent on to the therapist door
    (``therapist_access_or_404``), which alone decides for therapists.
    ``open_only``: a closed space gets 404 (actions that change it).
    """
    user = request.user
    if not user.is_authenticated:
        raise Http404
    # One query: the couple, whether this person is its partner, and whether
    # it has a therapist (asked by most couple pages: which choices to
    # offer; see CoupleAccess.has_therapist).
    roles = {
        "is_partner": Exists(Membership.objects.filter(couple=OuterRef("pk"), user=user)),
        "has_active_care_link": Exists(CareLink.objects.active().filter(couple=OuterRef("pk"))),
    }
    try:
        couple = Couple.objects.annotate(**roles).get(pk=couple_id)
    except (Couple.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if open_only and not couple.is_open:
        raise Http404
    if couple.is_partner:
        if couple.closed_at is not None:
            # Past the break-up read window, what the two held together goes
            # now, not whenever the purge job next runs: no page can show it.
            from tandem.privacy.retention import narrow_if_due

            narrow_if_due(couple)
        return CoupleAccess(couple, user, "partner", request)
    if not partners_only:
        return therapist_access_or_404(request, couple_id, write=open_only)
    raise Http404


def _require_therapist(request: HttpRequest) -> None:
    """404 for anyone without the therapist role; the set-up (or confirm)
    page for a therapist whose session did not pass two-factor."""
    user = request.user
    if not user.is_authenticated or not user.is_therapist:
        raise Http404
    require_two_factor(request)


def therapist_required(view):
    """For a therapist's pages that name no couple (caseload, practice).

    Everyone else gets 404, like couple data, and the session must have
    passed two-factor (the caseload names partners). Couple pages of a
    therapist carry it too (for the log-in redirect and two-factor before
    any id is looked at), and resolve the couple with ``therapist_access_or_404``.
    """

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        _require_therapist(request)
        return view(request, *args, **kwargs)

    return wrapper


def therapist_access_or_404(
    request: HttpRequest, couple_id, *, write: bool = False, reads: type[models.Model] | None = None
) -> TherapistAccess:
    """Resolve the couple ``couple_id`` for a therapist linked to it, or 404.

    The therapist door: the signed-in person must have the therapist role, a
    session that passed two-factor, and an *active* care link to this couple;
    a partner of the couple (even one who is also a therapist), an outsider
    and an unlinked therapist all get 404. The read is audited before it
    returns. One query finds the couple and the link.

    ``write``: a closed space gets 404 too (actions that change it).
    ``reads``: the model whose rows the page shows, when those rows belong
    to one partner (measures, safety threads; see ``is_one_partners``). The
    couple-level audit entry is then listed to neither partner: the page
    writes one per partner (``audit_partner_read``) or per object
    (``CoupleAccess.object_or_404``) instead, so neither partner learns that
    the other has such data.
    """
    _require_therapist(request)
    user = request.user
    try:
        link = (
            CareLink.objects.active()
            .filter(couple_id=couple_id, therapist__user=user)
            .annotate(is_partner=Exists(Membership.objects.filter(couple=OuterRef("couple"), user=user)))
            .select_related("couple")
            .get()
        )
    except (CareLink.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    couple = link.couple
    if link.is_partner or (write and not couple.is_open):
        # A partner who is also a therapist reads their own space on the partner pages.
        raise Http404
    couple.has_active_care_link = True  # it came through one: CoupleAccess.has_therapist asks no query
    access = TherapistAccess(couple, user, "therapist", request, link=link)
    _audit(access, couple, of_one_partner=reads is not None and is_one_partners(reads))
    return access


def is_one_partners(model_or_obj) -> bool:
    """Whether rows of this model belong to one partner of the couple.

    Such a model says whose each row is with ``audit_subject_id``; a
    therapist's read of one is listed to that partner alone.
    """
    return hasattr(model_or_obj, "audit_subject_id")


def audit_partner_read(access: CoupleAccess, partner, what: str) -> None:
    """Record that a therapist read one partner's own data (listed to them alone)."""
    request = access.request
    AuditEntry.objects.create(
        therapist=access.user,
        couple=access.couple,
        path=(request.get_full_path() if request else "")[:300],
        object_type=what,
        subject=partner,
        hidden=True,
    )


def _audit(access: CoupleAccess, obj, *, of_one_partner: bool = False) -> None:
    """Append one audit entry for a therapist's read of ``obj``.

    Whether the couple sees it follows the object, not the page it was read
    on: an object that belongs to one partner names them
    (``audit_subject_id``) and is listed to that partner only (``hidden``
    for everyone else, even if the subject's account is later erased).
    ``of_one_partner``: a read of the couple for a page that shows one
    partner's data (see ``therapist_access_or_404``), listed to neither.
    """
    request = access.request
    subject_id = getattr(obj, "audit_subject_id", None)
    AuditEntry.objects.create(
        therapist=access.user,
        couple=access.couple,
        path=(request.get_full_path() if request else "")[:300],
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        subject_id=subject_id,
        hidden=subject_id is not None or of_one_partner,
    )


def to_my_couple(view_name: str):
    """A view for short, couple-less links (/homework/, /checkin/): send the
    partner to their own couple's page, or home when they have none."""

    @login_required
    @require_safe
    def view(request: HttpRequest):
        couple = current_couple(request.user)
        if couple is None:
            return redirect("home:home")
        return redirect(view_name, couple_id=couple.pk)

    return view
