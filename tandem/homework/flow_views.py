"""The in-place steps of each exercise kind (posted from the assignment page).

One view serves every step, ``…/step/<action>/`` (and the write-then-share
``…/answer/`` and ``…/reply/``): the kind's registry entry says which form
reads it and which step it runs. With htmx the response is the refreshed
panel; without, a redirect back to the assignment page. Bad input, or a step
the server refuses, re-shows the page with the typed text kept and the
reason beside it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.couples.access import couple_access_or_404
from tandem.drafts import services as drafts
from tandem.drafts.models import slot
from tandem.homework import kinds
from tandem.homework.debriefs import debrief as save_debrief
from tandem.homework.forms import DebriefForm
from tandem.homework.hints import blame_hint
from tandem.homework.kinds.base import draft_slot
from tandem.homework.steps import HomeworkError
from tandem.homework.views import assignment_in_couple, assignment_page, refuse_in_closed_space


@login_required
@require_POST
def step(request: HttpRequest, couple_id, assignment_id: int, action: str) -> HttpResponse:
    if action not in kinds.action_names():
        raise Http404
    # Not open_only: words sent into a space that closed meanwhile come back
    # on the page with the reason (a 404 would lose them).
    access, assignment = assignment_in_couple(request, couple_id, assignment_id)
    kind_action = kinds.action(assignment.kind, action)
    form = kind_action.bind(request.POST, access)
    refused = ""
    if form.is_valid() and (asked := _ask_first(request, kind_action, form)):
        # Not sent: the hint first, with the words back in the box (and kept as the draft).
        drafts.keep_unsent(request.user, access.couple, draft_slot(assignment, action), request.POST.get("body", ""))
        return assignment_page(
            request, couple_id, assignment_id, bound={kind_action.slot: form}, step_action=action, asked=asked
        )
    if form.is_valid():
        try:
            refuse_in_closed_space(access)
            made = kind_action.send(assignment, request.user, form.cleaned_data, action)
        except HomeworkError as error:
            refused = str(error)
        else:
            messages.success(request, kind_action.said(made))
            if (
                kind_action.hint
                and not kind_action.ask_first
                and (hint := blame_hint(form.cleaned_data.get("body", "")))
            ):
                messages.info(request, hint)
            if request.headers.get("HX-Request") != "true":
                return redirect("homework:assignment", couple_id=couple_id, assignment_id=assignment_id)
            return assignment_page(request, couple_id, assignment_id)
    if kind_action.needs_body:
        # Refused: the words it came with are kept as the draft (they may be
        # newer than the last one the page kept), as well as shown back.
        drafts.keep_unsent(request.user, access.couple, draft_slot(assignment, action), request.POST.get("body", ""))
    return assignment_page(
        request, couple_id, assignment_id, bound={kind_action.slot: form}, step_action=action, refused=refused
    )


def _ask_first(request: HttpRequest, kind_action, form) -> str:
    """The hint to show before sending, or "" to send now: only for a step
    that asks first, and not once the person chose "Send as it is"."""
    if not kind_action.ask_first or request.POST.get("as_is"):
        return ""
    return blame_hint(form.cleaned_data.get("body", "")) or ""


@login_required
@require_POST
def debrief(request: HttpRequest, couple_id, assignment_id: int) -> HttpResponse:
    access, assignment = assignment_in_couple(request, couple_id, assignment_id)
    staged = kinds.get(assignment.kind).staged
    form = DebriefForm(request.POST, touch=staged, has_therapist=access.has_therapist)
    refused = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            refuse_in_closed_space(access)
            save_debrief(
                assignment,
                request.user,
                feeling=data["feeling"],
                word=data["word"].strip(),
                note=data["note"].strip(),
                visibility=data["visibility"],
                comfortable=data.get("comfortable") if staged else None,
            )
        except HomeworkError as error:
            refused = str(error)
        else:
            messages.success(request, _("Thank you. Your debrief is saved."))
            return redirect("homework:assignment", couple_id=couple_id, assignment_id=assignment_id)
    drafts.keep_unsent(request.user, access.couple, slot("debrief", assignment.pk), request.POST.get("note", ""))
    return assignment_page(request, couple_id, assignment_id, bound={"debrief_form": form}, refused=refused)


@login_required
@require_POST
def hint(request: HttpRequest, couple_id) -> HttpResponse:
    """A live, gentle wording hint while typing a listening message (htmx)."""
    couple_access_or_404(request, couple_id, partners_only=True)
    return render(request, "homework/_hint.html", {"hint": blame_hint(request.POST.get("body", "")[:2000])})
