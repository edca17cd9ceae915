"""What every kind's steps share: lock the assignment, find my part, check it
is under way, complete it.

The kinds (``homework/kinds/``) and the lifecycle (``services.py``) build on
these; nothing here knows any one kind. Every step locks the assignment row
first (``locked``), so two partners acting at once can't skip or repeat a
step, and refuses with ``HomeworkError`` and the sentence to show, changing
nothing. ``complete`` is the one place an assignment becomes completed and the
``homework_completed`` event is sent.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.homework import holds
from tandem.homework.models import Assignment, Part, Response
from tandem.homework.signals import homework_completed


class HomeworkError(Exception):
    """A homework action that can't be done, with the reason to show."""


# --- the shared helpers of every step ----------------------------------------------


def locked(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().select_related("exercise").get(pk=assignment.pk)


def my_part(assignment: Assignment, user) -> Part:
    try:
        return assignment.parts.get(user=user)
    except Part.DoesNotExist:
        raise HomeworkError(_("Only the two partners have a part in this homework.")) from None


def require_active(assignment: Assignment, user) -> Part:
    part = my_part(assignment, user)
    if assignment.status != Assignment.Status.ACTIVE:
        raise HomeworkError(_("This homework isn't under way, so nothing can be added now."))
    if code := holds.of_couple(assignment.couple).assignment(assignment):
        raise HomeworkError(holds.reason(code))
    if assignment.due_at and assignment.due_at < timezone.now():
        # The views lapse it on the next page load; nothing is written here,
        # since this runs inside the transaction that is being refused.
        raise HomeworkError(_("This homework wasn't done in time. That's fine: you can give it a new start."))
    return part


def write_mine(assignment: Assignment, user, step: str, body: str, visibility: str, **fields) -> Response:
    """My one response of this step, written or rewritten (a second post replaces the first)."""
    response, _created = Response.objects.update_or_create(
        assignment=assignment,
        author=user,
        step=step,
        defaults={"couple": assignment.couple, "body": body, "visibility": visibility, **fields},
    )
    return response


def require_kind(assignment: Assignment, kind: str, refusal: str | None = None) -> None:
    if assignment.kind != kind:
        raise HomeworkError(str(refusal) if refusal else _("That step doesn't belong to this exercise."))


# "We did it" posted for an exercise that is written, not done together.
NOT_DONE_TOGETHER = gettext_lazy("This exercise completes when both parts are written.")


def part_done(assignment: Assignment, part: Part) -> None:
    """My part is done; the assignment completes when both are."""
    if part.done_at is None:
        part.done_at = timezone.now()
        part.save(update_fields=["done_at"])
    if not assignment.parts.filter(done_at__isnull=True).exists():
        complete(assignment)


def complete(assignment: Assignment, *, now=None, also: tuple[str, ...] = ()) -> None:
    """Both parts are done: the assignment is completed, and everyone listening is told.

    ``also``: fields the caller set on the assignment, saved with it (the
    reveal's ``revealed_at``, at the same ``now``). Runs inside the caller's
    locked transaction."""
    now = now or timezone.now()
    assignment.parts.filter(done_at__isnull=True).update(done_at=now)
    assignment.status = Assignment.Status.COMPLETED
    assignment.completed_at = now
    assignment.save(update_fields=[*also, "status", "completed_at"])
    homework_completed.send(sender=Assignment, assignment=assignment)


# --- whose move: conditions on ``Part`` rows that the kinds' ``turn`` combine ---------------


def partner_done_first() -> Q:
    """The partner's part is done and mine is not: the homework waits on me."""
    theirs = Part.objects.filter(assignment=OuterRef("assignment"), done_at__isnull=False).exclude(
        user=OuterRef("user")
    )
    return Q(done_at__isnull=True) & Q(Exists(theirs))


def wrote(step: str, *, mine: bool) -> Exists:
    """I (``mine``) or my partner wrote a response of this step in this homework."""
    written = Response.objects.filter(assignment=OuterRef("assignment"), step=step)
    return Exists(written.filter(author=OuterRef("user")) if mine else written.exclude(author=OuterRef("user")))
