from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.couples.access import couple_access_or_404
from tandem.couples.visibility import Visibility
from tandem.wins.forms import GratitudeForm, WinForm
from tandem.wins.models import GratitudeNote, Milestone, Win


@login_required
@require_http_methods(["GET", "POST"])
def celebrate(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    user = request.user
    win_form, thanks_form = WinForm(prefix="win"), GratitudeForm(prefix="thanks")
    if request.method == "POST":
        # Wins and thank-yous are shared: celebrating is something you do together.
        if "win-text" in request.POST:
            win_form = WinForm(request.POST, prefix="win")
            if win_form.is_valid():
                Win.objects.create(
                    couple=access.couple, author=user, text=win_form.cleaned_data["text"], visibility=Visibility.SHARED
                )
                messages.success(request, _("A win, noted for both of you. Well done, you two."))
                return redirect("wins:celebrate", couple_id=access.couple.pk)
        else:
            thanks_form = GratitudeForm(request.POST, prefix="thanks")
            if thanks_form.is_valid():
                GratitudeNote.objects.create(
                    couple=access.couple,
                    author=user,
                    text=thanks_form.cleaned_data["text"],
                    visibility=Visibility.SHARED,
                )
                messages.success(request, _("Your thank-you is on its way."))
                return redirect("wins:celebrate", couple_id=access.couple.pk)
    return render(
        request,
        "wins/celebrate.html",
        {
            "couple": access.couple,
            "access": access,
            "partner": access.couple.partner_of(user),
            "wins": Win.objects.readable_by(user).filter(couple=access.couple).select_related("author")[:20],
            "notes": GratitudeNote.objects.readable_by(user).filter(couple=access.couple).select_related("author")[:20],
            "milestones": Milestone.objects.filter(couple=access.couple)[:20],
            "win_form": win_form,
            "thanks_form": thanks_form,
        },
    )


@login_required
@require_POST
def note_read(request: HttpRequest, couple_id, note_id: int) -> HttpResponse:
    """The partner thanked says they read the note: it is no longer waiting for them.

    Opening the page writes nothing, so reading is this small POST. Only the
    note's reader can mark it; saying it twice changes nothing."""
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    note = get_object_or_404(
        GratitudeNote.objects.readable_by(request.user).filter(couple=access.couple).exclude(author=request.user),
        pk=note_id,
    )
    GratitudeNote.objects.filter(pk=note.pk, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("wins:celebrate", couple_id=access.couple.pk)
