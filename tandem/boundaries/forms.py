"""The one free-text form of the boundaries pages that is not an answer: a custom item."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

CUSTOM_MAX = 120


class CustomItemForm(forms.Form):
    # A Django CharField, as in every other form: it trims, limits the length
    # and refuses NUL bytes ("Null characters are not allowed.").
    label = forms.CharField(
        max_length=CUSTOM_MAX,
        error_messages={
            "required": _("Describe the item in 1 to 120 characters."),
            "max_length": _("Describe the item in 1 to %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
