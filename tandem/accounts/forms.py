from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User, UserManager, available_time_zones
from tandem.core import mail
from tandem.security import throttle


class TimeZoneInput(forms.TextInput):
    """A text box with the zone list as suggestions: typing "ber" offers
    Europe/Berlin, where a select would be 600 lines to scroll. The list comes
    with the box (its own datalist). ``detect``: app.js fills an empty box with
    the browser's own zone (sign-up, profile); a form that starts from the
    person's zone (a block) leaves it as it is."""

    template_name = "accounts/widgets/time_zone.html"

    def __init__(self, attrs=None, *, detect: bool = True):
        base = {"list": "time-zones", "autocomplete": "off", "spellcheck": "false"}
        if detect:
            base["data-detect-tz"] = ""
        super().__init__({**base, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["zones"] = sorted(available_time_zones())
        return context


class SignUpForm(forms.ModelForm):
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not a common password."),
        error_messages={"required": _("Choose a password.")},
    )

    class Meta:
        model = User
        fields = ["email", "display_name", "pronouns", "time_zone"]
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
            "display_name": forms.TextInput(attrs={"autocomplete": "nickname"}),
            "time_zone": TimeZoneInput(),
        }
        error_messages = {
            "email": {
                "required": _("Enter your e-mail address."),
                "invalid": _("Enter a whole e-mail address, like name@example.org."),
            },
            "display_name": {"required": _("Please enter the name your partner knows you by.")},
            "time_zone": {"required": _("Pick your time zone, like Europe/Berlin.")},
        }

    def clean_email(self) -> str:
        email = UserManager.normalize_email(self.cleaned_data["email"])
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("An account with this e-mail address already exists. Log in, or reset the password."),
                code="email_taken",
            )
        return email

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Please enter the name your partner knows you by."), code="blank")
        return name

    def _post_clean(self) -> None:
        super()._post_clean()
        # Validate the password against the other fields (similarity check).
        password = self.cleaned_data.get("password")
        if password:
            try:
                password_validation.validate_password(password, self.instance)
            except forms.ValidationError as error:
                self.add_error("password", error)

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password"])
        if commit:
            user.save()
        return user


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )
    error_messages = {
        "invalid_login": _("That e-mail address and password don't match an account. Check both and try again."),
        "inactive": _("This account is no longer active."),
    }

    def clean(self):
        # Counted before the password is looked at, and for any address typed,
        # known or not: the refusal says nothing about accounts. A failed
        # log-in (ValidationError) stays counted; any other outcome is taken back.
        if self.request is None:
            return super().clean()
        claimed = throttle.claim("login", self.request, account=self.cleaned_data.get("username"))
        if claimed is None:
            raise ValidationError(throttle.message("login"), code="throttled")
        cleaned = super().clean()
        throttle.release(claimed)
        return cleaned


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "pronouns", "time_zone", "language", "consent_level"]
        widgets = {"time_zone": TimeZoneInput(), "consent_level": forms.RadioSelect}
        error_messages = {
            "display_name": {"required": _("Your display name can't be empty.")},
            "time_zone": {"required": _("Pick your time zone, like Europe/Berlin.")},
        }

    def clean_display_name(self) -> str:
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Your display name can't be empty."), code="blank")
        return name


class ResetForm(PasswordResetForm):
    """Django's reset form, but the link leaves from the worker (``tandem.core.mail``).

    An address with no account costs the request the same work as one with
    an account: a stand-in person gets a token and the same message is
    rendered and queued, with no recipient. Nothing in the time the request
    takes says whether the address is known.
    """

    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def get_users(self, email):
        users = list(super().get_users(email))
        if users:
            return users
        # Never saved; its link opens nothing (there is no such account).
        # Built as cheaply as a row read from the database, so that making it
        # costs no more than finding a real account would.
        stand_in = User(email=UserManager.normalize_email(email), pk=0, password=UNUSABLE_PASSWORD_PREFIX)
        stand_in.stand_in = True
        return [stand_in]

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ) -> None:
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        mail.queue(subject, body, to=[] if getattr(context["user"], "stand_in", False) else [to_email])


class EmailChangeForm(forms.Form):
    email = forms.EmailField(
        label=_("New e-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
        error_messages={
            "required": _("Enter the new e-mail address."),
            "invalid": _("Enter a whole e-mail address, like name@example.org."),
        },
    )

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = UserManager.normalize_email(self.cleaned_data["email"])
        if email == self.user.email:
            raise forms.ValidationError(_("That is already your e-mail address."), code="same")
        return email


class ConsentLevelForm(forms.ModelForm):
    """The consent level alone, asked where the profile is not (right after pairing).

    The same model field as the profile's (its label, choices and help text),
    so both pages always use the same words."""

    class Meta:
        model = User
        fields = ["consent_level"]
        widgets = {"consent_level": forms.RadioSelect}
        error_messages = {
            "consent_level": {
                "required": _("Pick one of the levels, or choose “Not now” to keep yours as it is."),
                "invalid_choice": _("That isn't one of the levels. Pick one of them, or choose “Not now”."),
            }
        }
