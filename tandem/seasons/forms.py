from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.seasons.models import HardSeason


class StartForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What's making life hard right now?"),
        choices=HardSeason.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Pick the closest one; it can stay just between you and Tandem."),
            "invalid_choice": _("Pick one of the listed reasons."),
        },
    )
    reason_shared = forms.BooleanField(
        label=_("Let my partner see this reason"), required=False, help_text=_("Off by default.")
    )
    expected_weeks = forms.TypedChoiceField(
        label=_("For about how long?"),
        coerce=int,
        choices=[
            (1, _("a week")),
            (2, _("two weeks")),
            (4, _("a month")),
            (8, _("two months")),
            (12, _("three months")),
        ],
        initial=2,
        error_messages={
            "required": _("Choose roughly how long; you can end it sooner or later."),
            "invalid_choice": _("Choose one of the listed lengths."),
        },
    )
