"""Therapist pages for the practice's own exercises.

Everything here is behind ``therapist_required`` (404 for anyone else). A
therapist sees their practice's exercises and those other practices shared;
another practice's private exercise is a 404, like anything not theirs.
Only the practice that wrote an exercise edits or shares it.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tandem.authoring import services
from tandem.authoring.forms import LEVELS, PracticeExerciseForm
from tandem.authoring.models import PracticeExercise
from tandem.couples.access import therapist_required
from tandem.homework import kinds
from tandem.homework.views import _render_markdown


@therapist_required
@require_safe
def exercise_list(request: HttpRequest) -> HttpResponse:
    therapist = request.user.therapist
    exercises = list(PracticeExercise.objects.visible_to(therapist).select_related("therapist"))
    for exercise in exercises:
        exercise.kind_label = kinds.label(exercise.kind)
    return render(
        request,
        "authoring/list.html",
        {
            "own": [e for e in exercises if e.therapist_id == therapist.pk],
            "others": [e for e in exercises if e.therapist_id != therapist.pk],
        },
    )


@therapist_required
@require_http_methods(["GET", "POST"])
def exercise_new(request: HttpRequest) -> HttpResponse:
    form = PracticeExerciseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            exercise = services.create(request.user.therapist, form.values())
        except services.InvalidExercise as invalid:
            form.add_content_errors(invalid.errors)
        else:
            messages.success(request, _("Saved. Only your practice sees it until you share it."))
            return redirect("authoring:exercise", exercise.pk)
    return render(request, "authoring/edit.html", {"form": form, "exercise": None})


@therapist_required
@require_http_methods(["GET", "HEAD", "POST"])
def exercise_page(request: HttpRequest, exercise_id: int) -> HttpResponse:
    therapist = request.user.therapist
    exercise = get_object_or_404(
        PracticeExercise.objects.visible_to(therapist).select_related("therapist"), pk=exercise_id
    )
    if exercise.therapist_id != therapist.pk:
        if request.method == "POST":
            raise Http404  # shared means readable and givable, never editable
        return _read_only(request, exercise)
    form = PracticeExerciseForm(
        request.POST if request.method == "POST" else None,
        initial=services.values_from_source(exercise.source),
        with_slug=False,
    )
    if request.method == "POST" and form.is_valid():
        before = exercise.version
        try:
            exercise = services.update(exercise, form.values())
        except services.InvalidExercise as invalid:
            form.add_content_errors(invalid.errors)
        else:
            if exercise.version == before:
                messages.success(request, _("Nothing changed."))
            else:
                messages.success(
                    request,
                    _("Saved as version %(version)d. Homework already given keeps the words it was given with.")
                    % {"version": exercise.version},
                )
            return redirect("authoring:exercise", exercise.pk)
    return render(request, "authoring/edit.html", {"form": form, "exercise": exercise})


def _read_only(request: HttpRequest, exercise: PracticeExercise) -> HttpResponse:
    spec = services.as_spec(exercise)
    if spec is None:
        raise Http404  # another practice's exercise that no longer reads; nothing to show
    return render(
        request,
        "authoring/exercise.html",
        {
            "exercise": exercise,
            "spec": spec,
            "body": _render_markdown(spec.body),
            "kind_label": kinds.label(spec.kind),
            "level_label": dict(LEVELS)[str(spec.intimacy_level)],
        },
    )


@therapist_required
@require_POST
def exercise_share(request: HttpRequest, exercise_id: int) -> HttpResponse:
    exercise = get_object_or_404(PracticeExercise, pk=exercise_id, therapist=request.user.therapist)
    choice = request.POST.get("shared")
    if choice not in ("1", "0"):
        messages.error(request, _("Choose whether to share this exercise."))
    else:
        services.set_shared(exercise, choice == "1")
        messages.success(
            request,
            _("Shared: every practice on this server can now read and give it.")
            if exercise.shared
            else _("Private again: only your practice sees it. Homework already given is not affected."),
        )
    return redirect("authoring:exercise", exercise.pk)
