from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tandem.accounts import services
from tandem.accounts.forms import EmailChangeForm, LoginForm, ProfileForm, SignUpForm
from tandem.accounts.models import User
from tandem.core import mail
from tandem.couples.access import landing
from tandem.security import login_flow, sessions, throttle
from tandem.security.reauth import recent_auth_required


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
        return redirect("home:home")
    form = SignUpForm(request.POST if request.method == "POST" else None)
    # Sign-up must say when an address is taken (the person can't otherwise
    # know to log in), which lets someone probe who uses Tandem: limit how
    # often one client address can hit a taken address. Claimed before the
    # address is looked at; only a taken address keeps counting.
    if request.method == "POST" and (claimed := throttle.claim("signup", request)) is None:
        form.is_valid()
        form.errors.clear()
        form.add_error(None, throttle.message("signup"))
    elif request.method == "POST":
        valid = form.is_valid()
        if not form.has_error("email", "email_taken"):
            throttle.release(claimed)
        if valid:
            user = form.save()
            login(request, user, backend="tandem.accounts.backends.EmailBackend")
            messages.success(request, _("Welcome to Tandem, %(name)s.") % {"name": user.display_name})
            return redirect(_safe_next(request) or "home:home")
    return render(
        request,
        "accounts/signup.html",
        {"form": form, "next": _safe_next(request) or ""},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    # Read before the form writes the new values onto the same object.
    previous_level = request.user.consent_level
    form = ProfileForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        services.consent_level_changed(user, previous_level)
        messages.success(request, _("Your profile is saved."))
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


# --- log-in, password and e-mail ----------------------------------------------------


class LoginView(auth_views.LoginView):
    """Django's log-in, with a second step for people who have two-factor."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form) -> HttpResponse:
        user = form.get_user()
        # Known before the log-in finishes: the landing is decided by who logs in.
        self.person = user
        if login_flow.needs_second_step(user):
            return login_flow.begin(self.request, user, self.get_success_url())
        return super().form_valid(form)

    def get_default_redirect_url(self) -> str:
        """Without a ``next``: the person's own landing (a therapist's caseload, a partner's home)."""
        person = getattr(self, "person", None) or self.request.user
        if person.is_authenticated:
            return landing(person)
        return super().get_default_redirect_url()


class ResetView(auth_views.PasswordResetView):
    """Each request may send an e-mail: throttled per address typed and per client."""

    def form_valid(self, form) -> HttpResponse:
        # Claimed, never released: every request counts, known address or not.
        if throttle.claim("reset", self.request, account=form.cleaned_data["email"]) is None:
            form.add_error(None, throttle.message("reset"))
            return self.form_invalid(form)
        return super().form_valid(form)


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        # Django already refuses the old sessions (their password hash changed); drop them from the list too.
        sessions.end_all(form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        sessions.end_others(self.request)  # as Django does: a new password ends every other session
        return response


EMAIL_CHANGE_SALT = "tandem.accounts.email-change"
EMAIL_CHANGE_SECONDS = 24 * 3600


@recent_auth_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest) -> HttpResponse:
    form = EmailChangeForm(request.POST if request.method == "POST" else None, user=request.user)
    # Each request may send an e-mail, so it is throttled like password reset:
    # claimed before the address is looked at, and never taken back.
    if (
        request.method == "POST"
        and form.is_valid()
        and throttle.claim("emailchange", request, account=request.user.pk) is None
    ):
        form.add_error(None, throttle.message("emailchange"))
    elif request.method == "POST" and form.is_valid():
        new = form.cleaned_data["email"]
        # The same answer, and the same work, whether or not the address has
        # an account: a taken address gets a message prepared and queued with
        # no recipient (it would be refused on confirming anyway).
        taken = User.objects.filter(email__iexact=new).exists()
        token = signing.dumps({"user": request.user.pk, "old": request.user.email, "new": new}, salt=EMAIL_CHANGE_SALT)
        link = request.build_absolute_uri(reverse("accounts:email_confirm", args=[token]))
        mail.queue(
            render_to_string("accounts/email/email_change_subject.txt").strip(),
            render_to_string("accounts/email/email_change.txt", {"link": link}),
            to=[] if taken else [new],
        )
        messages.success(
            request, _("We sent a link to %(email)s. Open it within a day to finish the change.") % {"email": new}
        )
        return redirect("accounts:profile")
    return render(request, "accounts/email_change.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    user = request.user
    try:
        change = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_SECONDS)
    except signing.BadSignature:
        change = None
    # The link is for this person, and only while their address is still the one it was made from.
    if not change or change.get("user") != user.pk or change.get("old") != user.email:
        return render(request, "accounts/email_confirm.html", {"problem": True})
    if request.method == "POST":
        old = user.email
        user.email = change["new"]
        try:
            with transaction.atomic():
                user.save(update_fields=["email"])
        except IntegrityError:
            user.email = old
            return render(request, "accounts/email_confirm.html", {"problem": True})
        mail.queue(
            render_to_string("accounts/email/email_changed_subject.txt").strip(),
            render_to_string("accounts/email/email_changed.txt"),
            to=[old],
        )
        messages.success(request, _("Your e-mail address is changed. You log in with it from now on."))
        return redirect("accounts:profile")
    return render(request, "accounts/email_confirm.html", {"new": change["new"]})


@require_safe
def session_state(request: HttpRequest) -> JsonResponse:
    """Who is signed in now, for a page that is about to save.

    A page may have been open for hours: its session may have ended (logged
    out in another tab, ended from another device, timed out) or someone
    else may have signed in on the same phone. ``app.js`` asks here before a
    form is sent, so that words are never sent into a redirect to the log-in
    page (where they would be lost) or saved under the wrong person. The
    answer also carries a fresh CSRF token, because signing in again in
    another tab changes it and the open page still has the old one.

    It reads the session only; nothing is written (the CSRF cookie aside).
    """
    user = request.user
    response = JsonResponse(
        {
            "signed_in": user.is_authenticated,
            "who": user.session_tag if user.is_authenticated else "",
            "csrf": get_token(request),
        }
    )
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
@require_safe
def signed_in(request: HttpRequest) -> HttpResponse:
    """Where "sign in in a new tab" lands: back to the tab with the words."""
    return render(request, "accounts/signed_in.html")
