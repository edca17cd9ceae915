from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.invites import CODE_LENGTH, normalize_code


class InviteCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Invite code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Enter the code your partner gave you.")},
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(
                _("A code has %(n)d letters and digits, like ABCDE-FGHJK. Check it and try again."),
                params={"n": CODE_LENGTH},
                code="bad_length",
            )
        return code


class LeaveForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that this closes our couple space for both of us."),
        error_messages={"required": _("Tick the box to confirm that you want to close the space.")},
    )
