from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.safety.models import BODY_MAX

TOO_LONG = _(
    "Please keep a message under %(limit_value)d characters (this one has %(show_value)d). "
    "You can send the rest in a second message."
)


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message to your therapist"),
        help_text=_("Only you and your therapist can read this. Your partner is never told it exists."),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Write something before sending; an empty message can't be sent."),
            "max_length": TOO_LONG,
        },
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"),
        help_text=_("Only this partner reads it. The other partner never sees it or learns it exists."),
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Write something before sending; an empty reply can't be sent."),
            "max_length": TOO_LONG,
        },
    )
