from django import forms
from django.utils.translation import gettext_lazy as _


class WinForm(forms.Form):
    text = forms.CharField(
        label=_("A small win"),
        max_length=280,
        help_text=_("Something that went a little better, e.g. “we talked about it without arguing”."),
        error_messages={
            "required": _("Write the win first, even in a few words."),
            "max_length": _("Keep it short: under 280 characters (it has %(show_value)d)."),
        },
    )


class GratitudeForm(forms.Form):
    text = forms.CharField(
        label=_("Thank your partner"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write your thank-you first."),
            "max_length": _("Keep it under 500 characters (it has %(show_value)d)."),
        },
    )
