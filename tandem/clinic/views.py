"""Therapist pages and the partners' side of the care link.

Couple data reaches a therapist only through the therapist door,
``tandem.couples.access.therapist_access_or_404``, which also audits the read;
their pages that name no couple are behind ``therapist_required`` (same module).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.clinic import services
from tandem.clinic.forms import CareCodeForm, CareInviteForm, EndLinkForm, HistoryForm, RegisterForm
from tandem.clinic.models import CareInvite, CareLink
from tandem.clinic.workspace_views import practice_page
from tandem.couples.access import couple_access_or_404, current_couple, therapist_access_or_404, therapist_required
from tandem.homework.models import Assignment
from tandem.homework.programs import advance_running
from tandem.security import throttle

# --- therapist side ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_therapist:
        return redirect("clinic:caseload")
    form = RegisterForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.register_therapist(request.user, form.cleaned_data["practice_name"])
        messages.success(request, _("You are registered as a therapist. Invite a couple when you're ready."))
        return redirect("clinic:caseload")
    return render(request, "clinic/register.html", {"form": form})


@therapist_required
@require_POST
def invite_create(request: HttpRequest) -> HttpResponse:
    form = CareInviteForm(request.POST)
    if not form.is_valid():
        # Show the page again with the note kept and its own error beside it.

        return practice_page(request, form)
    invite = services.create_care_invite(request.user.therapist, form.cleaned_data["label"])
    return _invite_created(request, invite)


@therapist_required
@require_POST
def invite_renew(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = get_object_or_404(CareInvite, pk=invite_id, therapist=request.user.therapist)
    try:
        fresh = services.renew_care_invite(invite)
    except services.CareError as error:
        messages.error(request, str(error))
        return redirect("clinic:practice")
    return _invite_created(request, fresh)


def _invite_created(request: HttpRequest, invite: CareInvite) -> HttpResponse:
    # Rendered, not redirected: the code and link exist only in this response.
    return render(
        request,
        "clinic/invite_created.html",
        {"invite": invite, "link": request.build_absolute_uri(reverse("clinic:link_join", args=[invite.token]))},
    )


@therapist_required
@require_POST
def invite_revoke(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = get_object_or_404(CareInvite, pk=invite_id, therapist=request.user.therapist)
    try:
        services.revoke_care_invite(invite)
        messages.success(request, _("The code was withdrawn."))
    except services.CareError as error:
        messages.error(request, str(error))
    return redirect("clinic:practice")


@therapist_required
@require_POST
def approve_stage(request: HttpRequest, couple_id, assignment_id: int) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, write=True)
    assignment = access.object_or_404(
        Assignment.objects.filter(exercise__kind="touch", status=Assignment.Status.COMPLETED), pk=assignment_id
    )
    if assignment.approved_at is None:
        assignment.approved_at = timezone.now()
        assignment.save(update_fields=["approved_at"])
        advance_running(access.couple)  # the approval may be what a program waits for
    messages.success(request, _("Approved. The next stage opens once both partners also felt comfortable."))
    return redirect("clinic:couple", couple_id=access.couple.pk)


# --- partners' side --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def link_with_code(request: HttpRequest) -> HttpResponse:
    form = CareCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Counted with partner codes (one "invite" throttle); a code that exists is taken back.
        if (claimed := throttle.claim("invite", request, account=request.user.pk)) is None:
            form.add_error("code", throttle.message("invite"))
        elif (invite := services.find_care_invite(code=form.cleaned_data["code"])) is None:
            form.add_error(
                "code", _("No therapist code matches. Check it with your therapist; codes look like ABCDE-FGHJK.")
            )
        else:
            throttle.release(claimed)
            if problem := services.care_invite_problem(invite, current_couple(request.user), request.user):
                form.add_error("code", problem)
            else:
                # No link to go to (only its hash is kept): the code comes along in the form.
                return _link(request, invite, accept="accept" in request.POST, code=form.cleaned_data["code"])
    return render(request, "clinic/link_code.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def link_join(request: HttpRequest, token: str) -> HttpResponse:
    if (claimed := throttle.claim("invite", request, account=request.user.pk)) is None:
        return render(request, "couples/join_problem.html", {"problem": throttle.message("invite")}, status=429)
    invite = services.find_care_invite(token=token)
    if invite is None:
        return render(
            request,
            "couples/join_problem.html",
            {"problem": _("This link isn't valid. Check that you copied all of it.")},
            status=404,
        )
    throttle.release(claimed)
    return _link(request, invite, accept=request.method == "POST")


def history_form(request: HttpRequest, therapist_name: str, *, bound: bool, initial: bool = False) -> HistoryForm:
    """The earlier-history question, answered (``bound``) or asked with this partner's current answer."""
    if bound:
        return HistoryForm(request.POST, therapist_name=therapist_name)
    return HistoryForm(therapist_name=therapist_name, initial={"share_history": "yes" if initial else "no"})


def _link(request: HttpRequest, invite: CareInvite, *, accept: bool, code: str = "") -> HttpResponse:
    """The "link with your therapist?" page for a found invite, and the partner's yes when asked.

    A couple who worked with a therapist before is also asked, as a question
    of its own, whether this therapist may read each partner's earlier history.
    """
    couple = current_couple(request.user)
    problem = services.care_invite_problem(invite, couple, request.user)
    history = None
    if problem is None and services.couple_has_earlier_history(couple):
        history = history_form(request, invite.therapist.user.display_name, bound=accept)
    if accept and problem is None and (history is None or history.is_valid()):
        try:
            services.redeem_care_invite(
                invite, couple, request.user, share_history=history is not None and history.shares
            )
        except services.CareError as error:
            problem = str(error)
        else:
            messages.success(request, _("Your yes is recorded. The link starts when your partner accepts too."))
            return redirect("home:couple", couple_id=couple.pk)
    if problem:
        return render(request, "couples/join_problem.html", {"problem": problem})
    return render(
        request,
        "clinic/link_join.html",
        {"invite": invite, "therapist": invite.therapist, "code": code, "history_form": history},
        status=400 if history is not None and history.is_bound else 200,
    )


@login_required
@require_POST
def link_consent(request: HttpRequest, couple_id, link_id: int) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    link = access.object_or_404(CareLink.objects.current().select_related("therapist__user"), pk=link_id)
    history = None
    if services.couple_has_earlier_history(access.couple, link):
        history = history_form(request, link.therapist.user.display_name, bound=True)
        if not history.is_valid():
            # Nothing is recorded until the question has an answer; it is asked again beside the yes.
            messages.error(request, history.errors["share_history"][0])
            return redirect("home:couple", couple_id=access.couple.pk)
    try:
        link = services.consent_to_link(link, request.user, share_history=history is not None and history.shares)
    except services.CareError as error:
        messages.error(request, str(error))
    else:
        if link.is_active:
            messages.success(request, _("The link is active. Your therapist now sees your couple in their list."))
        else:
            messages.success(request, _("Your yes is recorded. The link starts when your partner accepts too."))
    return redirect("home:couple", couple_id=access.couple.pk)


@login_required
@require_http_methods(["GET", "POST"])
def history(request: HttpRequest, couple_id, link_id: int) -> HttpResponse:
    """A partner's own answer about their earlier history, changed at any time
    while the link is current (a withdrawal counts from the next read)."""
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    link = access.object_or_404(CareLink.objects.current().select_related("therapist__user"), pk=link_id)
    name = link.therapist.user.display_name
    shared = link.history_consents.filter(partner=request.user).exists()
    form = history_form(request, name, bound=request.method == "POST", initial=shared)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_history_shared(link, request.user, form.shares)
        except services.CareError as error:
            messages.error(request, str(error))
        else:
            if form.shares:
                messages.success(request, _("%(name)s can now read what you shared before.") % {"name": name})
            else:
                messages.success(request, _("%(name)s no longer sees what you shared before.") % {"name": name})
        return redirect("home:couple", couple_id=access.couple.pk)
    return render(
        request,
        "clinic/history.html",
        {"form": form, "link": link, "couple": access.couple},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def link_end(request: HttpRequest, couple_id, link_id: int) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    link = access.object_or_404(CareLink.objects.current().select_related("therapist__user"), pk=link_id)
    form = EndLinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.end_link(link)
        messages.success(request, _("The therapist link has ended."))
        return redirect("home:couple", couple_id=access.couple.pk)
    return render(request, "clinic/link_end.html", {"form": form, "link": link, "couple": access.couple})
