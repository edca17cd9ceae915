from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.clinic.models import CareInvite, CareLink, CaseNote, HomeworkSchedule, Therapist
from tandem.clinic.schedules import couple_today
from tandem.core.dates import DateField
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


class HistoryForm(forms.Form):
    """The separate question at linking (and later): may the new therapist
    read this partner's earlier history? Each partner answers for their own;
    no is the default."""

    share_history = forms.ChoiceField(
        choices=[
            ("no", _("No, only what I share from now on")),
            ("yes", _("Yes, also what I shared with a care team before")),
        ],
        initial="no",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose yes or no: may this therapist read what you shared with a care team before?"),
            "invalid_choice": _("Choose yes or no: may this therapist read what you shared with a care team before?"),
        },
    )

    def __init__(self, *args, therapist_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["share_history"].label = _("May %(name)s also read what you shared with an earlier therapist?") % {
            "name": therapist_name
        }
        self.fields["share_history"].help_text = _(
            "Only your own check-ins, answers, reflections, wins and questionnaires that you shared with a care "
            "team before; your partner answers for their own. %(name)s is not told what you answered (with a yes, "
            "your earlier entries simply appear among the rest). You can change it at any time."
        ) % {"name": therapist_name}

    @property
    def shares(self) -> bool:
        return self.cleaned_data["share_history"] == "yes"


class EndLinkForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I want to end this link. The therapist stops seeing anything from our space at once."),
        error_messages={"required": _("Tick the box to confirm that you want to end the link.")},
    )


class AssignForm(forms.Form):
    """Give an exercise or a program, once, weekly, or after the next session."""

    item = forms.ChoiceField(
        label=_("Exercise or program"),
        error_messages={
            "required": _("Choose an exercise or a program."),
            "invalid_choice": _("Choose an exercise or a program from the list."),
        },
    )
    cadence = forms.ChoiceField(
        label=_("When"),
        choices=HomeworkSchedule.Cadence.choices,
        initial=HomeworkSchedule.Cadence.ONCE,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose once, weekly or after the next session.")},
    )
    start_on = DateField(
        label=_("First day it is offered"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Once or weekly; empty means today."),
        error_messages={"invalid": _("Enter the date as YYYY-MM-DD.")},
    )
    weeks = forms.IntegerField(
        label=_("For how many weeks"),
        required=False,
        min_value=1,
        max_value=12,
        initial=4,
        error_messages={
            "invalid": _("Enter a whole number of weeks."),
            "min_value": _("Choose between 1 and 12 weeks."),
            "max_value": _("Choose between 1 and 12 weeks."),
        },
    )
    due_days = forms.IntegerField(
        label=_("Days to do it"),
        min_value=0,
        max_value=28,
        initial=7,
        help_text=_("Counted from the day it is offered (for “after the session”: from the session)."),
        error_messages={
            "required": _("Say how many days they have to do it."),
            "invalid": _("Enter a whole number of days."),
            "min_value": _("Give between 0 and 28 days to do it."),
            "max_value": _("Give between 0 and 28 days to do it."),
        },
    )
    message = forms.CharField(
        label=_("A message to the couple (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _("Keep the message under 500 characters (it has %(show_value)d).")},
    )

    def __init__(self, *args, exercises: dict, programs: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [
            ("", _("Choose…")),
            (
                _("Exercises"),
                sorted(((f"exercise:{slug}", spec.title) for slug, spec in exercises.items()), key=lambda c: c[1]),
            ),
            (_("Programs"), sorted(((f"program:{slug}", spec.title) for slug, spec in programs.items()))),
        ]

    def clean(self):
        data = super().clean()
        if (
            data.get("cadence") == HomeworkSchedule.Cadence.WEEKLY
            and not data.get("weeks")
            and "weeks" not in self.errors
        ):
            self.add_error("weeks", _("Say for how many weeks."))
        return data

    @property
    def what_and_slug(self) -> tuple[str, str]:
        what, _sep, slug = self.cleaned_data["item"].partition(":")
        return what, slug


class CaseNoteForm(forms.ModelForm):
    class Meta:
        model = CaseNote
        fields = ["body"]
        labels = {"body": _("A private note (only you see it)")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "body": {
                "required": _("Write the note first."),
                "max_length": _("Keep a note under 4000 characters (it has %(show_value)d)."),
            }
        }

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write the note first."), code="blank")
        return body


class CareSettingsForm(forms.ModelForm):
    class Meta:
        model = CareLink
        fields = ["next_session", "stages_need_approval"]
        field_classes = {"next_session": DateField}  # "2026-02-30 isn't a real date", not "enter as YYYY-MM-DD"
        widgets = {"next_session": forms.DateInput(attrs={"type": "date"})}
        help_texts = {
            "next_session": _("Homework can be given relative to it."),
            "stages_need_approval": _("The couple sees only that a stage waits for you, never your reasons."),
        }
        error_messages = {"next_session": {"invalid": _("Enter the date as YYYY-MM-DD.")}}

    def clean_next_session(self):
        day = self.cleaned_data.get("next_session")
        if day is not None and day < couple_today(self.instance.couple):
            raise forms.ValidationError(_("The next session can't be in the past."), code="past")
        return day
