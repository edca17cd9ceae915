"""Therapists, care links and the audit log of therapist reads.

A therapist sees a couple only through a *care link* that both partners have
consented to. Consent is recorded per partner; the link turns active on the
second consent and ends the moment either partner ends it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.fields import EncryptedCharField, EncryptedTextField
from tandem.core.invites import InviteBase


class Therapist(models.Model):
    """The therapist role on an account."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="therapist")
    practice_name = models.CharField(_("practice name"), max_length=120)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.practice_name})"


class CareInvite(InviteBase):
    """A code a therapist gives a couple, typically during a session."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="invites")
    # The therapist's own reminder of who the code is for; never shown to the couple.
    label = EncryptedCharField(_("note to yourself"), max_length=80, blank=True)
    couple = models.ForeignKey("couples.Couple", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"care invite {self.pk} ({self.state})"


class CareLinkQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=CareLink.Status.ACTIVE)

    def pending(self):
        """Waiting for both partners' consent."""
        return self.filter(status=CareLink.Status.PENDING)

    def current(self):
        """Pending or active: the link a couple has right now, if any."""
        return self.filter(status__in=[CareLink.Status.PENDING, CareLink.Status.ACTIVE])

    def were_active(self):
        """Links that were active at some time (a declined request never was)."""
        return self.filter(activated_at__isnull=False)

    def with_history_question(self, partner):
        """Each link with ``asks_history`` (the couple had another link that was
        once active, so there can be earlier history to share) and
        ``history_shared`` (``partner``'s own answer), in the same query."""
        earlier = CareLink.objects.were_active().filter(couple=OuterRef("couple")).exclude(pk=OuterRef("pk"))
        mine = HistoryConsent.objects.filter(link=OuterRef("pk"), partner=partner)
        return self.annotate(asks_history=Exists(earlier), history_shared=Exists(mine))


class CareLink(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for both partners")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="care_links")
    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="links")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    activated_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The therapist's own planning: the next session (homework can be given
    # relative to it) and whether touch stages above the first wait for the
    # therapist's go-ahead with this couple.
    next_session = models.DateField(_("next session"), null=True, blank=True)
    stages_need_approval = models.BooleanField(_("touch stages above the first need my approval"), default=True)

    objects = CareLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # One therapist at a time keeps "who is on our care team" simple
            # for both partners to see and to end.
            models.UniqueConstraint(
                fields=["couple"],
                condition=Q(status__in=["pending", "active"]),
                name="carelink_one_current_per_couple",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.therapist} ↔ {self.couple} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class CareConsent(models.Model):
    """One partner's yes to a care link."""

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="consents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "user"], name="careconsent_once_per_partner")]

    def __str__(self) -> str:
        return f"consent of {self.user_id} to link {self.link_id}"


class HistoryConsent(models.Model):
    """One partner's yes to letting this link's therapist read their *earlier history*.

    Earlier history is what the partner shared with the care team outside
    this link: their care-team entries and measure responses from earlier
    care links (or from no link). Without this row a link's therapist reads
    only what was shared under that link; with it, this partner's earlier
    history too, never the other partner's. Withdrawing deletes the row, so
    the next read already goes without. The therapist is never told whether
    either partner said yes (``couples.visibility.care_team_may_read``).
    """

    link = models.ForeignKey(CareLink, on_delete=models.CASCADE, related_name="history_consents")
    partner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["link", "partner"], name="historyconsent_once_per_partner")]

    def __str__(self) -> str:
        return f"earlier history of {self.partner_id} for link {self.link_id}"


class AuditEntryQuerySet(models.QuerySet):
    def shown_to(self, partner):
        """The reads a partner sees: the couple's, and those of their own data."""
        return self.filter(Q(hidden=False) | Q(subject=partner))


class AuditEntry(models.Model):
    """A therapist read of couple data. Append-only: nothing in the app edits
    or deletes these rows, and the admin registers them read-only."""

    # When a therapist's account is erased, the trail stays under a
    # pseudonymous id (``therapist_ref``) instead of the person.
    therapist = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    therapist_ref = models.CharField(max_length=64, blank=True)
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="audit_entries")
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    path = models.CharField(max_length=300)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The partner whose own data was read (a measure, a safety message), when
    # it belongs to one of them: only that partner sees such an entry in
    # their list of reads, so the list can't tell the other partner that a
    # measure or a safety message exists.
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Not listed to the couple as a whole: a read of one partner's own data
    # (listed to its subject only), or of the safety channel or measures page
    # as a whole (each partner gets their own entry instead).
    hidden = models.BooleanField(default=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.therapist_id} read {self.path} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self.subject_id is not None:
            self.hidden = True  # one partner's own data: never listed to the other, even after an erasure
        super().save(*args, **kwargs)

    LABELS = {
        "couples.couple": _("your couple's space"),
        "clinic.caseload": _("the list of linked couples (your names, homework counts, scores)"),
        "homework.assignment": _("a homework"),
        "homework.response": _("an answer shared with the care team"),
        "homework.debrief": _("a reflection shared with the care team"),
        "clinic.homeworkschedule": _("scheduled homework"),
    }

    @property
    def what(self) -> str:
        app = self.object_type.partition(".")[0]
        if self.object_type in self.LABELS:
            return str(self.LABELS[self.object_type])
        if app == "measures":
            return str(_("your measures"))
        if app == "safety":
            return str(_("your messages to the therapist"))
        return str(_("your couple's data"))


class CaseNote(models.Model):
    """The therapist's private note about a couple. Never shown to the couple."""

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="notes")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    body = EncryptedTextField(_("note"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.couple_id}"


class HomeworkScheduleQuerySet(models.QuerySet):
    def due(self, today):
        return self.filter(active=True, next_on__lte=today)


class HomeworkSchedule(models.Model):
    """A therapist's plan for giving an exercise or a program to a couple.

    *Once* gives it on a date with a due date; *weekly* gives it again each
    week for a number of weeks; *after the session* gives it on the day of
    the next session, due a number of days after it. Each time it is given,
    it becomes an ordinary assignment (or program run) that the couple still
    says yes to; the schedule only decides when it is offered.
    """

    class Cadence(models.TextChoices):
        ONCE = "once", _("Once")
        WEEKLY = "weekly", _("Every week")
        AFTER_SESSION = "after_session", _("After the next session")

    class What(models.TextChoices):
        EXERCISE = "exercise", _("Exercise")
        PROGRAM = "program", _("Program")

    therapist = models.ForeignKey(Therapist, on_delete=models.CASCADE, related_name="schedules")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="homework_schedules")
    what = models.CharField(max_length=10, choices=What.choices, default=What.EXERCISE)
    slug = models.CharField(max_length=80)
    title = models.CharField(max_length=120)  # as the therapist chose it, for their list
    message = EncryptedCharField(_("message to the couple (optional)"), max_length=500, blank=True)
    cadence = models.CharField(max_length=16, choices=Cadence.choices, default=Cadence.ONCE)
    next_on = models.DateField(null=True, blank=True)  # the next day it is given; None when done
    due_days = models.PositiveSmallIntegerField(default=7)  # days from giving to due
    times_left = models.PositiveSmallIntegerField(default=1)
    active = models.BooleanField(default=True)
    last_problem = models.CharField(max_length=200, blank=True)  # why it could not be given last time
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = HomeworkScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["next_on", "created_at"]
        indexes = [models.Index(fields=["active", "next_on"], name="schedule_due")]

    def __str__(self) -> str:
        return f"{self.slug} for {self.couple_id} ({self.cadence}, next {self.next_on})"
