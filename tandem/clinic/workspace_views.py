"""The therapist's workspace: caseload, couple page, assigning, notes.

Every couple read goes through the therapist door,
``tandem.couples.access.therapist_access_or_404`` (which writes the audit
entry); a partner, an outsider or an unlinked therapist gets 404.
Partners have one page here: who on the care team read their data, and when.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tandem.boundaries.services import care_team_matches
from tandem.clinic import caseload as caseload_rows
from tandem.clinic import schedules, services, timeline
from tandem.clinic.forms import AssignForm, CareInviteForm, CareSettingsForm, CaseNoteForm
from tandem.clinic.models import AuditEntry, CaseNote, HomeworkSchedule
from tandem.couples.access import TherapistAccess, couple_access_or_404, therapist_access_or_404, therapist_required
from tandem.homework import programs
from tandem.homework.content import library
from tandem.homework.models import Assignment, ProgramRun
from tandem.safety.services import unread_counts

SORT_CHOICES = ("attention", "activity", "name", "adherence")
# Couples per caseload page. The whole caseload is still read and sorted (so
# "needs attention first" spans every couple); only a page is shown, audited
# and rendered, which keeps a 300-couple caseload quick to open.
CASELOAD_PAGE = 50


def caseload_page(request: HttpRequest) -> HttpResponse:
    therapist = request.user.therapist
    sort = request.GET.get("sort", "attention")
    if sort not in SORT_CHOICES:
        sort = "attention"
    only_attention = request.GET.get("show") == "attention"
    found = caseload_rows.rows(therapist)
    arranged = caseload_rows.arrange(found, sort=sort, only_attention=only_attention)
    # get_page() turns a page number that is not a number, or out of range,
    # into the nearest real page instead of an error.
    page = Paginator(arranged, CASELOAD_PAGE).get_page(request.GET.get("page"))
    caseload_rows.audit(request.user, page.object_list, request.get_full_path())
    return render(
        request,
        "clinic/caseload.html",
        {
            "rows": page.object_list,
            "page": page,
            "total": len(found),
            "sort": sort,
            "only_attention": only_attention,
            "pending": caseload_rows.pending_links(therapist, found),
        },
    )


@therapist_required
@require_safe
def caseload(request: HttpRequest) -> HttpResponse:
    return caseload_page(request)


def practice_page(request: HttpRequest, form: CareInviteForm | None = None) -> HttpResponse:
    """The practice: its name, how many couples, and the codes that invite a
    couple (no couple's data: counts only, so nothing is audited)."""
    therapist = request.user.therapist
    return render(
        request,
        "clinic/practice.html",
        {
            "therapist": therapist,
            "total": therapist.links.active().count(),
            "pending": therapist.links.pending().count(),
            "invites": therapist.invites.pending(),
            "form": form or CareInviteForm(),
        },
    )


@therapist_required
@require_safe
def practice(request: HttpRequest) -> HttpResponse:
    return practice_page(request)


def _couple_page(
    request: HttpRequest, access: TherapistAccess, *, assign_form=None, note_form=None, settings_form=None
):
    therapist = request.user.therapist
    couple = access.couple
    link = access.link
    exercises = schedules.choices_for(therapist)
    open_homework = list(
        Assignment.objects.open()
        .filter(couple=couple)
        .select_related("exercise")
        .with_holds()
        .order_by("due_at", "created_at")
    )
    return render(
        request,
        "clinic/couple.html",
        {
            "couple": couple,
            "link": link,
            "partners": couple.partners(),
            # Completed touch stages wait for the go-ahead; only the fact of completion is shown.
            "touch_stages": Assignment.objects.filter(
                couple=couple, exercise__kind="touch", status=Assignment.Status.COMPLETED
            ).select_related("exercise"),
            "shared_matches": care_team_matches(couple),
            "timeline": timeline.items(access),
            "trends": timeline.trends(access),
            # Open homework, as "waiting for the couple" or "under way": never which partner.
            "open_homework": open_homework,
            "programs": _programs(couple, open_homework),
            "schedules": HomeworkSchedule.objects.filter(couple=couple, therapist=therapist, active=True),
            "notes": CaseNote.objects.filter(couple=couple, therapist=therapist),
            "assign_form": assign_form
            or AssignForm(exercises=exercises, programs=library().programs, initial={"cadence": "once"}),
            "note_form": note_form or CaseNoteForm(),
            "settings_form": settings_form or CareSettingsForm(instance=link),
            "safety_unread": unread_counts(request.user, [couple.pk]).get(couple.pk, 0),
        },
    )


def _programs(couple, open_homework: list) -> list[dict]:
    """The programs the couple is in: the step each is at, and its open step
    (one of ``open_homework``) -- never who started it or who said yes."""
    found = []
    for run in ProgramRun.objects.running().filter(couple=couple).with_steps_done().order_by("started_at"):
        step, total = programs.step_of(run, run.steps_done)
        current = next((a for a in open_homework if a.program_run_id == run.pk), None)
        found.append({"title": run.title, "step": step, "total": total, "current": current})
    return found


@therapist_required
@require_safe
def couple(request: HttpRequest, couple_id) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id)
    return _couple_page(request, access)


@therapist_required
@require_POST
def assign(request: HttpRequest, couple_id) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, write=True)
    therapist = request.user.therapist
    form = AssignForm(request.POST, exercises=schedules.choices_for(therapist), programs=library().programs)
    if form.is_valid():
        what, slug = form.what_and_slug
        data = form.cleaned_data
        try:
            schedule = schedules.create(
                therapist,
                access.couple,
                what=what,
                slug=slug,
                cadence=data["cadence"],
                message=data["message"],
                start_on=data.get("start_on"),
                due_days=data["due_days"],
                weeks=data.get("weeks") or 1,
            )
        except schedules.ScheduleError as error:
            form.add_error(None, str(error))
        else:
            if schedule.last_problem:
                messages.warning(
                    request,
                    _("Saved, but it can't be offered yet: %(why)s It will be tried again.")
                    % {"why": schedule.last_problem},
                )
            elif schedule.next_on is None or schedule.times_left < (data.get("weeks") or 1):
                messages.success(request, _("Offered. The couple sees it now and decides together."))
            else:
                messages.success(request, _("Scheduled."))
            return redirect("clinic:couple", couple_id=access.couple.pk)
    return _couple_page(request, access, assign_form=form)


@therapist_required
@require_POST
def schedule_cancel(request: HttpRequest, couple_id, schedule_id: int) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, write=True)
    schedule = access.object_or_404(
        HomeworkSchedule.objects.filter(therapist=request.user.therapist, active=True), pk=schedule_id
    )
    schedules.cancel(schedule)
    messages.success(request, _("Cancelled. Homework already offered stays with the couple."))
    return redirect("clinic:couple", couple_id=access.couple.pk)


@therapist_required
@require_POST
def note_add(request: HttpRequest, couple_id) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id)
    form = CaseNoteForm(request.POST, instance=CaseNote(therapist=request.user.therapist, couple=access.couple))
    if form.is_valid():
        form.save()
        messages.success(request, _("Note saved. Only you can read it."))
        return redirect("clinic:couple", couple_id=access.couple.pk)
    return _couple_page(request, access, note_form=form)


@therapist_required
@require_POST
def care_settings(request: HttpRequest, couple_id) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, write=True)
    form = CareSettingsForm(request.POST, instance=access.link)
    if form.is_valid():
        services.care_settings_saved(form.save())
        messages.success(request, _("Saved."))
        return redirect("clinic:couple", couple_id=access.couple.pk)
    return _couple_page(request, access, settings_form=form)


# --- partners' side --------------------------------------------------------------


@login_required
@require_safe
def audit_log(request: HttpRequest, couple_id) -> HttpResponse:
    """Who on the care team read our data, and when. Read-only by design."""
    access = couple_access_or_404(request, couple_id, partners_only=True)
    entries = (
        AuditEntry.objects.filter(couple=access.couple)
        .shown_to(request.user)
        .select_related("therapist__therapist")[:500]
    )
    return render(request, "clinic/audit_log.html", {"couple": access.couple, "entries": entries})
