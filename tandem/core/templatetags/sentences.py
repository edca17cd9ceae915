"""Sentences that end once.

A builtin library (settings.TEMPLATES): ``{{ title|full_stop }}`` ends a
sentence with a value people wrote (an exercise title, a name), adding the
full stop only when the value does not end a sentence already, so "Breathe."
never reads "Breathe..".
"""

from __future__ import annotations

from django import template

register = template.Library()

SENTENCE_ENDS = (".", "!", "?", "…")


@register.filter(is_safe=True)
def full_stop(value) -> str:
    text = str(value or "").rstrip()
    if not text or text.endswith(SENTENCE_ENDS):
        return text
    return f"{text}."
