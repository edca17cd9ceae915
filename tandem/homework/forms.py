from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.couples.visibility import Visibility

ANSWER_MAX = 5000
REPLY_MAX = 1000


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("Your answer"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": _("Write something first; your partner sees nothing until you have both written."),
            "max_length": _("Please keep your answer under %(limit_value)d characters (it has %(show_value)d)."),
        },
    )
    reveal_as = forms.ChoiceField(
        label=_("Once you have both written, who reads it?"),
        choices=[
            (Visibility.SHARED, _("My partner")),
            (Visibility.CARE_TEAM, _("My partner and our therapist")),
        ],
        initial=Visibility.SHARED,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose who reads your answer: your partner, or also your therapist.")},
    )

    def __init__(self, *args, has_therapist: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_therapist:
            # Without a linked therapist, "care team" would mean nobody more.
            self.fields["reveal_as"].choices = [(Visibility.SHARED, _("My partner"))]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(self.fields["body"].error_messages["required"], code="required")
        return body


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("A short reply"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _("Write a reply first, or simply leave it."),
            "max_length": _("Please keep your reply under %(limit_value)d characters (it has %(show_value)d)."),
        },
    )


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
