from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def _code_field(label, help_text=""):
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=20,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
        error_messages={"required": _("Enter the code.")},
    )


class LoginCodeForm(forms.Form):
    code = _code_field(
        _("Code"),
        _("The 6-digit code from your authenticator app, or one of your recovery codes (like ABCDE-FGHJK)."),
    )


class SetupForm(forms.Form):
    code = _code_field(_("Code from the app"), _("The 6 digits your authenticator app shows for Tandem now."))


class ConfirmForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
        error_messages={"required": _("Enter your password.")},
    )

    def __init__(self, *args, with_code: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if with_code:
            self.fields["code"] = _code_field(
                _("Code"), _("From your authenticator app, or one of your recovery codes.")
            )
            self.fields["code"].widget.attrs.pop("autofocus")


class DisableForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, turn two-factor off"),
        error_messages={"required": _("Tick the box to turn two-factor off.")},
    )
