from __future__ import annotations

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.forms import TimeZoneInput
from tandem.accounts.models import available_time_zones
from tandem.blocks import recurrence
from tandem.blocks.models import DAY_NAMES, WEEKDAYS, Block, CalendarSettings, FreeTime
from tandem.core import dates
from tandem.core.dates import DateField
from tandem.homework import holds
from tandem.homework.models import Assignment

MAX_MINUTES = 8 * 60
MAX_COUNT = 104
MAX_WEEKS_APART = 4


def zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(available_time_zones())]


class BlockForm(forms.Form):
    """Plan a block, or propose a change to one.

    Everything is checked before anything is saved; the messages say what
    to change. Times are wall-clock times in the chosen zone.
    """

    kind = forms.ChoiceField(
        label=_("What for"),
        choices=Block.Kind.choices,
        error_messages={"invalid_choice": _("Choose what the time is for from the list.")},
    )
    assignment = forms.ModelChoiceField(
        label=_("Homework (optional)"),
        queryset=None,
        required=False,
        error_messages={"invalid_choice": _("That homework isn't one of your open assignments.")},
    )
    date = DateField(
        label=_("Date"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Choose a date."), "invalid": _("Enter the date as YYYY-MM-DD.")},
    )
    start = forms.TimeField(
        label=_("From"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Choose a start time."), "invalid": _("Enter the start as HH:MM.")},
    )
    end = forms.TimeField(
        label=_("Until"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"required": _("Choose an end time."), "invalid": _("Enter the end as HH:MM.")},
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=zone_choices,
        # Starts from the person's own zone (see __init__); typing searches the list.
        widget=TimeZoneInput(detect=False),
        help_text=_("The times above are in this zone. Each of you sees the block in your own zone."),
        error_messages={"invalid_choice": _("Choose a time zone from the list.")},
    )
    repeat = forms.ChoiceField(
        label=_("Repeat"),
        choices=[("none", _("Just once")), ("weekly", _("Every week or every few weeks"))],
        initial="none",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose “just once” or “every week”.")},
    )
    weekdays = forms.MultipleChoiceField(
        label=_("On"),
        choices=list(zip(WEEKDAYS, DAY_NAMES, strict=True)),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("“%(value)s” isn't a day of the week.")},
    )
    interval = forms.IntegerField(
        label=_("Every how many weeks"),
        min_value=1,
        max_value=MAX_WEEKS_APART,
        initial=1,
        required=False,
        error_messages={
            "invalid": _("Enter a whole number of weeks, from 1 to 4."),
            "min_value": _("Repeat every 1 to 4 weeks."),
            "max_value": _("Repeat every 1 to 4 weeks."),
        },
    )
    ends = forms.ChoiceField(
        label=_("Ends"),
        choices=[("never", _("When we end it")), ("until", _("On a date")), ("count", _("After a number of times"))],
        initial="never",
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose how the repeating ends.")},
    )
    until = DateField(
        label=_("Last date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Enter the last date as YYYY-MM-DD.")},
    )
    count = forms.IntegerField(
        label=_("Number of times"),
        required=False,
        min_value=1,
        max_value=MAX_COUNT,
        error_messages={
            "invalid": _("Enter the number of times as a whole number."),
            "min_value": _("A repeating block happens at least once."),
            "max_value": _("Up to 104 times; you can always plan more later."),
        },
    )

    # The fields of a repeating block: shown under "Repeat" (a closed
    # disclosure unless the block repeats or one of them needs a look).
    REPEAT_FIELDS = ("repeat", "weekdays", "interval", "ends", "until", "count")

    def __init__(self, *args, couple, user, now: dt.datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.own_zone = user.time_zone

        self.now = now or timezone.now()
        self.fields["assignment"].queryset = Assignment.objects.open().filter(couple=couple).select_related("exercise")
        self.fields["assignment"].label_from_instance = lambda assignment: assignment.exercise.title
        self.fields["time_zone"].initial = user.time_zone
        # Closeness (touch) is offered only while nothing holds it (both
        # partners opted into affectionate touch, nobody paused everything);
        # the form never says which of them.
        if holds.of_couple(couple).closeness():
            self.fields["kind"].choices = [c for c in Block.Kind.choices if c[0] != Block.Kind.CLOSENESS]

    def repeat_open(self) -> bool:
        """Whether "Repeat" opens: the block repeats, or a repeat field needs a look."""
        return self["repeat"].value() == "weekly" or any(self.has_error(name) for name in self.REPEAT_FIELDS)

    def offers_assignment(self) -> bool:
        """Whether to show "Homework (optional)": there is open homework, or the field holds something."""
        return bool(self.has_error("assignment") or self["assignment"].value()) or (
            self.fields["assignment"].queryset.exists()
        )

    def zone_open(self) -> bool:
        """Whether "Time zone" opens: it is not the person's own, or it needs a look."""
        return self["time_zone"].value() != self.own_zone or self.has_error("time_zone")

    def clean(self):
        data = super().clean()
        date, start, end, zone_name = (data.get(key) for key in ("date", "start", "end", "time_zone"))
        if start and end and end <= start:
            self.add_error(
                "end",
                _("The end is not after the start. Choose an end time later than %(start)s.")
                % {"start": dates.show_time(start)},
            )
        elif start and end:
            minutes = (dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)).seconds // 60
            if minutes < 5:
                self.add_error("end", _("A block needs at least 5 minutes."))
            elif minutes > MAX_MINUTES:
                self.add_error("end", _("Keep a block under 8 hours."))
            data["duration_minutes"] = minutes
        if date and start and zone_name:
            begins = recurrence.place(dt.datetime.combine(date, start), zoneinfo.ZoneInfo(zone_name))
            if begins <= self.now:
                self.add_error("date", _("That time has already passed. Choose a time from now on."))
        if data.get("kind") == Block.Kind.HOMEWORK and not data.get("assignment") and "assignment" not in self.errors:
            pass  # homework time without a particular exercise is fine
        if data.get("repeat") == "weekly":
            self._clean_repeat(data)
        return data

    def _clean_repeat(self, data) -> None:
        days = data.get("weekdays") or []
        date = data.get("date")
        if not days and "weekdays" not in self.errors:
            self.add_error("weekdays", _("Choose the days it repeats on."))
        elif date and WEEKDAYS[date.weekday()] not in days:
            self.add_error(
                "weekdays",
                _("The first date is a %(day)s: include %(day)s in the days, or choose another first date.")
                % {"day": DAY_NAMES[date.weekday()]},
            )
        if data.get("interval") is None and "interval" not in self.errors:
            data["interval"] = 1
        ends = data.get("ends")
        if ends == "until":
            until = data.get("until")
            if until is None and "until" not in self.errors:
                self.add_error("until", _("Choose the last date, or choose another way for it to end."))
            elif until and date and until < date:
                self.add_error("until", _("The last date is before the first date."))
        elif ends == "count" and data.get("count") is None and "count" not in self.errors:
            self.add_error("count", _("Say how many times, or choose another way for it to end."))

    def plan(self) -> dict:
        """The block's fields, from valid data."""
        data = self.cleaned_data
        weekly = data["repeat"] == "weekly"
        ends = data.get("ends") if weekly else None
        return {
            "kind": data["kind"],
            "assignment": data.get("assignment"),
            "start_date": data["date"],
            "start_time": data["start"],
            "duration_minutes": data["duration_minutes"],
            "time_zone": data["time_zone"],
            # Stored in RFC 5545 order, whatever order the form sent.
            "weekdays": ",".join(code for code in WEEKDAYS if code in data["weekdays"]) if weekly else "",
            "interval": data.get("interval") or 1 if weekly else 1,
            "until": data.get("until") if ends == "until" else None,
            "count": data.get("count") if ends == "count" else None,
        }

    @classmethod
    def initial_for(cls, block: Block, now: dt.datetime | None = None) -> dict:
        """The form for a change, starting from the next time the block happens.

        A series already under way is changed from its next occurrence on; a
        count of times counts only those still to come.
        """
        now = now or timezone.now()
        ends = "until" if block.until else "count" if block.count else "never"
        end = (dt.datetime.combine(block.start_date, block.start_time) + block.duration).time()
        first = block.start_date
        count = block.count
        if block.repeats and block.first_start <= now:
            following = recurrence.next_occurrence(block, now)
            if following is not None:
                first = following.local_date
                if count:
                    done = len(recurrence.occurrences(block, block.first_start, following.start, include_skipped=True))
                    count = max(count - done, 1)
        return {
            "kind": block.kind,
            "assignment": block.assignment_id,
            "date": first,
            "start": block.start_time,
            "end": end,
            "time_zone": block.time_zone,
            "repeat": "weekly" if block.repeats else "none",
            "weekdays": block.weekday_codes,
            "interval": block.interval,
            "ends": ends,
            "until": block.until,
            "count": count,
        }


class FindForm(forms.Form):
    minutes = forms.TypedChoiceField(
        label=_("How long"),
        coerce=int,
        choices=[(30, _("30 minutes")), (60, _("1 hour")), (90, _("1½ hours")), (120, _("2 hours"))],
        initial=60,
        error_messages={"invalid_choice": _("Choose how long from the list.")},
    )


class FreeTimeForm(forms.ModelForm):
    class Meta:
        model = FreeTime
        fields = ["weekday", "start_time", "end_time"]
        labels = {"weekday": _("Day"), "start_time": _("From"), "end_time": _("Until")}
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        error_messages = {
            "weekday": {"invalid_choice": _("Choose a day of the week."), "required": _("Choose a day.")},
            "start_time": {"invalid": _("Enter the start as HH:MM."), "required": _("Choose a start time.")},
            "end_time": {"invalid": _("Enter the end as HH:MM."), "required": _("Choose an end time.")},
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end is not after the start. Choose an end time later than the start."))
        return data

    def validate_constraints(self, exclude=None):
        # The end-after-start rule is checked in clean() with a clearer message.
        return


class ReminderSettingsForm(forms.ModelForm):
    class Meta:
        model = CalendarSettings
        fields = ["remind", "minutes_before", "channel", "detailed_wording"]
        widgets = {"channel": forms.RadioSelect}
        help_texts = {
            "channel": _(
                "A notification needs it turned on for each device, under Profile, Notifications; "
                "it always says only “time together” and the time."
            ),
            "detailed_wording": _(
                "Off: reminders and your calendar feed say only “time together”. "
                "On: they say what kind of time, e.g. “conversation”, and the homework's title."
            ),
        }
        error_messages = {
            "minutes_before": {"invalid_choice": _("Choose when to be reminded from the list.")},
            "channel": {"invalid_choice": _("Choose how to be reminded from the list.")},
        }
