"""Relative times, said one way everywhere: "just now", "5 minutes ago".

A builtin library (settings.TEMPLATES), so every template has ``|ago``
without a ``{% load %}``: Django's ``timesince`` alone reads "0 minutes"
for anything under a minute, and each page used to add its own "ago".
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

register = template.Library()

JUST_NOW = dt.timedelta(minutes=1)


@register.filter
def ago(value: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """``value`` relative to now; under a minute (or a clock a little ahead) is "just now"."""
    if not value:
        return ""
    now = now or timezone.now()
    if now - value < JUST_NOW:
        return _("just now")
    return _("%(since)s ago") % {"since": timesince(value, now)}
