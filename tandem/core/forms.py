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
