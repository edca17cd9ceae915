"""Boundaries pages: answer privately, finish a section, see only matches."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tandem.boundaries import agreements as service
from tandem.boundaries import services
from tandem.boundaries.catalogue import catalogue
from tandem.boundaries.forms import AnswerForm, CustomItemForm, VocabularyForm
from tandem.boundaries.models import (
    Agreement,
    Answer,
    AnswerChange,
    ConsentVocabulary,
    CustomItem,
    MatchSharing,
    SectionDone,
    Value,
)
from tandem.core.dates import parse_day
from tandem.couples.access import couple_access_or_404, current_couple


@login_required
@require_safe
def overview(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    done = set(SectionDone.objects.filter(couple=access.couple).values_list("author_id", "section"))
    sections = [
        {
            "section": section,
            "i_finished": (request.user.pk, section.slug) in done,
            "revealed": sum(1 for _a, s in done if s == section.slug) == 2,
        }
        for section in catalogue().values()
    ]

    sharing = set(MatchSharing.objects.filter(couple=access.couple).values_list("user_id", flat=True))
    return render(
        request,
        "boundaries/overview.html",
        {
            "couple": access.couple,
            "access": access,
            "sections": sections,
            "has_therapist": access.has_therapist,
            "i_share": request.user.pk in sharing,
            "sharing_on": len(sharing) == 2,
        },
    )


def _answers_on_the_form(data, items) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """The answers a section form carries: ({key: (value, note)}, {key: error}).

    Only items that are on the form: one it does not carry (added meanwhile,
    or an older page) is left as it is, never taken as "unanswered". On an
    error the entry holds what was typed, to show it back."""
    submitted: dict[str, tuple[str, str]] = {}
    errors: dict[str, str] = {}
    for item in items:
        if f"value-{item.key}" not in data and f"note-{item.key}" not in data:
            continue
        form = AnswerForm.for_item(data, item.key)
        if form.is_valid():
            submitted[item.key] = (form.cleaned_data["value"], form.cleaned_data["note"])
        else:
            errors[item.key] = form.first_error()
            submitted[item.key] = (form.data["value"], form.data["note"].strip())
    return submitted, errors


def _section_page(
    request: HttpRequest,
    access,
    section: str,
    items,
    *,
    submitted: dict[str, tuple[str, str]] | None = None,
    errors: dict[str, str] | None = None,
    confirm_empty: bool = False,
    new_item: CustomItemForm | None = None,
    status: int | None = None,
) -> HttpResponse:
    couple, user = access.couple, request.user
    submitted, errors = submitted or {}, errors or {}
    mine = {a.item_key: a for a in Answer.objects.filter(couple=couple, author=user)}

    def shown(key: str) -> tuple[str, str]:
        # After a refused save, what was typed; otherwise what is saved.
        if key in submitted:
            return submitted[key]
        saved = mine.get(key)
        return (saved.value, saved.note) if saved else ("", "")

    matches = services.matches(couple, user, section, items=items)
    rows = [
        {"item": item, "value": shown(item.key)[0], "note": shown(item.key)[1], "error": errors.get(item.key, "")}
        for item in items
    ]
    return render(
        request,
        "boundaries/section.html",
        {
            "couple": couple,
            "access": access,
            "section": catalogue()[section],
            "rows": rows,
            "values": Value.choices,
            "i_finished": SectionDone.objects.filter(couple=couple, author=user, section=section).exists(),
            "matches": matches,
            # Only about the viewer: whether *the partner* answered is never told.
            "i_answered": services.answered_any(couple, user, section, items=items, answers=mine.values()),
            "confirm_empty": confirm_empty,
            "new_item": new_item,
        },
        status=status or (400 if errors else 200),
    )


def _section_or_404(request: HttpRequest, couple_id, section: str, *, writing: bool):
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=writing)
    if section not in catalogue():
        raise Http404
    return access, services.section_items(access.couple, section)


@login_required
@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, couple_id, section: str) -> HttpResponse:
    access, items = _section_or_404(request, couple_id, section, writing=request.method == "POST")
    if request.method == "POST" and request.POST.get("label", "").strip():
        # A new item typed in its box goes in with the answers (Enter in
        # that box sends the form by its first button, "Save my answers").
        return _add_item(request, access, section, items)
    if request.method == "POST":
        submitted, errors = _answers_on_the_form(request.POST, items)
        if errors:
            messages.error(request, _("Something needs a second look; nothing was saved yet."))
            return _section_page(request, access, section, items, submitted=submitted, errors=errors)
        services.save_answers(access.couple, request.user, section, submitted)
        messages.success(request, _("Saved. Only you can see your answers."))
        return redirect("boundaries:section", couple_id=access.couple.pk, section=section)
    return _section_page(request, access, section, items)


@login_required
@require_POST
def finish(request: HttpRequest, couple_id, section: str) -> HttpResponse:
    """Finish (or open again) a section, keeping first what is on the form:
    the finish buttons belong to the answers form, so nothing tapped but
    not yet saved is lost."""
    access, items = _section_or_404(request, couple_id, section, writing=True)
    couple, user = access.couple, request.user
    submitted, errors = _answers_on_the_form(request.POST, items)
    if errors:
        if request.POST.get("reopen"):
            messages.error(request, _("Something needs a second look; nothing was saved yet."))
        else:
            messages.error(
                request, _("Something needs a second look; nothing was saved and the section isn't finished yet.")
            )
        return _section_page(request, access, section, items, submitted=submitted, errors=errors)
    services.save_answers(couple, user, section, submitted)
    if request.POST.get("reopen"):
        services.reopen(couple, user, section)
        messages.success(request, _("Opened again: your matches here are hidden until you finish it again."))
    elif not services.answered_any(couple, user, section, items=items) and request.POST.get("empty") != "ok":
        # Most likely a slip (or answers that never reached us): ask before
        # finishing a section with nothing in it that could ever match.
        return _section_page(request, access, section, items, confirm_empty=True)
    else:
        services.finish(couple, user, section)
        messages.success(request, _("Finished. Matches appear when your partner has finished this section too."))
    return redirect("boundaries:section", couple_id=couple.pk, section=section)


@login_required
@require_POST
def answer(request: HttpRequest, couple_id, section: str) -> HttpResponse:
    """Keep one item's answer as it is tapped (htmx, on change). Answers the
    item's status line: what is saved now, or what is wrong (422, which
    htmx shows; nothing saved is touched)."""
    access, items = _section_or_404(request, couple_id, section, writing=True)
    key = request.POST.get("item", "")
    if key not in {item.key for item in items}:
        problem = _("That item isn't in this section any more. Reload the page to see the section as it is now.")
        return _item_status(request, error=problem)
    form = AnswerForm.for_item(request.POST, key)
    if not form.is_valid():
        return _item_status(request, error=form.first_error())
    value, note = form.cleaned_data["value"], form.cleaned_data["note"]
    services.save_answers(access.couple, request.user, section, {key: (value, note)})
    return _item_status(request, value=value, note=note)


def _item_status(request: HttpRequest, *, error: str = "", value: str = "", note: str = "") -> HttpResponse:
    # The saved state names what is saved ("Saved: yes"), so a later tap
    # that never reached us can't leave a status that claims it did.
    context = {"error": error, "saved": not error, "saved_label": Value(value).label if value else _("Not now")}
    context["saved_note"] = bool(note)
    return render(request, "boundaries/section.html#item-status", context, status=422 if error else 200)


@login_required
@require_POST
def add_item(request: HttpRequest, couple_id, section: str) -> HttpResponse:
    """Add an item for both partners to answer, keeping first what is on the form.

    The "Add" button belongs to the answers form (as the finish buttons do),
    so answers tapped but not yet saved (no JavaScript, or a save still on its
    way) go with it instead of being lost in the redirect; a refused label
    comes back in its box with the reason."""
    access, items = _section_or_404(request, couple_id, section, writing=True)
    return _add_item(request, access, section, items)


def _add_item(request: HttpRequest, access, section: str, items) -> HttpResponse:
    submitted, errors = _answers_on_the_form(request.POST, items)
    form = CustomItemForm(request.POST)
    label_ok = form.is_valid()
    if errors:
        messages.error(request, _("Something needs a second look; nothing was saved and the item isn't added yet."))
    elif submitted:
        services.save_answers(access.couple, request.user, section, submitted)
    if errors or not label_ok:
        if not errors:
            messages.error(request, " ".join(form.errors["label"]))
        return _section_page(
            request, access, section, items, submitted=submitted, errors=errors, new_item=form, status=400
        )
    CustomItem.objects.create(couple=access.couple, section=section, label=form.cleaned_data["label"])
    messages.success(request, _("Added for both of you to answer. Nobody is told who added it."))
    return redirect("boundaries:section", couple_id=access.couple.pk, section=section)


@login_required
@require_safe
def history(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True)
    labels = {item.key: item.label for s in catalogue().values() for item in s.items}
    labels.update({c.key: c.label for c in CustomItem.objects.filter(couple=access.couple)})
    changes = AnswerChange.objects.filter(couple=access.couple, author=request.user)[:200]
    return render(
        request,
        "boundaries/history.html",
        {"couple": access.couple, "changes": [(c, labels.get(c.item_key, c.item_key)) for c in changes]},
    )


@login_required
@require_POST
def pause_everything(request: HttpRequest) -> HttpResponse:
    """Pause (or lift my pause of) all intimacy homework, from any page."""
    couple = current_couple(request.user)
    if couple is None:
        raise Http404
    if request.POST.get("lift"):
        if services.lift_my_pause(couple, request.user):
            messages.success(request, _("Your pause is lifted."))
        else:
            messages.error(request, _("There is no pause of yours to lift."))
    else:
        services.pause_everything(couple, request.user)
        messages.success(request, _("All intimacy homework is paused. Only you can lift your pause; nobody asks why."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("home:home")


def _agreement_form_data(request: HttpRequest) -> tuple[dict, dict]:
    """Read and check an agreement form; returns (clean data, errors)."""

    errors: dict[str, str] = {}
    group = request.POST.get("group", "")
    text = request.POST.get("text", "").strip()
    raw_date = request.POST.get("revisit_on", "").strip()
    revisit_on = None
    if group not in Agreement.Group.values:
        errors["group"] = _("Choose comfortable, off-limits, or revisit on a date.")
    if not text:
        errors["text"] = _("Write the agreement in a sentence or two.")
    elif len(text) > 1000:
        errors["text"] = _("Keep it under 1000 characters (it has %(n)d).") % {"n": len(text)}
    if raw_date:
        try:
            revisit_on = parse_day(raw_date, wrong_shape=_("Enter a date like 2027-03-01."))
        except ValidationError as error:
            errors["revisit_on"] = error.messages[0]
    if group == Agreement.Group.REVISIT and not raw_date:
        errors["revisit_on"] = _("Pick the date you'll look at this again.")
    return {"group": group, "text": text, "revisit_on": revisit_on, "raw_date": raw_date}, errors


@login_required
@require_http_methods(["GET", "POST"])
def agreements(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    couple, user = access.couple, request.user
    data, errors = {}, {}
    if request.method == "POST":
        data, errors = _agreement_form_data(request)
        agreement_id = request.POST.get("agreement")
        if not errors:
            if agreement_id:
                agreement = access.object_or_404(Agreement.objects.all(), pk=agreement_id)
                service.edit(agreement, user, data["text"], data["revisit_on"])
                messages.success(request, _("Your new version is waiting for your partner's confirmation."))
            else:
                service.create(couple, user, data["group"], data["text"], data["revisit_on"])
                messages.success(request, _("Written down. It becomes active when your partner confirms it too."))
            return redirect("boundaries:agreements", couple_id=couple.pk)
        messages.error(request, _("Something needs a second look; nothing was saved yet."))
    vocabulary = ConsentVocabulary.objects.filter(couple=couple).first()
    return render(
        request,
        "boundaries/agreements.html",
        {
            "couple": couple,
            "access": access,
            "states": service.states(couple, user, user.today()),
            "groups": Agreement.Group.choices,
            "data": data,
            "errors": errors,
            "vocabulary": vocabulary,
            "vocabulary_form": VocabularyForm(instance=vocabulary),
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def agreement_action(request: HttpRequest, couple_id, agreement_id: int, action: str) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    agreement = access.object_or_404(Agreement.objects.all(), pk=agreement_id)
    try:
        if action == "confirm":
            newest = agreement.versions.first()
            service.confirm(newest, request.user)
            messages.success(request, _("Confirmed."))
        elif action == "withdraw":
            service.withdraw(agreement, request.user)
            messages.success(request, _("Your confirmation is withdrawn; the agreement is suspended for now."))
        else:
            raise Http404
    except services.BoundaryError as error:
        messages.error(request, str(error))
    return redirect("boundaries:agreements", couple_id=access.couple.pk)


@login_required
@require_POST
def share_matches(request: HttpRequest, couple_id) -> HttpResponse:
    """Say yes (or no longer yes) to showing our matches to our therapist."""

    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    if request.POST.get("stop"):
        MatchSharing.objects.filter(couple=access.couple, user=request.user).delete()
        messages.success(request, _("Your therapist no longer sees your matches."))
    else:
        MatchSharing.objects.get_or_create(couple=access.couple, user=request.user)
        messages.success(request, _("Noted. Your therapist sees your matches only once both of you have said yes."))
    return redirect("boundaries:overview", couple_id=access.couple.pk)


@login_required
@require_POST
def vocabulary(request: HttpRequest, couple_id) -> HttpResponse:
    """Save the couple's consent words (either partner; both see them)."""
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    instance = ConsentVocabulary.objects.filter(couple=access.couple).first() or ConsentVocabulary(couple=access.couple)
    form = VocabularyForm(request.POST, instance=instance)
    if form.is_valid():
        saved = form.save(commit=False)
        saved.updated_by = request.user
        saved.save()
        messages.success(request, _("Your words are saved. You'll find them on your couple page."))
        return redirect("home:couple", couple_id=access.couple.pk)
    # Shown again on its own page, with everything typed kept.
    return render(request, "boundaries/vocabulary.html", {"couple": access.couple, "form": form})
