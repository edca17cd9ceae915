from __future__ import annotations

import base64
import binascii
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.notifications import types
from tandem.notifications.models import NotificationSettings

CAP_MAX = 20
BASE64URL = re.compile(r"[A-Za-z0-9_-]+=*")


class NotificationSettingsForm(forms.ModelForm):
    # One checkbox per type of waiting item (``types.py``), all on by default;
    # stored the other way round, as the types switched off (``kinds_off``),
    # so a type added later is on for everyone.
    tell_about = forms.MultipleChoiceField(
        label=_("Tell me about"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose what to be told about from the list (“%(value)s” is not on it).")},
    )

    class Meta:
        model = NotificationSettings
        fields = ["channel", "quiet_from", "quiet_until", "daily_cap", "tell_about", "detailed_wording"]
        widgets = {
            "channel": forms.RadioSelect,
            "quiet_from": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_until": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "daily_cap": forms.NumberInput(attrs={"min": 1, "max": CAP_MAX}),
        }
        help_texts = {
            "quiet_until": _("In your own time zone. The same time in both means no quiet hours."),
        }
        error_messages = {
            "channel": {"invalid_choice": _("Choose where to be told from the list.")},
            "quiet_from": {"invalid": _("Enter a time such as 22:00.")},
            "quiet_until": {"invalid": _("Enter a time such as 07:00.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["tell_about"]
        field.choices = [(kind.code, kind.label) for kind in types.registered(self.instance.user)]
        off = set(self.instance.kinds_off or [])
        field.initial = [code for code, _label in field.choices if code not in off]

    def save(self, commit: bool = True) -> NotificationSettings:
        chosen = set(self.cleaned_data["tell_about"])
        offered = [code for code, _label in self.fields["tell_about"].choices]
        # A type not offered (its app gone, or not this person's) keeps the person's choice for it.
        kept = [code for code in (self.instance.kinds_off or []) if code not in offered]
        self.instance.kinds_off = kept + [code for code in offered if code not in chosen]
        return super().save(commit)

    def clean_daily_cap(self) -> int:
        cap = self.cleaned_data["daily_cap"]
        if not 1 <= cap <= CAP_MAX:
            raise forms.ValidationError(
                _("Choose from 1 to %(most)s a day.") % {"most": CAP_MAX}, code="cap_out_of_range"
            )
        return cap


def _key(value: str, size: int, name: str) -> str:
    """A base64url key of exactly ``size`` bytes, as the browser's PushSubscription gives it."""
    try:
        if not BASE64URL.fullmatch(value):
            raise ValueError(value)
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        raise forms.ValidationError(
            _("The browser sent a key (%(name)s) that is not base64url.") % {"name": name}
        ) from None
    if len(raw) != size:
        raise forms.ValidationError(_("The browser sent a key (%(name)s) of the wrong size.") % {"name": name})
    return value


class SubscriptionForm(forms.Form):
    """What ``PushManager.subscribe`` gave the page, posted by app.js."""

    endpoint = forms.URLField(max_length=2000, assume_scheme="https")
    p256dh = forms.CharField(max_length=200)
    auth = forms.CharField(max_length=100)

    def clean_endpoint(self) -> str:
        endpoint = self.cleaned_data["endpoint"]
        # Push services are always https; anything else is not a browser's subscription.
        if not endpoint.startswith("https://"):
            raise forms.ValidationError(_("A push endpoint must be an https address."))
        return endpoint

    def clean_p256dh(self) -> str:
        return _key(self.cleaned_data["p256dh"], 65, "p256dh")  # an uncompressed P-256 point

    def clean_auth(self) -> str:
        return _key(self.cleaned_data["auth"], 16, "auth")  # the 16-byte auth secret
