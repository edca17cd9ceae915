"""Forms of the boundaries pages: one answer, the couple's consent words, and a custom item."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.boundaries.models import ConsentVocabulary, Value

NOTE_MAX = 300


class AnswerForm(forms.Form):
    """One item's answer, as the section page sends it (``value-<key>``,
    ``note-<key>``). The whole-section save, "I've finished" and the
    one-item save (htmx) all check an answer with this, so they refuse the
    same things with the same words."""

    value = forms.ChoiceField(
        choices=[("", _("Not now")), *Value.choices],
        required=False,
        error_messages={"invalid_choice": _("Choose yes, maybe, no, or leave it unanswered.")},
    )
    # A CharField: it trims, limits the length and refuses NUL bytes.
    note = forms.CharField(
        max_length=NOTE_MAX,
        required=False,
        error_messages={"max_length": _("Keep the note under %(limit_value)d characters (it has %(show_value)d).")},
    )

    @classmethod
    def for_item(cls, data, key: str) -> AnswerForm:
        return cls({"value": data.get(f"value-{key}", ""), "note": data.get(f"note-{key}", "")})

    def first_error(self) -> str:
        return next(iter(self.errors.values()))[0]


class VocabularyForm(forms.ModelForm):
    class Meta:
        model = ConsentVocabulary
        fields = ["more", "slower", "pause", "stop"]
        labels = {
            "more": _("Our word or signal for “more”"),
            "slower": _("… for “slower”"),
            "pause": _("… for “pause”"),
            "stop": _("… for “stop”"),
        }
        error_messages = {
            name: {"max_length": _("Keep it under 200 characters (it has %(show_value)d).")}
            for name in ("more", "slower", "pause", "stop")
        }

    def clean(self):
        data = super().clean()
        if not any((data.get(k) or "").strip() for k in ("more", "slower", "pause", "stop")):
            raise forms.ValidationError(_("Write at least one word or signal before saving."), code="empty")
        if not (data.get("stop") or "").strip():
            self.add_error("stop", _("Agree on a way to say “stop”: it matters most."))
        return data


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
