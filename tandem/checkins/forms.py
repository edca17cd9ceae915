from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.checkins.models import Capacity, Change, RapidCheckIn, Schedule
from tandem.core.forms import ScaleSelect
from tandem.couples.visibility import Visibility


def scale(label, low, high, required=True):
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        required=required,
        empty_value=None,
        choices=[(1, f"1 · {low}"), (2, "2"), (3, "3"), (4, "4"), (5, f"5 · {high}")],
        widget=ScaleSelect,
        error_messages={
            "required": _("Pick a number from 1 to 5 for “%(label)s”.") % {"label": label},
            "invalid_choice": _("“%(label)s” goes from 1 to 5.") % {"label": label},
        },
    )


def visibility_field(has_therapist: bool, initial: str):
    choices = [
        (Visibility.SHARED, _("My partner")),
        (Visibility.PRIVATE, _("Only me")),
    ]
    if has_therapist:
        choices.append((Visibility.CARE_TEAM, _("My partner and our therapist")))
    if initial not in dict(choices):
        initial = Visibility.SHARED  # e.g. a "care team" default while no therapist is linked
    return forms.ChoiceField(
        label=_("Who sees this check-in?"),
        choices=choices,
        initial=initial,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose who sees this check-in.")},
    )


class CheckInForm(forms.Form):
    mood = scale(_("Mood"), _("low"), _("bright"))
    energy = scale(_("Energy"), _("drained"), _("full of it"))
    stress = scale(_("Stress"), _("calm"), _("overwhelmed"))
    closeness = scale(_("Closeness"), _("distant"), _("very close"))
    desire = scale(_("Desire"), _("none today"), _("a lot"), required=False)
    capacity = forms.MultipleChoiceField(
        label=_("Today I have room for"),
        choices=Capacity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Any that fit. “Rest” is a complete answer."),
        error_messages={
            "invalid_choice": _("“%(value)s” isn't one of the choices: talk, affection, play, intimacy, rest.")
        },
    )
    note = forms.CharField(
        label=_("A note (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the note under 500 characters (it has %(show_value)d).")},
    )
    changed = forms.ChoiceField(
        label=_("Something changed lately (optional)"),
        choices=[("", _("Nothing in particular")), *Change.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose one of the listed changes, or nothing.")},
    )

    def __init__(
        self, *args, track_desire: bool = True, has_therapist: bool = False, visibility: str = "shared", **kwargs
    ):
        super().__init__(*args, **kwargs)
        if not track_desire:
            del self.fields["desire"]
        self.fields["visibility"] = visibility_field(has_therapist, visibility)


class RapidForm(forms.Form):
    colour = forms.ChoiceField(
        label=_("Right now I'm"),
        choices=RapidCheckIn.Colour.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Tap green, amber or red."),
            "invalid_choice": _("Tap green, amber or red."),
        },
    )
    need = forms.CharField(
        label=_("One thing I need (optional)"),
        max_length=140,
        required=False,
        error_messages={"max_length": _("Keep it to one line: under 140 characters (it has %(show_value)d).")},
    )

    def __init__(self, *args, has_therapist: bool = False, visibility: str = Visibility.SHARED, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visibility"] = visibility_field(has_therapist, visibility)


class ScheduleForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Which days?"),
        coerce=int,
        required=False,
        choices=[
            (1, _("Monday")),
            (2, _("Tuesday")),
            (3, _("Wednesday")),
            (4, _("Thursday")),
            (5, _("Friday")),
            (6, _("Saturday")),
            (7, _("Sunday")),
        ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For “some days” pick any; for “once a week” pick one."),
        error_messages={"invalid_choice": _("Pick days from Monday to Sunday.")},
    )

    default_visibility = forms.ChoiceField(
        label=_("Who sees my check-ins by default"),
        choices=[
            ("shared", _("My partner")),
            ("private", _("Only me")),
            ("care_team", _("My partner and our therapist (when one is linked)")),
        ],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose who sees your check-ins by default.")},
    )

    class Meta:
        model = Schedule
        fields = ["frequency", "weekdays", "track_desire", "default_visibility"]
        labels = {"frequency": _("I'd like to check in"), "default_visibility": _("Who sees my check-ins by default")}
        widgets = {"frequency": forms.RadioSelect, "default_visibility": forms.RadioSelect}

    def clean(self):
        data = super().clean()
        frequency, days = data.get("frequency"), data.get("weekdays") or []
        if frequency == "weekdays" and not days:
            self.add_error("weekdays", _("Pick at least one day."))
        if frequency == "weekly" and len(days) != 1:
            self.add_error("weekdays", _("For once a week, pick exactly one day."))
        if frequency in ("daily", "off"):
            data["weekdays"] = []
        return data
