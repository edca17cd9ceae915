"""Homework pages: this week, the library, one assignment.

Every view resolves the couple through ``couple_access_or_404`` (partners
only); assignments are looked up inside that couple with ``object_or_404``.
What a partner may read of the other's responses is decided by the shared
visibility rule in the queryset, never by the template.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from functools import lru_cache

import markdown
import markdown.treeprocessors
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tandem.couples.access import couple_access_or_404, to_my_couple
from tandem.drafts import services as drafts
from tandem.drafts.models import slot
from tandem.homework import holds, kinds, services
from tandem.homework.content import library
from tandem.homework.forms import DebriefForm, LibraryFilterForm, ProposeForm
from tandem.homework.kinds.base import Page, StepForm
from tandem.homework.models import Assignment, Debrief, Part, ProgramRun, Response

SAFE_LINK = ("http://", "https://", "mailto:", "/", "#")


class _SafeLinks(markdown.treeprocessors.Treeprocessor):
    """Links and images keep only web, mail and same-site addresses:
    therapists write exercises too, and ``javascript:`` has no place here."""

    def run(self, root):
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is not None and not value.strip().lower().startswith(SAFE_LINK):
                    del element.attrib[attribute]


def _render_markdown(text: str) -> str:
    return mark_safe(_markdown_html(text))  # noqa: S308 -- HTML from Markdown with raw HTML disabled


@lru_cache(maxsize=256)
def _markdown_html(text: str) -> str:
    # Exercise files are repository content reviewed like code, and practice
    # exercises are written by therapists; raw HTML in either is escaped
    # rather than trusted, and links are limited to safe schemes.
    # Cached by the text itself (a pure function of it): exercise bodies are
    # frozen per version, and converting one cost milliseconds on every view.
    md = markdown.Markdown(extensions=["sane_lists"])
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    md.treeprocessors.register(_SafeLinks(md), "safe_links", 0)
    return md.convert(text)


start = to_my_couple("homework:this_week")


@login_required
@require_safe
def this_week(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    assignments = [
        # Overdue homework reads as lapsed; the worker writes it, not this page.
        assignment.as_read()
        for assignment in Assignment.objects.filter(couple=access.couple)
        .select_related("exercise")
        .prefetch_related("parts")
        # Every hold (a pause, pause everything, a hard season, …) rides
        # along as one code per row: held homework is listed apart, with its
        # reason, never under "Open for us now".
        .with_holds()
        .with_overdue()
        .order_by("-created_at")[:50]
    ]
    rows = [_summary(a, request.user) for a in assignments]
    runs = ProgramRun.objects.filter(couple=access.couple, finished_at=None, stopped_at=None)
    return render(
        request,
        "homework/this_week.html",
        {
            "couple": access.couple,
            "open_rows": [r for r in rows if r["assignment"].is_open and not r["hold"]],
            "held_rows": [r for r in rows if r["hold"]],
            "done_rows": [r for r in rows if r["assignment"].status == "completed"][:10],
            "lapsed_rows": [r for r in rows if r["assignment"].status == "lapsed"][:5],
            "runs": runs,
        },
    )


def _summary(assignment: Assignment, user) -> dict:
    parts = list(assignment.parts.all())
    mine = next(p for p in parts if p.user_id == user.pk)
    if assignment.status == Assignment.Status.PROPOSED:
        done = sum(1 for p in parts if p.opted_in_at)
    else:
        done = sum(1 for p in parts if p.done_at)
    return {
        "assignment": assignment,
        "mine": mine,
        "parts_done": done,
        "hold": (hold := holds.shown(assignment)),
        "held_reason": holds.reason(hold),
        "kind_label": kinds.get(assignment.exercise.kind).label,
    }


@login_required
@require_safe
def library_page(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    facts = holds.of_couple(access.couple)
    form = LibraryFilterForm(request.GET or None, kinds=kinds.choices())
    data = form.cleaned_data if form.is_valid() else {}
    asked = [s for s in library().exercises.values() if _matches(s, data)]
    specs = [s for s in asked if not facts.hidden(s)]
    specs.sort(key=lambda s: (s.intimacy_level, s.minutes, s.title))
    running = set(
        ProgramRun.objects.filter(couple=access.couple, finished_at=None, stopped_at=None).values_list(
            "slug", flat=True
        )
    )
    return render(
        request,
        "homework/library.html",
        {
            "couple": access.couple,
            "access": access,
            # Each exercise with why it is held now ("" when it can be suggested).
            "items": [(spec, facts.reason(facts.spec(spec))) for spec in specs],
            # Nothing shown, but a closer level chosen by both would show some:
            # said so in the same words to both (boundaries never come into it).
            "level_hides": not specs and any(facts.above_level(s) for s in asked),
            "form": form,
            "programs": [p for p in library().programs.values() if p.slug not in running],
        },
    )


def _matches(spec, filters: dict) -> bool:
    """Whether ``spec`` fits the library's filters (none: every exercise)."""
    if filters.get("kind") and spec.kind != filters["kind"]:
        return False
    if filters.get("level") is not None and spec.intimacy_level != filters["level"]:
        return False
    return not (filters.get("minutes") and spec.minutes > filters["minutes"])


def _spec_or_404(slug: str, facts: holds.CoupleHolds) -> object:
    spec = library().exercise(slug)
    # Above the couple's level or outside their boundaries an exercise is as
    # good as absent: saying more would hint at a partner's level or "no".
    if spec is None or facts.hidden(spec):
        raise Http404
    return spec


@login_required
@require_safe
def exercise_page(request: HttpRequest, couple_id, slug: str) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    facts = holds.of_couple(access.couple)
    return _exercise_page(request, access, facts, _spec_or_404(slug, facts), ProposeForm())


def _exercise_page(request: HttpRequest, access, facts, spec, form) -> HttpResponse:
    return render(
        request,
        "homework/exercise.html",
        {
            "couple": access.couple,
            "spec": spec,
            "body": _render_markdown(spec.body),
            "kind_label": kinds.get(spec.kind).label,
            "form": form,
            # Held now: the reason instead of a form the server would refuse.
            "held_reason": facts.reason(facts.spec(spec)),
        },
    )


@login_required
@require_POST
def propose(request: HttpRequest, couple_id, slug: str) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    facts = holds.of_couple(access.couple)
    spec = _spec_or_404(slug, facts)
    form = ProposeForm(request.POST)
    if not form.is_valid():
        return _exercise_page(request, access, facts, spec, form)
    try:
        assignment = services.propose(access.couple, spec, request.user, due_at=form.due_at())
    except services.HomeworkError as error:
        form.add_error(None, str(error))
        return _exercise_page(request, access, facts, spec, form)
    messages.success(request, _("Suggested. It starts when your partner says yes too."))
    return redirect("homework:assignment", couple_id=access.couple.pk, assignment_id=assignment.pk)


def assignment_in_couple(
    request: HttpRequest, couple_id, assignment_id: int, *, writing: bool = False, stamped: bool = False
):
    """The access and the assignment, for a partner of its couple (404 for anyone else).

    ``stamped``: with what ``Assignment.turn_stamp`` reads, in the same query."""
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=writing)
    qs = Assignment.objects.select_related("exercise", "couple").with_holds().with_overdue()
    if stamped:
        qs = qs.with_turn_stamp(request.user)
    # Overdue homework reads as lapsed (the worker writes it); every step
    # re-reads the row under its lock, so nothing is decided on this copy.
    return access, access.object_or_404(qs, pk=assignment_id).as_read()


def refuse_in_closed_space(access) -> None:
    """Words sent in a space that closed meanwhile are refused like any hold,
    and shown back on the page (a 404 would lose them)."""
    if code := holds.space(access.couple):
        raise services.HomeworkError(holds.reason(code))


@login_required
def assignment_page(
    request: HttpRequest,
    couple_id,
    assignment_id: int,
    *,
    bound: dict | None = None,
    step_action: str = "",
    refused: str = "",
    asked: str = "",
):
    """One assignment: what every kind shows, and its kind's work panel.

    ``bound``: forms given back after a refused POST, by their name on the
    page (``step_form``, ``answer_form``, ``debrief_form``…), so that what was
    typed is shown again beside the reason. ``asked``: the wording hint a
    step asks about before sending (``Action.ask_first``); its words are back
    in the box, with "Rephrase" and "Send as it is"."""
    access, assignment = assignment_in_couple(request, couple_id, assignment_id, stamped=True)
    bound = bound or {}
    user = request.user
    spec = assignment.spec
    kind = kinds.get(spec.kind)
    # Prefetched, so the kinds' context (listening turns, touch readiness) reuses them instead of asking again.
    prefetch_related_objects([assignment], Prefetch("parts", queryset=Part.objects.select_related("user")))
    parts = {p.user_id: p for p in assignment.parts.all()}
    mine = parts[user.pk]
    # The other part's person is the partner (both parts are made at propose
    # time, for the couple's two partners): no separate membership query.
    partner = next((p.user for p in parts.values() if p.user_id != user.pk), None)
    has_therapist = access.has_therapist
    responses = Response.objects.filter(assignment=assignment)
    # The visibility rule decides, in SQL, what this person may read…
    readable = list(responses.readable_by(user))
    # …and what they may only know exists (a sealed answer).
    visible = {(r.author_id, r.step) for r in responses.visible_to(user).only("author_id", "step")}
    debriefs = {d.author_id: d for d in Debrief.objects.filter(assignment=assignment).readable_by(user)}
    pausers = set(assignment.pauses.values_list("user_id", flat=True))
    hold = holds.shown(assignment)  # read with the assignment: the same words as on every other page
    context = {
        "couple": access.couple,
        "access": access,
        "assignment": assignment,
        "spec": spec,
        "body": _render_markdown(spec.body),
        "kind_label": kind.label,
        "kind_template": kind.template,
        "mine": mine,
        "partner_part": parts.get(getattr(partner, "pk", None)),
        "my_role": spec.roles[mine.role],
        "partner": partner,
        "held": bool(hold),
        "held_reason": holds.reason(hold),
        "my_pause": user.pk in pausers,
        "step_form": bound.get("step_form") or StepForm(),
        "step_action": step_action,
        "ask_hint": asked,
        # The live page compares it with ``turns:stamp`` to know when the partner moved.
        "turn_stamp": assignment.turn_stamp,
        "my_debrief": debriefs.get(user.pk),
        "partner_debrief": debriefs.get(getattr(partner, "pk", None)),
        "debrief_form": bound.get("debrief_form")
        or DebriefForm(
            touch=kind.staged,
            has_therapist=has_therapist,
            # Called only if the form is shown: no query for a page without it.
            initial={"note": lambda: drafts.restored_text(request, access.couple, slot("debrief", assignment.pk))},
        ),
    }
    page = Page(
        assignment=assignment,
        user=user,
        partner=partner,
        mine=mine,
        parts=list(parts.values()),
        readable=readable,
        visible=visible,
        access=access,
        forms=bound,
    )
    context.update(kind.context(page))
    # A refused step (the partner paused or answered a moment earlier) must
    # not swallow what was typed: show it back, unsaved, to copy.
    for name, form in bound.items():
        # A refused debrief may not be on the page to keep its note: show that too.
        field = "note" if name == "debrief_form" else "body"
        if (name == "debrief_form" and not refused) or asked:
            continue  # asked first, nothing went wrong: the words are in their box
        if form.is_bound and (form.data.get(field) or "").strip():
            context["unsaved_text"] = form.data[field]
    # Why a step was refused; a hold's reason is on the page already, once.
    if refused and refused != context["held_reason"]:
        messages.error(request, refused)
    if assignment.status == Assignment.Status.LAPSED:
        # "Start it again" proposes it anew: not offered while that would be refused.
        facts = holds.of_couple(access.couple)
        context["renew_reason"] = facts.reason(facts.spec(spec, run=assignment.program_run))
    if request.headers.get("HX-Request") == "true":
        # The live page asks for its whole turn region once the stamp changed (app.js, "Live turns").
        part = "turn-region" if request.headers.get("HX-Target") == "turn-region" else "work-panel"
        return render(request, f"homework/assignment.html#{part}", {**context, "htmx": True})
    return render(request, "homework/assignment.html", context)


def _action(request: HttpRequest, couple_id, assignment_id: int, action, success: str) -> HttpResponse:
    _access, assignment = assignment_in_couple(request, couple_id, assignment_id, writing=True)
    try:
        action(assignment, request.user)
    except services.HomeworkError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("homework:assignment", couple_id=couple_id, assignment_id=assignment_id)


@login_required
@require_POST
def opt_in(request, couple_id, assignment_id: int):
    return _action(request, couple_id, assignment_id, services.opt_in, _("You're in."))


@login_required
@require_POST
def set_aside(request, couple_id, assignment_id: int):
    return _action(
        request, couple_id, assignment_id, services.set_aside, _("Set aside. Nobody is told who chose this.")
    )


@login_required
@require_POST
def pause(request, couple_id, assignment_id: int):
    return _action(request, couple_id, assignment_id, services.pause, _("Paused. Only you can lift this pause."))


@login_required
@require_POST
def resume(request, couple_id, assignment_id: int):
    return _action(request, couple_id, assignment_id, services.resume, _("Your pause is lifted."))


@login_required
@require_POST
def renew(request, couple_id, assignment_id: int):
    _access, assignment = assignment_in_couple(request, couple_id, assignment_id, writing=True)
    try:
        fresh = services.renew(assignment, request.user)
    except services.HomeworkError as error:
        messages.error(request, str(error))
        return redirect("homework:assignment", couple_id=couple_id, assignment_id=assignment_id)
    messages.success(request, _("Renewed as a new suggestion."))
    return redirect("homework:assignment", couple_id=couple_id, assignment_id=fresh.pk)


@login_required
@require_safe
def history(request: HttpRequest, couple_id) -> HttpResponse:
    """Completed homework, with what each of us chose to share."""
    access = couple_access_or_404(request, couple_id, partners_only=True)
    user = request.user
    done = list(
        Assignment.objects.filter(couple=access.couple, status=Assignment.Status.COMPLETED)
        .select_related("exercise")
        .order_by("-completed_at")[:50]
    )
    ids = [a.pk for a in done]
    # Two queries for all of it; the visibility rule filters in SQL.
    responses = Response.objects.filter(assignment_id__in=ids).readable_by(user).select_related("author")
    debriefs = Debrief.objects.filter(assignment_id__in=ids).readable_by(user).select_related("author")
    by_assignment: dict[int, dict] = {a.pk: {"assignment": a, "responses": [], "debriefs": []} for a in done}
    for response in responses.order_by("created_at"):
        by_assignment[response.assignment_id]["responses"].append(response)
    for entry in debriefs:
        by_assignment[entry.assignment_id]["debriefs"].append(entry)
    return render(request, "homework/history.html", {"couple": access.couple, "items": list(by_assignment.values())})


LOAD_WEEKS = 12


def load_balance(mine: int, theirs: int, partner) -> dict:
    """One shared balance in words, not two scores side by side.

    The page is about the pair: a tilt is said as "more often" over weeks,
    never as numbers to compare, and the nudge (when it is mostly one of
    them) is for both."""
    total = mine + theirs
    if not total:
        return {"total": 0}
    share = mine / total
    if 0.4 <= share <= 0.6 or partner is None:
        words = _("About even")
    elif share > 0.6:
        words = _("Lately more often you")
    else:
        words = _("Lately more often %(name)s") % {"name": partner.display_name}
    return {
        "total": total,
        "words": words,
        # The bar's two parts, in per cent of its width (an SVG attribute: no inline style under the CSP).
        "mine_pct": round(share * 100),
        "lopsided": total >= 4 and max(share, 1 - share) >= 0.75,
    }


@login_required
@require_safe
def load(request: HttpRequest, couple_id) -> HttpResponse:
    """Who has been planning and starting lately, as one shared balance."""
    access = couple_access_or_404(request, couple_id, partners_only=True)
    since = timezone.now() - timedelta(weeks=LOAD_WEEKS)
    recent = Assignment.objects.filter(couple=access.couple, created_at__gte=since)
    started = Counter(recent.filter(source=Assignment.Source.COUPLE).values_list("proposed_by_id", flat=True))
    planned = Counter(recent.exclude(planner=None).values_list("planner_id", flat=True))
    me, partner = request.user, access.couple.partner_of(request.user)
    rows = []
    for label, counts in ((_("Starting"), started), (_("Planning"), planned)):
        rows.append({"label": label, **load_balance(counts[me.pk], counts[partner.pk] if partner else 0, partner)})
    return render(
        request,
        "homework/load.html",
        {"couple": access.couple, "rows": rows, "weeks": LOAD_WEEKS, "partner": partner},
    )


# The URL for the assignment page reads only; the step views above render
# the same page (``assignment_page``) after a POST.
assignment_view = require_safe(assignment_page)
