"""The in-place steps of each exercise kind (posted from the assignment page).

One URL, ``…/step/<action>/``, serves every step; ``ACTIONS`` says which
form it reads and which flow function it calls. With htmx the response is
the refreshed panel; without, a redirect back to the assignment page. Bad
input re-shows the page with the typed text kept and the reason beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tandem.homework import flows
from tandem.homework.forms import DebriefForm, StepForm
from tandem.homework.services import HomeworkError


@dataclass(frozen=True)
class Action:
    run: Callable  # (assignment, user, form.cleaned_data) -> object
    success: str
    needs_body: bool = True


ACTIONS: dict[str, Action] = {
    "message": Action(lambda a, u, d: flows.listening_say(a, u, "message", d["body"]), gettext_lazy("Sent.")),
    "restatement": Action(lambda a, u, d: flows.listening_say(a, u, "restatement", d["body"]), gettext_lazy("Sent.")),
    "confirm": Action(
        lambda a, u, d: flows.listening_say(a, u, "confirmation"),
        gettext_lazy("Confirmed: you were heard."),
        needs_body=False,
    ),
    "perspective": Action(lambda a, u, d: flows.journal_perspective(a, u, d["body"]), gettext_lazy("Saved.")),
    "restate": Action(lambda a, u, d: flows.journal_restate(a, u, d["body"]), gettext_lazy("Saved.")),
    "next-time": Action(lambda a, u, d: flows.journal_next_time(a, u, d["body"]), gettext_lazy("Added to your list.")),
    "journal-done": Action(lambda a, u, d: flows.journal_done(a, u), gettext_lazy("Noted."), needs_body=False),
    "plan": Action(lambda a, u, d: flows.activity_plan(a, u, d["body"]), gettext_lazy("Your plan is shared.")),
    "done": Action(lambda a, u, d: flows.mark_done(a, u), gettext_lazy("Marked as done."), needs_body=False),
    "ready": Action(lambda a, u, d: flows.ready_today(a, u), gettext_lazy("Noted: ready today."), needs_body=False),
    "not-today": Action(lambda a, u, d: flows.not_today(a, u), gettext_lazy("Another day, then."), needs_body=False),
    "checkin": Action(lambda a, u, d: flows.checkin_answer(a, u, d["body"]), gettext_lazy("Checked in.")),
}


@login_required
@require_POST
def step(request: HttpRequest, couple_id, assignment_id: int, action: str) -> HttpResponse:
    from tandem.homework.views import _assignment, _refuse_in_closed_space, assignment_page

    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    access, assignment = _assignment(request, couple_id, assignment_id)
    form = StepForm(request.POST, require_body=spec.needs_body)
    refused = ""
    if form.is_valid():
        try:
            _refuse_in_closed_space(access)
            spec.run(assignment, request.user, form.cleaned_data)
        except HomeworkError as error:
            refused = str(error)
        else:
            messages.success(request, spec.success)
            if hint := flows.blame_hint(form.cleaned_data.get("body", "")):
                messages.info(request, hint)
            if request.headers.get("HX-Request") != "true":
                return redirect("homework:assignment", couple_id=couple_id, assignment_id=assignment_id)
            return assignment_page(request, couple_id, assignment_id)
    return assignment_page(request, couple_id, assignment_id, step_form=form, step_action=action, refused=refused)


@login_required
@require_POST
def debrief(request: HttpRequest, couple_id, assignment_id: int) -> HttpResponse:
    from tandem.homework.views import _assignment, _refuse_in_closed_space, assignment_page

    access, assignment = _assignment(request, couple_id, assignment_id)
    form = DebriefForm(request.POST, touch=assignment.kind == "touch", has_therapist=access.has_therapist)
    refused = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            _refuse_in_closed_space(access)
            flows.debrief(
                assignment,
                request.user,
                feeling=data["feeling"],
                word=data["word"].strip(),
                note=data["note"].strip(),
                visibility=data["visibility"],
                comfortable=data.get("comfortable") if assignment.kind == "touch" else None,
            )
        except HomeworkError as error:
            refused = str(error)
        else:
            messages.success(request, _("Thank you. Your debrief is saved."))
            return redirect("homework:assignment", couple_id=couple_id, assignment_id=assignment_id)
    return assignment_page(request, couple_id, assignment_id, debrief_form=form, refused=refused)


@login_required
@require_POST
def hint(request: HttpRequest, couple_id) -> HttpResponse:
    """A live, gentle wording hint while typing a listening message (htmx)."""
    from tandem.couples.access import couple_access_or_404

    couple_access_or_404(request, couple_id, partners_only=True)
    return render(request, "homework/_hint.html", {"hint": flows.blame_hint(request.POST.get("body", "")[:2000])})
