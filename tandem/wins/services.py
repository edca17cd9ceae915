"""Recognising milestones from what really happened."""

from __future__ import annotations

from tandem.homework.models import Assignment, ProgramRun
from tandem.seasons.models import HardSeason
from tandem.wins.models import Milestone

CONVERSATION_SLUG = "weekly-connection-conversation"
CONVERSATIONS_FOR_MILESTONE = 4


def record_milestones(couple) -> list[Milestone]:
    """Add every milestone the couple has reached and not yet celebrated.

    Idempotent (one row per milestone, by a unique constraint), so it can run
    after any event that might have reached one.
    """

    done = Assignment.objects.filter(couple=couple, status=Assignment.Status.COMPLETED)
    reached: list[tuple[str, str, object]] = []
    first = done.order_by("completed_at").values_list("completed_at", flat=True).first()
    if first:
        reached.append((Milestone.Kind.FIRST_HOMEWORK, "", first))
    conversations = list(
        done.filter(exercise__slug=CONVERSATION_SLUG).order_by("completed_at").values_list("completed_at", flat=True)
    )
    if len(conversations) >= CONVERSATIONS_FOR_MILESTONE:
        reached.append((Milestone.Kind.FOUR_CONVERSATIONS, "", conversations[CONVERSATIONS_FOR_MILESTONE - 1]))
    stages = done.filter(exercise__kind="touch").values_list("exercise__data__stage", "completed_at")
    for stage, when in stages.order_by("completed_at"):
        reached.append((Milestone.Kind.STAGE_FINISHED, str(stage), when))  # the first time per stage counts
    for run_id, finished in ProgramRun.objects.filter(couple=couple, finished_at__isnull=False).values_list(
        "pk", "finished_at"
    ):
        reached.append((Milestone.Kind.PROGRAM_FINISHED, str(run_id), finished))
    for season_id, ended in HardSeason.objects.filter(couple=couple, ended_at__isnull=False).values_list(
        "pk", "ended_at"
    ):
        reached.append((Milestone.Kind.SEASON_WEATHERED, str(season_id), ended))
    existing = set(Milestone.objects.filter(couple=couple).values_list("kind", "ref"))
    new = []
    for kind, ref, when in reached:
        if (kind, ref) not in existing:
            existing.add((kind, ref))
            new.append(Milestone(couple=couple, kind=kind, ref=ref, achieved_at=when))
    Milestone.objects.bulk_create(new, ignore_conflicts=True)
    return new
