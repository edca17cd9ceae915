"""How every Django form in Tandem renders its fields.

Text limits: a ``maxlength`` attribute makes the browser cut pasted text
short without a word (a 6,000-character answer pasted into a 5,000 box loses
its end silently). So no field is rendered with ``maxlength``; it carries
``data-limit`` instead, which ``app.js`` turns into a counter that appears
near the limit, and the server refuses text over the limit with a message
that says how long it is, keeping every word on screen.

This is done once, for every form, by the renderer's ``BoundField`` (the
``FORM_RENDERER`` setting), so no form has to remember it. Hand-written
inputs in templates use ``data-limit`` directly; a test checks that no page
has a ``maxlength`` left.
"""

from __future__ import annotations

from django import forms
from django.forms.renderers import DjangoTemplates


class LimitedBoundField(forms.BoundField):
    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        limit = attrs.get("maxlength") or widget.attrs.get("maxlength")
        if limit:
            # False drops the attribute: the widget's own attrs are merged
            # under these, and Django's attrs template skips False values.
            attrs["maxlength"] = False
            attrs.setdefault("data-limit", str(limit))
        return attrs


class Renderer(DjangoTemplates):
    bound_field_class = LimitedBoundField


class ScaleSelect(forms.RadioSelect):
    """A 1-5 or 1-7 scale as one row of segments that fits a 320 px phone.

    Radio buttons with their labels wrap onto two lines on a phone and give a
    13 px target; the segments are as wide as the row allows and 44 px high.
    The options keep their labels ("1 · low", "2", …): the words of the two
    ends are shown under the row and read by screen readers with the number.
    """

    template_name = "core/widgets/scale.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        for _group, options, _index in context["widget"]["optgroups"]:
            for option in options:
                # The face shows the number; what the label says beyond it is read, not shown.
                label, number = str(option["label"]), str(option["value"])
                option["rest"] = label.removeprefix(number) if label.startswith(number) else f" · {label}"
        choices = [(str(v), str(label)) for v, label in self.choices if str(v) != ""]
        if choices:
            context["widget"]["low"] = _end_words(*choices[0])
            context["widget"]["high"] = _end_words(*choices[-1])
        return context


def _end_words(value: str, label: str) -> str:
    """ "1 · low" → "low"; a label that is only the number has no words."""
    words = label.removeprefix(value).lstrip(" ·—-:")
    return words if label.startswith(value) else label
