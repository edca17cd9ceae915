from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.accounts.forms import ProfileForm, SignUpForm
from tandem.accounts.models import available_time_zones


def _safe_next(request: HttpRequest) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="tandem.accounts.backends.EmailBackend")
        messages.success(request, _("Welcome to Tandem, %(name)s.") % {"name": user.display_name})
        return redirect(_safe_next(request) or "core:home")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": _safe_next(request) or "", "zones": sorted(available_time_zones())},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        if "consent_level" in form.changed_data:
            # A raised level may open a program step that was waiting for it.
            from tandem.couples.access import current_couple
            from tandem.homework.programs import advance_running

            if couple := current_couple(request.user):
                advance_running(couple)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "zones": sorted(available_time_zones())})
