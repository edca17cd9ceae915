from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.dates import DateField
from tandem.core.forms import ScaleSelect
from tandem.couples.visibility import Visibility


class LibraryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    level = forms.TypedChoiceField(
        label=_("Closeness"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), (0, _("Talk")), (1, _("Affection")), (2, _("Sensual")), (3, _("Sexual"))],
    )
    minutes = forms.TypedChoiceField(
        label=_("Time"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Any")), (10, _("Up to 10 minutes")), (30, _("Up to 30 minutes")), (60, _("Up to an hour"))],
    )

    def __init__(self, *args, kinds: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any")), *kinds]


class DebriefForm(forms.Form):
    feeling = forms.TypedChoiceField(
        label=_("How did it feel?"),
        coerce=int,
        choices=[(1, _("1 · hard")), (2, "2"), (3, "3"), (4, "4"), (5, _("5 · lovely"))],
        widget=ScaleSelect,
        error_messages={
            "required": _("Pick how it felt, from 1 (hard) to 5 (lovely)."),
            "invalid_choice": _("Pick how it felt, from 1 (hard) to 5 (lovely)."),
        },
    )
    word = forms.CharField(
        label=_("One word for it (optional)"),
        max_length=30,
        required=False,
        error_messages={"max_length": _("One word is plenty: keep it under 30 characters.")},
    )
    note = forms.CharField(
        label=_("Anything else (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Please keep the note under 1000 characters (it has %(show_value)d).")},
    )
    comfortable = forms.TypedChoiceField(
        label=_("Did this stage feel comfortable for you?"),
        coerce=lambda value: value == "yes",
        choices=[("yes", _("Yes")), ("no", _("Not yet, let's stay with it"))],
        widget=forms.RadioSelect,
        required=False,
    )
    visibility = forms.ChoiceField(
        label=_("Who reads this?"),
        choices=[
            (Visibility.PRIVATE, _("Only me")),
            (Visibility.SHARED, _("My partner too")),
            (Visibility.CARE_TEAM, _("My partner and our therapist")),
        ],
        initial=Visibility.PRIVATE,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose who reads your debrief.")},
    )

    def __init__(self, *args, touch: bool = False, has_therapist: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not touch:
            del self.fields["comfortable"]
        else:
            self.fields["comfortable"].required = True
            self.fields["comfortable"].error_messages["required"] = _(
                "Say whether this stage felt comfortable; the next one waits for both of you."
            )
        if not has_therapist:
            self.fields["visibility"].choices = self.fields["visibility"].choices[:2]


class ProposeForm(forms.Form):
    due = DateField(
        label=_("Do it by (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter a date like 2026-12-24, or leave it empty.")},
    )

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(_("That date has passed. Pick today or a later day."), code="past")
        return due

    def due_at(self):
        """The end of the chosen day, in the person's own time zone."""
        due = self.cleaned_data.get("due")
        if due is None:
            return None
        return timezone.make_aware(datetime.combine(due, time(23, 59, 59)))
