"""Two-factor, "confirm it's you" and the list of sessions."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tandem.core import crypto
from tandem.security import login_flow, reauth, sessions, throttle, twofactor
from tandem.security.forms import ConfirmForm, DisableForm, LoginCodeForm, SetupForm

NEW_CODES = "security.new_recovery_codes"


# The plain codes cross one redirect in the session, which lives in the
# database: sealed like any free text, and opened only within a few minutes.
CODES_LABEL = "security.session.recovery_codes"
CODES_MAX_AGE = 600


def _keep_codes_for_one_page(request: HttpRequest, codes: list[str]) -> None:
    request.session[NEW_CODES] = [crypto.encrypt(" ".join(codes), CODES_LABEL), time.time()]


def _codes_kept(request: HttpRequest) -> list[str] | None:
    kept = request.session.pop(NEW_CODES, None)
    if not kept:
        return None
    token, at = kept
    if time.time() - at > CODES_MAX_AGE:
        return None
    return crypto.decrypt(token, CODES_LABEL).split(" ")


def _safe_next(request: HttpRequest, default: str = "home:home") -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# --- log-in, second step ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    user = login_flow.pending_user(request)
    if user is None:
        # Expired or never started: say so plainly (no account is named).
        return render(request, "security/login_code.html", {"expired": True})
    form = LoginCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # Claimed before the code is checked: whoever has the password must
        # not get more guesses by sending them all at once.
        if (claimed := throttle.claim("twofactor", request, account=user.pk)) is None:
            form.add_error("code", throttle.message("twofactor"))
        elif twofactor.verify_any(user, form.cleaned_data["code"]):
            throttle.release(claimed)
            return redirect(login_flow.finish(request, user))
        else:
            form.add_error("code", _("That code didn't work. Check the app shows Tandem, and try the newest code."))
    return render(request, "security/login_code.html", {"form": form})


# --- confirm it's you ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    user = request.user
    two_factor = twofactor.confirmed(user)
    form = ConfirmForm(request.POST if request.method == "POST" else None, with_code=two_factor is not None)
    if request.method == "POST" and form.is_valid():
        # Both claimed before either is checked, like the log-in page and its
        # second step; each is taken back when its part was right.
        password_claim = throttle.claim("login", request, account=user.email)
        code_claim = throttle.claim("twofactor", request, account=user.pk) if two_factor and password_claim else []
        if password_claim is None or code_claim is None:
            throttle.release(password_claim)
            form.add_error(None, throttle.message("login"))
        elif not user.check_password(form.cleaned_data["password"]):
            throttle.release(code_claim)  # the code was not tried
            form.add_error("password", _("That is not your password. Try again."))
        elif two_factor and not twofactor.verify_any(user, form.cleaned_data["code"]):
            throttle.release(password_claim)
            form.add_error("code", _("That code didn't work. Try the newest code from your app."))
        else:
            throttle.release(password_claim)
            throttle.release(code_claim)
            # A new session id for the proven session: an id planted or read
            # before (a shared computer, a fixed cookie) does not carry the proof.
            request.session.cycle_key()
            reauth.mark_authenticated(request)
            if two_factor:
                twofactor.mark_verified(request, two_factor)
            return redirect(_safe_next(request))
    return render(request, "security/confirm.html", {"form": form, "next": _safe_next(request, "")})


# --- two-factor set-up and management -------------------------------------------------------


@reauth.recent_auth_required
@require_http_methods(["GET", "POST"])
def two_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    current = twofactor.confirmed(user)
    if current is not None:
        return render(
            request,
            "security/two_factor.html",
            {"remaining": twofactor.remaining_recovery_codes(user), "is_therapist": user.is_therapist},
        )
    setup = twofactor.pending_setup(user)
    form = SetupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if (claimed := throttle.claim("twofactor", request, account=user.pk)) is None:
            form.add_error("code", throttle.message("twofactor"))
        elif (codes := twofactor.confirm(setup, form.cleaned_data["code"])) is not None:
            throttle.release(claimed)
            twofactor.mark_verified(request, setup)
            # Someone who had the password alone may still hold a session from
            # before: turning two-factor on should shut them out too.
            ended = sessions.end_others(request)
            _keep_codes_for_one_page(request, codes)
            messages.success(request, _("Two-factor is on. Keep these recovery codes somewhere safe."))
            if ended:
                messages.info(request, _("Your other sessions were logged out; log in there again with a code."))
            url, target = reverse("security:recovery_codes"), _safe_next(request, "")
            return redirect(f"{url}?{urlencode({'next': target})}" if target else url)
        else:
            form.add_error(
                "code", _("That code didn't work. Check the phone's clock is right, and try the newest code.")
            )
    return render(
        request,
        "security/two_factor_setup.html",
        {
            "form": form,
            "qr": twofactor.qr_svg(setup, _("QR code for your authenticator app")),
            "secret": " ".join(setup.secret[i : i + 4] for i in range(0, len(setup.secret), 4)),
            "next": _safe_next(request, ""),
            "is_therapist": user.is_therapist,
        },
    )


@reauth.recent_auth_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    user = request.user
    if twofactor.confirmed(user) is None:
        return redirect("security:two_factor")
    if request.method == "POST":
        _keep_codes_for_one_page(request, twofactor.new_recovery_codes(user))
        messages.success(request, _("New recovery codes. The old ones no longer work."))
        return redirect("security:recovery_codes")
    # Shown once: the plain codes leave the session as they are displayed.
    codes = _codes_kept(request)
    return render(
        request,
        "security/recovery_codes.html",
        {"codes": codes, "remaining": twofactor.remaining_recovery_codes(user), "next": _safe_next(request, "")},
    )


@reauth.recent_auth_required
@require_http_methods(["GET", "POST"])
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    user = request.user
    if twofactor.confirmed(user) is None:
        return redirect("security:two_factor")
    form = DisableForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        twofactor.disable(user)
        messages.success(request, _("Two-factor is off."))
        return redirect("security:two_factor")
    return render(request, "security/two_factor_disable.html", {"form": form, "is_therapist": user.is_therapist})


# --- sessions -------------------------------------------------------------------------------


@login_required
@require_safe
def session_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "security/sessions.html",
        {"records": sessions.active(request.user), "current": sessions.current_id(request)},
    )


@login_required
@require_POST
def sessions_end(request: HttpRequest) -> HttpResponse:
    scope = request.POST.get("scope")
    if scope == "all":
        sessions.end_others(request)
        logout(request)
        messages.info(request, _("You are logged out everywhere."))
        return redirect("accounts:login")
    if scope == "others":
        sessions.end_others(request)
        messages.success(request, _("Every other session is logged out."))
    elif (record := request.POST.get("record", "")).isdigit() and sessions.end_one(request, int(record)):
        messages.success(request, _("That session is logged out."))
    return redirect("security:sessions")
