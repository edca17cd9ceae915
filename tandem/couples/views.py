"""Couple space pages: create, invite, join, leave.

Every view that names a couple resolves it through
``tandem.couples.access``; nothing here looks a couple up directly.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts import services as accounts
from tandem.accounts.forms import ConsentLevelForm
from tandem.couples import services
from tandem.couples.access import couple_access_or_404, current_couple
from tandem.couples.forms import InviteCodeForm, LeaveForm
from tandem.couples.models import Invite
from tandem.security import throttle


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def invite_panel_context(request: HttpRequest, access, fresh: Invite | None = None) -> dict:
    """What the invite panel needs (on the couple page and after creating or withdrawing).

    ``fresh`` is the invite just made: only then are its link and code known,
    so only that response can show them."""
    couple = access.couple
    partner = couple.partner_of(request.user)
    return {
        "couple": couple,
        "partner": partner,
        "access": access,
        "pending_invite": fresh or couple.waiting_invite(partner),
        "site_root": request.build_absolute_uri("/").rstrip("/"),
    }


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    try:
        couple = services.create_couple(request.user)
    except services.CoupleError as error:
        messages.error(request, str(error))
        return redirect("home:home")
    messages.success(request, _("Your couple space is ready. Now invite your partner."))
    return redirect("home:couple", couple_id=couple.pk)


@login_required
@require_POST
def invite_create(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    try:
        invite = services.create_invite(access.couple, request.user)
    except services.CoupleError as error:
        messages.error(request, str(error))
        return _invite_panel_or_redirect(request, access)
    # Rendered, not redirected: the link and code exist only in this response.
    context = invite_panel_context(request, access, fresh=invite)
    if _is_htmx(request):
        return render(request, "couples/_invite_panel.html", {**context, "htmx": True})
    return render(request, "couples/invite_created.html", context)


@login_required
@require_POST
def invite_revoke(request: HttpRequest, couple_id, invite_id: int) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    invite = access.object_or_404(Invite.objects.all(), pk=invite_id)
    try:
        services.revoke_invite(invite)
        messages.success(request, _("The invite was withdrawn. The old link and code no longer work."))
    except services.CoupleError as error:
        messages.error(request, str(error))
    return _invite_panel_or_redirect(request, access)


def _invite_panel_or_redirect(request: HttpRequest, access) -> HttpResponse:
    if _is_htmx(request):
        context = {**invite_panel_context(request, access), "htmx": True}
        return render(request, "couples/_invite_panel.html", context)
    return redirect("home:couple", couple_id=access.couple.pk)


@login_required
@require_http_methods(["GET", "POST"])
def leave(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    form = LeaveForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.leave_couple(access.couple)
        except services.CoupleError as error:
            messages.error(request, str(error))
            return redirect("home:home")
        messages.success(
            request,
            ngettext(
                "The couple space is closed. For %(days)d day you can both still read and export it; "
                "nobody can change it.",
                "The couple space is closed. For %(days)d days you can both still read and export it; "
                "nobody can change it.",
                settings.BREAKUP_READ_DAYS,
            )
            % {"days": settings.BREAKUP_READ_DAYS},
        )
        return redirect("home:home")
    context = {
        "form": form,
        "couple": access.couple,
        "read_days": settings.BREAKUP_READ_DAYS,
        "retention_days": settings.CLOSED_SPACE_RETENTION_DAYS,
    }
    return render(request, "couples/leave.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def join_with_code(request: HttpRequest) -> HttpResponse:
    """Type the code, see whose invite it is, then join (the code comes along
    in the form: there is no link to go to, as only its hash is kept)."""
    form = InviteCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if (claimed := throttle.claim("invite", request, account=request.user.pk)) is None:
            form.add_error("code", throttle.message("invite"))
        elif (invite := services.find_invite(code=form.cleaned_data["code"])) is None:
            form.add_error(
                "code", _("No invite has this code. Check it with your partner; codes look like ABCDE-FGHJK.")
            )
        else:
            throttle.release(claimed)
            if problem := services.invite_problem(invite, request.user):
                form.add_error("code", problem)
            else:
                accept, action = "accept" in request.POST, reverse("couples:join_code")
                return _join(request, invite, accept=accept, action=action, code=form.cleaned_data["code"])
    return render(request, "couples/join_code.html", {"form": form})


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    if not request.user.is_authenticated:
        if request.method != "GET":
            return redirect_to_login(request.get_full_path())  # joining needs an account
        return _invite_landing(request, token)
    if (claimed := throttle.claim("invite", request, account=request.user.pk)) is None:
        return render(request, "couples/join_problem.html", {"problem": throttle.message("invite")}, status=429)
    invite = services.find_invite(token=token)
    if invite is None:
        return render(
            request,
            "couples/join_problem.html",
            {"problem": _("This invite link isn't valid. Check that you copied all of it.")},
            status=404,
        )
    throttle.release(claimed)
    return _join(request, invite, accept=request.method == "POST", action=reverse("couples:join", args=[token]))


def _invite_landing(request: HttpRequest, token: str) -> HttpResponse:
    """The invite link opened signed out: who invited you, what Tandem is, and
    a way to sign up or log in that comes back here.

    The link is a secret, so the visitor learns as little as will do: the
    inviter's display name, and only while the invite can still be used. The
    same throttle as a signed-in lookup (by address: there is no account)."""
    if (claimed := throttle.claim("invite", request)) is None:
        return render(request, "couples/join_problem.html", {"problem": throttle.message("invite")}, status=429)
    invite = services.find_invite(token=token)
    if invite is None:
        return render(
            request,
            "couples/join_problem.html",
            {"problem": _("This invite link isn't valid. Check that you copied all of it.")},
            status=404,
        )
    throttle.release(claimed)
    if problem := services.invite_problem_for_visitor(invite):
        return render(request, "couples/join_problem.html", {"problem": problem})
    back = request.get_full_path()
    return render(request, "couples/invite_landing.html", {"inviter": invite.created_by, "back": back})


def _join(request: HttpRequest, invite: Invite, *, accept: bool, action: str, code: str = "") -> HttpResponse:
    """The "join your partner" page for a found invite, and joining when asked."""
    problem = services.invite_problem(invite, request.user)
    if accept and problem is None:
        try:
            couple = services.accept_invite(invite, request.user)
        except services.CoupleError as error:
            problem = str(error)
        else:
            messages.success(
                request, _("You joined %(name)s in your couple space.") % {"name": invite.created_by.display_name}
            )
            # The next step for the one who joined: the consent question, asked privately.
            return redirect("couples:consent_question", couple_id=couple.pk)
    if problem:
        return render(
            request, "couples/join_problem.html", {"problem": problem, "current": current_couple(request.user)}
        )
    return render(
        request, "couples/join.html", {"invite": invite, "inviter": invite.created_by, "action": action, "code": code}
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_question(request: HttpRequest, couple_id) -> HttpResponse:
    """ "What are you open to right now?", asked of each partner once they are a couple.

    Saved as the profile saves it (the same form field, the same
    ``consent_level_changed``), seen by nobody else. "Not now" keeps the
    level as it is; either way the question is not asked again."""
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    user = request.user
    previous = user.consent_level
    form = ConsentLevelForm(request.POST if request.method == "POST" else None, instance=user)
    if request.method == "POST" and "not_now" in request.POST:
        services.close_consent_question(access.couple, user)
        messages.info(request, _("Nothing changed. You can choose any time in your profile."))
        return redirect("home:home")
    if request.method == "POST" and form.is_valid():
        form.save()
        accounts.consent_level_changed(user, previous)
        services.close_consent_question(access.couple, user)
        messages.success(request, _("Saved. Only you see it, and you can change it any time in your profile."))
        return redirect("home:home")
    return render(request, "couples/consent_question.html", {"form": form, "couple": access.couple})
