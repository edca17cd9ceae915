"""Program pages: start one from the library, follow its progress, stop it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tandem.couples.access import couple_access_or_404
from tandem.homework import programs, services
from tandem.homework.content import library
from tandem.homework.models import ProgramRun


@login_required
@require_POST
def start(request: HttpRequest, couple_id, slug: str) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    spec = library().programs.get(slug)
    if spec is None:
        raise Http404
    try:
        run = programs.start(access.couple, spec, request.user)
    except services.HomeworkError as error:
        messages.error(request, str(error))
        return redirect("homework:library", couple_id=access.couple.pk)
    messages.success(request, _("Program started. Each step starts when both of you say yes to it."))
    return redirect("homework:program", couple_id=access.couple.pk, run_id=run.pk)


@login_required
@require_safe
def program(request: HttpRequest, couple_id, run_id: int) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    run = access.object_or_404(ProgramRun.objects.all(), pk=run_id)
    steps = programs.run_steps(run)
    items = programs.occurrences(steps)
    state = programs.progress(run)
    titles = {slug: spec.title for slug, spec in library().exercises.items()}
    rows = [
        {
            "occurrence": item,
            "title": titles.get(item.step.exercise, item.step.exercise),
            "done": item.index < state.done,
            "current": state.current is not None and item.index == state.current.step_index,
        }
        for item in items
    ]
    return render(
        request,
        "homework/program.html",
        {"couple": access.couple, "access": access, "run": run, "rows": rows, "progress": state},
    )


@login_required
@require_POST
def stop(request: HttpRequest, couple_id, run_id: int) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    run = access.object_or_404(ProgramRun.objects.all(), pk=run_id)
    try:
        programs.stop(run)
    except services.HomeworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The program is stopped. You can start it again whenever you like."))
    return redirect("homework:program", couple_id=access.couple.pk, run_id=run.pk)


@login_required
@require_POST
def offer_again(request: HttpRequest, couple_id, run_id: int) -> HttpResponse:
    """Offer a step that was set aside once more (it still needs both yeses)."""
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    run = access.object_or_404(ProgramRun.objects.all(), pk=run_id)
    if programs.advance(run, offer_again=True) is None:
        messages.error(request, _("There is no step to offer again right now."))
    else:
        messages.success(request, _("Offered again. It starts when both of you say yes."))
    return redirect("homework:program", couple_id=access.couple.pk, run_id=run.pk)
