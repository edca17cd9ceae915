"""Homework: frozen exercise versions, assignments, each partner's part, responses.

Shape of one assignment:

* ``Assignment`` -- one exercise version given to one couple, with its
  lifecycle (proposed -> active -> completed, or lapsed / set aside);
* ``Part`` -- one row per partner: opted in, done, debriefed, ready today;
* ``Pause`` -- a partner's no-reason pause; only they can lift it;
* ``Response`` -- what a partner wrote, an *entry* with a visibility.

Write-then-share answers are stored *sealed* until both are in: the shared
visibility rule then lets the partner see that an answer exists but never
its words. The reveal turns both to the visibility each writer chose, in
one locked transaction (see ``kinds.write_then_share.submit_answer``).
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import CharField, Count, Exists, Max, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.fields import EncryptedCharField, EncryptedTextField
from tandem.couples.visibility import Entry, Visibility
from tandem.homework import holds
from tandem.homework.specs import ContentError, ExerciseSpec


class ExerciseQuerySet(models.QuerySet):
    def snapshot(self, spec: ExerciseSpec) -> Exercise:
        """The frozen row for this file version, made on first use."""
        exercise, created = self.get_or_create(
            slug=spec.slug,
            version=spec.version,
            defaults={
                "kind": spec.kind,
                "intimacy_level": spec.intimacy_level,
                "title": spec.title,
                "data": spec.to_json(),
                "content_hash": spec.content_hash,
            },
        )
        if not created and exercise.content_hash != spec.content_hash:
            raise ContentError(
                spec.source or spec.slug,
                "version",
                f"the content changed but the version is still {spec.version}: raise the version",
            )
        return exercise


class Exercise(models.Model):
    """One version of an exercise, exactly as it was when first given."""

    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    kind = models.CharField(max_length=20)
    intimacy_level = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=80)
    data = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["slug", "version"], name="exercise_version_once")]

    def __str__(self) -> str:
        return f"{self.slug} v{self.version}"

    @property
    def spec(self) -> ExerciseSpec:
        return ExerciseSpec.from_json(self.data)


class AssignmentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Assignment.OPEN)

    def completed(self):
        """Homework the couple did (it has a completion time)."""
        return self.filter(completed_at__isnull=False)

    def closed_or_overdue(self, now=None):
        """Homework whose time has come: done, lapsed or set aside, or still
        open past its due date. Homework given yesterday and due next week is
        not (yet) homework not done."""
        now = now or timezone.now()
        closed = [Assignment.Status.COMPLETED, Assignment.Status.LAPSED, Assignment.Status.SET_ASIDE]
        return self.filter(Q(status__in=closed) | Q(due_at__lt=now))

    def with_holds(self):
        """Each row with its ``hold`` code ("" when open to go on), in the same query (see ``holds``)."""
        return self.annotate(hold=holds.assignment_hold_sql(self.model))

    def overdue(self, now=None):
        """Open homework past its due date that no hard season holds (held
        homework waits; it never lapses)."""
        return self.open().filter(due_at__lt=now or timezone.now()).exclude(holds.held_by_season())

    def with_overdue(self, now=None):
        """Each row with ``overdue`` (see ``overdue``), in the same query; ``Assignment.as_read`` uses it."""
        return self.annotate(overdue=Exists(Assignment.objects.overdue(now).filter(pk=OuterRef("pk"))))

    def with_turn_stamp(self, user):
        """Each row with what its page shows that another's move can change,
        for ``Assignment.turn_stamp``, in the same query (no statement of its own).

        Only what ``user`` may know: the responses they may know exist (a
        sealed answer's existence, never its words) and the words they may
        read (an edit shows by ``updated_at``), debriefs they may read, the
        hold and status, the reveal, the touch session, and the partner's
        "done" (a move the kinds' ``whose_move`` already counts). Never the
        partner's private "ready today" (``Part.ready_on``) nor who paused.
        """
        responses = Response.objects.filter(assignment=OuterRef("pk")).order_by().values("assignment")
        debriefs = Debrief.objects.filter(assignment=OuterRef("pk")).order_by().values("assignment")
        mine = Part.objects.filter(assignment=OuterRef("pk"), user=user)
        partners = Part.objects.filter(assignment=OuterRef("pk")).exclude(user=user).order_by().values("assignment")

        def one(queryset, **aggregate):
            ((name, value),) = aggregate.items()
            return Subquery(queryset.annotate(**{name: value}).values(name)[:1])

        return self.annotate(
            stamp_seen=one(responses.visible_to(user), n=Count("pk")),
            stamp_read=one(responses.readable_by(user), at=Max("updated_at")),
            stamp_debriefs=one(debriefs.readable_by(user), n=Count("pk")),
            # My own part: my yes, my "done", my debrief, my "ready today" (all mine to know).
            stamp_mine=Subquery(
                mine.annotate(
                    key=Concat(
                        *(
                            Coalesce(Cast(f, CharField()), Value("-"))
                            for f in ("opted_in_at", "done_at", "debriefed_at", "ready_on")
                        ),
                        output_field=CharField(),
                    )
                ).values("key")[:1]
            ),
            stamp_partner_done=one(partners, at=Max("done_at")),
            stamp_my_pause=Exists(Pause.objects.filter(assignment=OuterRef("pk"), user=user)),
        )

    def lapse_overdue(self, now=None) -> int:
        """Overdue homework becomes lapsed (not failed). The worker's job
        (``services.lapse_when_due``), never a page's: pages read it as
        lapsed already (``Assignment.as_read``)."""
        now = now or timezone.now()
        return self.overdue(now).update(status=Assignment.Status.LAPSED, lapsed_at=now)


class Assignment(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("suggested")
        ACTIVE = "active", _("under way")
        COMPLETED = "completed", _("done")
        LAPSED = "lapsed", _("not done this time")
        SET_ASIDE = "set_aside", _("set aside")

    # Open homework: still to be said yes to, or under way. Only open homework
    # can be paused or held; done, lapsed or set aside is over (``is_open``).
    OPEN = (Status.PROPOSED, Status.ACTIVE)

    class Source(models.TextChoices):
        COUPLE = "couple", _("chosen by us")
        THERAPIST = "therapist", _("from our therapist")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="assignments")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="assignments")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.COUPLE)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = EncryptedCharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    due_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    lapsed_at = models.DateTimeField(null=True, blank=True)
    revealed_at = models.DateTimeField(null=True, blank=True)
    # Activities: who plans this time (alternates between the partners).
    planner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Touch stages: when both said "ready" for the same day, and the linked
    # therapist's go-ahead for the next stage.
    session_opened_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    program_run = models.ForeignKey(
        "homework.ProgramRun", on_delete=models.CASCADE, null=True, blank=True, related_name="assignments"
    )
    step_index = models.PositiveSmallIntegerField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["couple", "status"], name="assignment_couple_status")]

    def __str__(self) -> str:
        return f"{self.exercise} for {self.couple_id} ({self.status})"

    @property
    def spec(self) -> ExerciseSpec:
        return self.exercise.spec

    @property
    def is_open(self) -> bool:
        """Suggested or under way: what can still be paused, and held."""
        return self.status in self.OPEN

    def as_read(self) -> Assignment:
        """Overdue homework (a row from ``with_overdue``) reads as lapsed,
        whether or not the worker has written it yet. In memory only: a page
        that is only read writes nothing."""
        if getattr(self, "overdue", False):
            self.status = self.Status.LAPSED
            self.lapsed_at = self.due_at
        return self

    @property
    def kind(self) -> str:
        return self.exercise.kind

    # What ``with_turn_stamp`` reads, in this order (the rest are the row's own fields).
    STAMPED = (
        "status",
        "hold",
        "overdue",
        "revealed_at",
        "session_opened_at",
        "completed_at",
        "approved_at",
        "planner_id",
        "due_at",
        "stamp_seen",
        "stamp_read",
        "stamp_debriefs",
        "stamp_mine",
        "stamp_partner_done",
        "stamp_my_pause",
    )

    @property
    def turn_stamp(self) -> str:
        """A short fingerprint of this assignment as ``user`` of ``with_turn_stamp``
        may see it: it changes when a move changes their page, and only then
        (the live page polls it, ``turns.views.stamp``)."""
        values = "|".join(str(getattr(self, name, "")) for name in self.STAMPED)
        return hashlib.blake2b(values.encode(), digest_size=8).hexdigest()


class PartQuerySet(models.QuerySet):
    def opted_in(self):
        """Parts whose partner said yes to the homework."""
        return self.filter(opted_in_at__isnull=False)


class Part(models.Model):
    """One partner's share of an assignment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="parts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=1, choices=[("a", "a"), ("b", "b")])
    opted_in_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    debriefed_at = models.DateTimeField(null=True, blank=True)
    # Touch: "ready today", as a date in the partner's own time zone. A
    # "not today" is simply the absence of this; it is never stored.
    ready_on = models.DateField(null=True, blank=True)

    objects = PartQuerySet.as_manager()

    class Meta:
        ordering = ["role"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "user"], name="part_once_per_partner"),
            models.UniqueConstraint(fields=["assignment", "role"], name="part_one_per_role"),
        ]

    def __str__(self) -> str:
        return f"part {self.role} of {self.assignment_id}"


class Pause(models.Model):
    """A partner's pause of one assignment. No reason is asked or stored."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="pauses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "user"], name="pause_once_per_partner")]

    def __str__(self) -> str:
        return f"pause of {self.assignment_id}"


class Response(Entry):
    """What a partner wrote for their part."""

    class Step(models.TextChoices):
        ANSWER = "answer", _("answer")
        REPLY = "reply", _("reply")
        # listening
        MESSAGE = "message", _("message")
        RESTATEMENT = "restatement", _("restatement")
        CONFIRMATION = "confirmation", _("confirmation")
        # joint journal
        MOMENT = "moment", _("the moment we look at")
        MOMENT_OK = "moment_ok", _("moment agreed")
        PERSPECTIVE = "perspective", _("perspective")
        NEXT_TIME = "next_time", _("what we'll try next time")
        # activity
        PLAN = "plan", _("plan")

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="responses")
    step = models.CharField(max_length=20, choices=Step.choices)
    body = EncryptedTextField(max_length=5000)
    # For sealed answers: the visibility they take on at the reveal.
    reveal_as = models.CharField(max_length=16, blank=True)
    # Listening: 1 while role a speaks, 2 while role b speaks.
    phase = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "author", "step"],
                condition=Q(step__in=["answer", "reply", "perspective", "plan"]),
                name="response_one_per_step_per_partner",
            )
        ]

    def __str__(self) -> str:
        return f"{self.step} by {self.author_id} on {self.assignment_id}"

    CARE_LINK_INPUTS = frozenset({"visibility", "reveal_as"})

    def shared_with_care_team(self) -> bool:
        # A sealed answer to become care team at the reveal was given to the
        # therapist linked when it was written, even if the reveal comes later.
        return super().shared_with_care_team() or self.reveal_as == Visibility.CARE_TEAM


class Debrief(Entry):
    """A partner's private reflection after doing the homework.

    Private by default; the partner chooses to share it (or also with the
    care team)."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="debriefs")
    feeling = models.PositiveSmallIntegerField()
    word = EncryptedCharField(max_length=30, blank=True)
    note = EncryptedTextField(max_length=1000, blank=True)
    # Touch stages: "this stage felt comfortable"; both yes opens the next.
    comfortable = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assignment", "author"], name="debrief_once_per_partner"),
            models.CheckConstraint(condition=Q(feeling__gte=1, feeling__lte=5), name="debrief_feeling_1_to_5"),
        ]

    def __str__(self) -> str:
        return f"debrief by {self.author_id} on {self.assignment_id}"


class ProgramRunQuerySet(models.QuerySet):
    def running(self):
        """Programs started and neither finished nor stopped."""
        return self.filter(finished_at=None, stopped_at=None)

    def with_steps_done(self):
        """Each run with ``steps_done``: its distinct completed steps (a renewed
        step counts once), the count ``programs.progress`` makes one run at a time."""
        return self.annotate(
            steps_done=models.Count(
                "assignments__step_index", filter=Q(assignments__status=Assignment.Status.COMPLETED), distinct=True
            )
        )


class ProgramRun(models.Model):
    """A couple working through a program, one step at a time."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="program_runs")
    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=80)
    data = models.JSONField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    source = models.CharField(max_length=10, choices=Assignment.Source.choices, default=Assignment.Source.COUPLE)
    started_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    objects = ProgramRunQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["couple", "slug"],
                condition=Q(finished_at__isnull=True, stopped_at__isnull=True),
                name="programrun_one_running_per_program",
            )
        ]

    def __str__(self) -> str:
        return f"{self.slug} for {self.couple_id}"
