from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import UserManager


class DeleteAccountForm(forms.Form):
    """Typing the address is deliberate in a way a tick box is not.

    Who is there is checked before the form (``recent_auth_required``); this
    only makes sure the person means it.
    """

    email = forms.CharField(
        label=_("Type your e-mail address to confirm"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"}),
        error_messages={"required": _("Type your e-mail address to confirm that you want to delete your account.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_email(self) -> str:
        email = UserManager.normalize_email(self.cleaned_data["email"])
        if email != UserManager.normalize_email(self.user.email):
            raise forms.ValidationError(
                _("That isn't the e-mail address you log in with. Nothing was deleted."), code="email_mismatch"
            )
        return email
