from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.clinic.models import CareInvite, Therapist
from tandem.couples.forms import InviteCodeForm


class RegisterForm(forms.ModelForm):
    class Meta:
        model = Therapist
        fields = ["practice_name"]
        help_texts = {"practice_name": _("Shown to couples when they link with you.")}
        error_messages = {"practice_name": {"required": _("Enter the name of your practice.")}}

    def clean_practice_name(self) -> str:
        name = self.cleaned_data["practice_name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter the name of your practice."), code="blank")
        return name


class CareInviteForm(forms.ModelForm):
    class Meta:
        model = CareInvite
        fields = ["label"]
        help_texts = {"label": _("Optional, only you see it, e.g. “Tuesday 18:00”. Avoid full names.")}
        error_messages = {"label": {"max_length": _("Keep the note under 80 characters (it has %(show_value)d).")}}


class CareCodeForm(InviteCodeForm):
    code = forms.CharField(
        label=_("Therapist's code"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}),
        error_messages={"required": _("Enter the code your therapist gave you.")},
    )


class EndLinkForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I want to end this link. The therapist stops seeing anything from our space at once."),
        error_messages={"required": _("Tick the box to confirm that you want to end the link.")},
    )
