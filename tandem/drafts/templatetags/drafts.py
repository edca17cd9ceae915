"""The template side of drafts: ``{% load drafts %}``.

A form that keeps a draft wraps its fields in an element carrying
``{% draft_attrs couple "step" assignment.pk action %}`` (htmx posts the
form there while the person types: nothing to write in JavaScript), ends
that element with ``{% draft_status … %}`` (the polite line that says it was
kept) and, for a textarea the template writes by hand, fills it with
``{% draft_text … %}``. Forms Django renders get their draft as ``initial``
from ``services.restored_text`` instead. The parts after ``couple`` name the
slot (``drafts.models.slot``); every tag reads the person's drafts through
the same once-per-request lookup.
"""

from __future__ import annotations

import json

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from tandem.core import dates
from tandem.drafts import services
from tandem.drafts.models import slot

register = template.Library()

# After the last key press, not on each one: a save every pause in typing.
SAVE_AFTER = "1500ms"


@register.simple_tag
def draft_attrs(couple, kind: str, *parts) -> str:
    return format_html(
        'data-draft data-draft-failed="{}" hx-post="{}" hx-vals="{}" hx-trigger="{}" hx-target="this"'
        ' hx-swap="none" hx-sync="this:replace"',
        _("Not saved as a draft just now. Your words are still in the box."),
        reverse("drafts:save", args=[couple.pk]),
        json.dumps({"slot": slot(kind, *parts)}),
        f"input changed delay:{SAVE_AFTER} from:find textarea",
    )


@register.simple_tag(takes_context=True)
def draft_text(context, couple, kind: str, *parts) -> str:
    return services.restored_text(context.get("request"), couple, slot(kind, *parts))


@register.simple_tag(takes_context=True)
def draft_status(context, couple, kind: str, *parts) -> str:
    draft = services.restored(context.get("request"), couple, slot(kind, *parts))
    said = ""
    if draft is not None:
        at = timezone.localtime(draft.updated_at)
        same_day = at.date() == timezone.localdate()
        when = dates.show_time(at) if same_day else dates.show_moment(at)
        said = _("Your draft from %(when)s, not sent yet. Only you can see it.") % {"when": when}
    return format_html('<p class="draft-status quiet" role="status" data-draft-status>{}</p>', said)
