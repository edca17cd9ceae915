from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.dates import DateField
from tandem.core.forms import ScaleSelect
from tandem.measures import instruments
from tandem.measures.models import MeasurePlan


def field_name(item: instruments.Item) -> str:
    return f"q_{item.link_id}"


class MeasureForm(forms.Form):
    """One required choice per item, built from the instrument.

    Each item's own error names it ("Please answer item 3: …"), and a form
    sent back with gaps keeps every answer already chosen.
    """

    def __init__(self, measure: instruments.Instrument, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        for number, item in enumerate(measure.items, start=1):
            choices = [
                (str(o.value), f"{o.value} — {o.label}" if o.label and item.bipolar else o.label or o.value)
                for o in item.options
            ]
            self.fields[field_name(item)] = forms.TypedChoiceField(
                label=item.text,
                choices=choices,
                coerce=int,
                # A bipolar scale is numbers with words at the ends: one row of segments.
                widget=ScaleSelect if item.bipolar else forms.RadioSelect,
                error_messages={
                    "required": _("Please answer item %(n)d: “%(text)s”.") % {"n": number, "text": item.text},
                    "invalid_choice": _("Please choose one of the answers to item %(n)d.") % {"n": number},
                },
            )
            self.fields[field_name(item)].number = number

    def answers(self) -> dict[str, int]:
        return {item.link_id: self.cleaned_data[field_name(item)] for item in self.measure.items}


class PlanForm(forms.Form):
    person = forms.TypedChoiceField(label=gettext_lazy("Partner"), coerce=int)
    instrument = forms.ChoiceField(label=gettext_lazy("Measure"), choices=instruments.CHOICES)
    cadence = forms.ChoiceField(label=gettext_lazy("How often"), choices=MeasurePlan.Cadence.choices)
    every_weeks = forms.IntegerField(
        label=gettext_lazy("Every how many weeks (for “every few weeks”)"), min_value=1, max_value=52, required=False
    )
    start = DateField(
        label=gettext_lazy("First due on (optional; today if empty)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": gettext_lazy("Enter the date as YYYY-MM-DD.")},
    )

    def __init__(self, partners: list, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.partners = {p.pk: p for p in partners}
        self.fields["person"].choices = [(p.pk, p.display_name) for p in partners]

    def clean(self):
        data = super().clean()
        if data.get("cadence") == MeasurePlan.Cadence.EVERY_N_WEEKS and not data.get("every_weeks"):
            self.add_error("every_weeks", _("Say every how many weeks, from 1 to 52."))
        return data

    @property
    def chosen_person(self):
        return self.partners[self.cleaned_data["person"]]
