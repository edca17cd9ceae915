"""The shared calendar's pages. Partners only: a therapist gets 404 here."""

from __future__ import annotations

import datetime as dt
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tandem.blocks import finding, recurrence, reminders, services
from tandem.blocks.forms import BlockForm, FindForm, FreeTimeForm, ReminderSettingsForm
from tandem.blocks.models import Block, CalendarSettings, FreeTime
from tandem.couples.access import couple_access_or_404, to_my_couple

AGENDA_DAYS = 28
WEEK_DAYS = 7

start = require_safe(to_my_couple("blocks:agenda"))


def upcoming(couple, viewer, days: int, now: dt.datetime | None = None) -> list[tuple[dt.date, list]]:
    """The couple's occurrences in the next ``days``, grouped by the viewer's local date.

    One query whatever the number of blocks (see ``for_calendar``).
    """
    now = now or timezone.now()
    until = now + dt.timedelta(days=days)
    blocks = Block.objects.filter(couple=couple).may_occur_between(now, until).for_calendar()
    zone = viewer.zone
    found = recurrence.merge(blocks, now, until, include_skipped=True)
    return [(day, list(items)) for day, items in groupby(found, key=lambda each: each.start_in(zone).date())]


@login_required
@require_safe
def agenda(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    couple = access.couple
    proposals = (
        Block.objects.filter(couple=couple)
        .proposed()
        .select_related("proposed_by", "replaces", "assignment__exercise")
        .order_by("created_at")
    )
    return render(
        request,
        "blocks/agenda.html",
        {
            "couple": couple,
            "access": access,
            "days": upcoming(couple, request.user, AGENDA_DAYS),
            "proposals": proposals,
            "zone": request.user.time_zone,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    couple = access.couple
    initial = {key: request.GET[key] for key in ("date", "start", "end", "kind") if key in request.GET}
    form = BlockForm(
        request.POST if request.method == "POST" else None, couple=couple, user=request.user, initial=initial
    )
    if form.is_valid():
        try:
            services.propose(couple, request.user, **form.plan())
        except services.BlockError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Proposed. It is planned once your partner says yes."))
            return redirect("blocks:agenda", couple_id=couple.pk)
    return render(request, "blocks/plan.html", {"couple": couple, "access": access, "form": form, "planned": None})


@login_required
@require_http_methods(["GET", "POST"])
def change(request: HttpRequest, couple_id, block_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    block = access.object_or_404(Block.objects.active(), pk=block_id)
    form = BlockForm(
        request.POST if request.method == "POST" else None,
        couple=access.couple,
        user=request.user,
        initial=BlockForm.initial_for(block),
    )
    if form.is_valid():
        try:
            services.propose(access.couple, request.user, replaces=block, **form.plan())
        except services.BlockError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Change proposed. Until your partner says yes, the block stays as it was."))
            return redirect("blocks:block", couple_id=access.couple.pk, block_id=block.pk)
    return render(
        request, "blocks/plan.html", {"couple": access.couple, "access": access, "form": form, "planned": block}
    )


@login_required
@require_safe
def block(request: HttpRequest, couple_id, block_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    found = access.object_or_404(
        Block.objects.select_related("proposed_by", "assignment__exercise", "replaces").prefetch_related("skips"),
        pk=block_id,
    )
    now = timezone.now()
    coming = []
    if found.status == Block.Status.ACTIVE:
        coming = recurrence.occurrences(found, now, now + dt.timedelta(days=120), include_skipped=True)[:8]
    skipped_by_me = {skip.occurrence_date for skip in found.skips.all() if skip.skipped_by_id == request.user.pk}
    return render(
        request,
        "blocks/block.html",
        {
            "couple": access.couple,
            "access": access,
            "planned": found,
            "occurrences": coming,
            "skipped_by_me": skipped_by_me,
            "pending_change": found.changes.filter(status=Block.Status.PROPOSED).select_related("proposed_by").first(),
        },
    )


ACTIONS = {"accept", "decline", "withdraw", "end", "skip", "unskip"}


@login_required
@require_POST
def act(request: HttpRequest, couple_id, block_id, action: str) -> HttpResponse:
    """Answer a proposal, end a block, or skip or bring back one time."""
    if action not in ACTIONS:
        raise Http404
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    found = access.object_or_404(Block.objects.select_related("couple"), pk=block_id)
    user = request.user
    back = found.replaces_id or found.pk
    try:
        if action == "accept":
            target = services.accept(found, user)
            back = target.pk
            messages.success(request, _("Planned. It's in both your calendars now."))
        elif action == "decline":
            services.decline(found, user)
            messages.success(request, _("Set aside. Nothing changes."))
            return redirect("blocks:agenda", couple_id=access.couple.pk)
        elif action == "withdraw":
            services.withdraw(found, user)
            messages.success(request, _("Withdrawn."))
            return redirect("blocks:agenda", couple_id=access.couple.pk)
        elif action == "end":
            services.end(found, user)
            messages.success(request, _("Ended. It's gone from your calendars."))
        else:
            day = _posted_date(request)
            if action == "skip":
                services.skip(found, user, day)
                messages.success(request, _("Skipped this time. The rest stays planned."))
            else:
                services.unskip(found, user, day)
                messages.success(request, _("It's back on."))
    except services.BlockError as error:
        messages.error(request, str(error))
    return redirect("blocks:block", couple_id=access.couple.pk, block_id=back)


def _posted_date(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.POST.get("date", ""))
    except ValueError:
        raise services.BlockError(_("That date isn't valid: choose one of the times listed.")) from None


@login_required
@require_safe
def find_time(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    couple = access.couple
    user = request.user
    partner = couple.partner_of(user)
    form = FindForm(request.GET or None)
    slots = None
    has_mine = FreeTime.objects.filter(user=user).exists()
    if form.is_valid() and partner is not None and has_mine:
        slots = finding.suggest(couple, user, partner, form.cleaned_data["minutes"])
    return render(
        request,
        "blocks/find.html",
        {
            "couple": couple,
            "access": access,
            "form": form,
            "slots": slots,
            "has_mine": has_mine,
            "partner": partner,
            "partner_zone": partner.zone if partner else None,
            "different_zones": bool(partner) and partner.time_zone != user.time_zone,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def free_times(request: HttpRequest) -> HttpResponse:
    """My weekly free times: mine alone, never shown to anyone else."""
    user = request.user
    form = FreeTimeForm()
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            deleted, _rows = FreeTime.objects.filter(user=user, pk=_int(request.POST.get("id"))).delete()
            if deleted:
                messages.success(request, _("Removed."))
            else:
                messages.error(request, _("That free time was already gone."))
            return redirect("blocks:free_times")
        form = FreeTimeForm(request.POST, instance=FreeTime(user=user))
        if form.is_valid():
            form.save()
            messages.success(request, _("Added. Only you see your free times."))
            return redirect("blocks:free_times")
    return render(
        request,
        "blocks/free_times.html",
        {"form": form, "windows": FreeTime.objects.filter(user=user), "zone": user.time_zone},
    )


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    current = CalendarSettings.of(request.user)
    form = ReminderSettingsForm(request.POST if request.method == "POST" else None, instance=current)
    if form.is_valid():
        form.save()
        reminders.replan_person(request.user)
        messages.success(request, _("Saved."))
        return redirect("blocks:reminders", couple_id=access.couple.pk)
    return render(request, "blocks/reminders.html", {"couple": access.couple, "access": access, "form": form})
