"""The shared calendar.

A *block* is time set aside together. One partner proposes it; it becomes
active only when the other accepts, and from then on both own it. A block
is planned in a time zone and keeps its wall-clock time there: a weekly
19:30 in Berlin stays 19:30 in Berlin across daylight-saving changes, and
each partner sees it in their own zone (see ``recurrence.py``).

Free times (``FreeTime``) belong to one person and are never shown to the
other; only the slots where both are free are (``finding.py``).

Reminders (``Reminder``) are planned one row per person and occurrence, so
that sending can be claimed exactly once (``reminders.py``); feeds
(``Feed``) are private calendar subscription URLs (``feeds.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.db import models, transaction
from django.db.models import OuterRef, Q, StringAgg, Subquery, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import validate_time_zone
from tandem.blocks import recurrence
from tandem.homework import holds

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]  # RFC 5545 order = Python's weekday()
DAY_NAMES = [_("Monday"), _("Tuesday"), _("Wednesday"), _("Thursday"), _("Friday"), _("Saturday"), _("Sunday")]


class BlockQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Block.Status.ACTIVE)

    def proposed(self):
        return self.filter(status=Block.Status.PROPOSED)

    def may_occur_between(self, start: dt.datetime, end: dt.datetime):
        """Active blocks that could have an occurrence in [start, end)."""
        return self.active().filter(first_start__lt=end).filter(Q(last_end__isnull=True) | Q(last_end__gt=start))

    def for_calendar(self):
        """Everything an agenda or feed needs, in one query.

        The skipped dates come along as one comma-separated string per block
        (``skip_dates``), which ``recurrence`` reads instead of the ``skips``
        relation: one query for any number of blocks.
        """
        dates = (
            Skip.objects.filter(block=OuterRef("pk"))
            .order_by()
            .values("block")
            .annotate(dates=StringAgg(Cast("occurrence_date", models.CharField()), delimiter=Value(",")))
            .values("dates")
        )
        return self.select_related("assignment__exercise").annotate(skip_dates=Subquery(dates))

    def with_holds(self):
        """Each block with its ``hold`` code ("" when nothing holds it), in the same query (see ``holds``)."""
        return self.annotate(hold=holds.block_hold_sql(self.model))


class Block(models.Model):
    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("Conversation")
        ACTIVITY = "activity", _("Shared activity")
        CLOSENESS = "closeness", _("Closeness")
        CHECKIN = "checkin", _("Check-in")
        HOMEWORK = "homework", _("Homework")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for an answer")
        ACTIVE = "active", _("Planned")
        # Declined by the partner; who declined is not a question anyone asks.
        SET_ASIDE = "set_aside", _("Set aside")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        ENDED = "ended", _("Ended")

    # The id is also the feed's UID, so a calendar app recognises the block
    # across edits.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="blocks")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.CONVERSATION)
    assignment = models.ForeignKey(
        "homework.Assignment", null=True, blank=True, on_delete=models.SET_NULL, related_name="blocks"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="proposed_blocks"
    )
    # A proposed change to an active block: accepted, its times are copied
    # onto ``replaces`` (same id, next sequence) and this row goes away.
    replaces = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="changes")

    # When, as planned: wall-clock date and times in ``time_zone``.
    start_date = models.DateField()
    start_time = models.TimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    # Recurrence (RFC 5545 RRULE, weekly only): no weekdays = once.
    weekdays = models.CharField(max_length=20, blank=True, help_text="RFC 5545 BYDAY codes, comma-separated")
    interval = models.PositiveSmallIntegerField(default=1)
    until = models.DateField(null=True, blank=True)
    count = models.PositiveSmallIntegerField(null=True, blank=True)

    # Derived, in UTC, so that the database can narrow an agenda or a
    # reminder sweep to blocks that can occur in a window.
    first_start = models.DateTimeField(editable=False)
    last_end = models.DateTimeField(null=True, editable=False)

    sequence = models.PositiveIntegerField(default=0)  # the feed's SEQUENCE: bumped on each accepted change
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    objects = BlockQuerySet.as_manager()

    class Meta:
        ordering = ["first_start"]
        indexes = [models.Index(fields=["couple", "status", "first_start"], name="block_couple_status")]
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=5), name="block_duration_min"),
            models.CheckConstraint(condition=Q(interval__gte=1), name="block_interval_min"),
            # RFC 5545: a rule ends by UNTIL or by COUNT, never both.
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(count__isnull=True), name="block_until_or_count"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date} {self.start_time} ({self.status})"

    def save(self, *args, **kwargs):
        self.refresh_bounds()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "first_start", "last_end", "updated_at"}
        super().save(*args, **kwargs)

    @property
    def held_reason(self) -> str:
        """Why the block waits (its reminders do), for blocks read ``with_holds()``."""
        return holds.reason(self.hold)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def repeats(self) -> bool:
        return bool(self.weekdays)

    @property
    def weekday_codes(self) -> list[str]:
        return [code for code in self.weekdays.split(",") if code]

    def skipped_dates(self) -> set[dt.date]:
        """The skipped occurrences' dates (from ``for_calendar`` when it was used)."""
        annotated = getattr(self, "skip_dates", False)
        if annotated is not False:
            return {dt.date.fromisoformat(day) for day in (annotated or "").split(",") if day}
        return {skip.occurrence_date for skip in self.skips.all()}

    @property
    def weekday_names(self) -> str:
        return ", ".join(str(DAY_NAMES[WEEKDAYS.index(code)]) for code in self.weekday_codes)

    @property
    def duration(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.duration_minutes)

    def refresh_bounds(self) -> None:
        """Recompute ``first_start`` and ``last_end`` from the plan."""

        self.first_start, self.last_end = recurrence.bounds(self)


class Skip(models.Model):
    """One occurrence of a block left out (an RFC 5545 exception date).

    The series goes on. No reason is asked; only the person who skipped can
    bring the occurrence back, so one partner's "not this time" is never
    overridden by the other.
    """

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="skips")
    # The occurrence's date where the block was planned: a weekly block has
    # at most one occurrence a day, so the date names it.
    occurrence_date = models.DateField()
    skipped_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["block", "occurrence_date"], name="skip_once_per_occurrence")]

    def __str__(self) -> str:
        return f"skip {self.occurrence_date} of {self.block_id}"


class FreeTime(models.Model):
    """A weekly window when one person is usually free, in their own zone.

    Private to its owner: it has no couple, and only the owner's pages list
    it. Finding time uses it without showing it.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="free_times")
    weekday = models.PositiveSmallIntegerField(choices=list(enumerate(DAY_NAMES)))
    start_time = models.TimeField()
    end_time = models.TimeField()

    class Meta:
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="free_time_end_after_start"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="free_time_weekday"),
        ]

    def __str__(self) -> str:
        return f"{WEEKDAYS[self.weekday]} {self.start_time}-{self.end_time}"


class CalendarSettings(models.Model):
    """One person's reminder and wording choices."""

    class Channel(models.TextChoices):
        # A reminder row records its channel, and ``reminders.deliver``
        # picks the sender by it.
        EMAIL = "email", _("E-mail")
        # Web push to the devices where the person turned it on (tandem/notifications).
        PUSH = "push", _("A notification on my devices")

    LEAD_CHOICES = [
        (10, _("10 minutes before")),
        (30, _("30 minutes before")),
        (60, _("1 hour before")),
        (120, _("2 hours before")),
        (1440, _("1 day before")),
    ]

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_settings")
    # Off until the person asks: an e-mail from Tandem is itself something
    # someone else reading the inbox could notice.
    remind = models.BooleanField(_("remind me of our blocks"), default=False)
    minutes_before = models.PositiveSmallIntegerField(_("when"), choices=LEAD_CHOICES, default=60)
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    # Neutral wording ("time together") unless the person opts in.
    detailed_wording = models.BooleanField(_("name the kind of block in reminders and my feed"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"calendar settings of {self.user_id}"

    @classmethod
    def of(cls, user) -> CalendarSettings:
        """The person's settings, or the defaults (unsaved) if they never chose."""
        found = getattr(user, "_calendar_settings", None)
        if found is None:
            found = cls.objects.filter(user=user).first() or cls(user=user)
        return found


class ReminderQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=Reminder.Status.PENDING)


class Reminder(models.Model):
    """One reminder for one person of one occurrence of a block."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")  # claimed by one worker
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")  # the block changed, was skipped or ended
        MISSED = "missed", _("Missed")  # the worker came back after the block had ended

    block = models.ForeignKey(Block, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders")
    channel = models.CharField(max_length=10, choices=CalendarSettings.Channel.choices)
    occurrence_start = models.DateTimeField()
    occurrence_end = models.DateTimeField()
    send_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    sent_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["status", "send_at"], name="reminder_due")]
        constraints = [
            # One live reminder per person and occurrence; cancelled rows
            # don't count, so a block changed back to its old time can be
            # reminded again.
            models.UniqueConstraint(
                fields=["block", "user", "occurrence_start"],
                condition=~Q(status="cancelled"),
                name="reminder_once_per_occurrence",
            )
        ]

    def __str__(self) -> str:
        return f"reminder {self.pk} ({self.status}) at {self.send_at}"


class FeedQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class Feed(models.Model):
    """A person's private calendar subscription.

    Only a hash of the token is stored: the URL is shown once, when it is
    made, so a copy of the database does not hand out anyone's calendar.
    """

    TOKEN_BYTES = 32

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feeds")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "couple"], condition=Q(revoked_at__isnull=True), name="feed_one_live_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"feed of {self.user_id}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, user, couple) -> tuple[Feed, str]:
        """Revoke the person's live feed, if any, and make a new one."""
        token = secrets.token_urlsafe(cls.TOKEN_BYTES)
        with transaction.atomic():
            cls.objects.live().filter(user=user, couple=couple).update(revoked_at=timezone.now())
            return cls.objects.create(user=user, couple=couple, token_hash=cls.hash(token)), token
