"""Starting and ending hard seasons, and when to suggest one."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.couples.visibility import Visibility
from tandem.seasons.models import HardSeason, ReadyToEnd

STRESS_HIGH = 4  # a stress of 4 or 5 counts as high
STRESS_WINDOW = 5  # over the partner's last five shared check-ins
STRESS_COUNT = 3  # at least three high ones
RED_COUNT = 2  # two red rapid check-ins…
RED_DAYS = 7  # …within a week
RECENT_DAYS = 21  # older check-ins say little about now


class SeasonError(Exception):
    """A hard-season action that can't be done, with the reason to show."""


def current_season(couple) -> HardSeason | None:
    return HardSeason.objects.current().filter(couple=couple).first()


def start(couple, user, *, reason: str, reason_shared: bool, expected_weeks: int) -> HardSeason:
    if not couple.is_open or not couple.is_complete:
        raise SeasonError(_("A hard season is for both partners in an open couple space."))
    try:
        with transaction.atomic():
            return HardSeason.objects.create(
                couple=couple,
                started_by=user,
                reason=reason,
                reason_shared=reason_shared,
                expected_weeks=expected_weeks,
            )
    except IntegrityError:
        raise SeasonError(_("A hard season is already on. Take good care of each other.")) from None


def ready_to_end(season: HardSeason, user) -> bool:
    """Record my readiness; end the season when both are ready. True if it ended."""
    from tandem.homework import holds
    from tandem.homework.models import Assignment

    with transaction.atomic():
        season = HardSeason.objects.select_for_update().get(pk=season.pk)
        if season.ended_at:
            raise SeasonError(_("This hard season has already ended."))
        ReadyToEnd.objects.get_or_create(season=season, user=user)
        if season.ready.count() < 2:
            return False
        now = timezone.now()
        season.ended_at = now
        season.save(update_fields=["ended_at"])
        # Held homework resumes where it stopped: its due date moves on by
        # the length of the season, so nothing lapses because of it.
        Assignment.objects.open().filter(holds.intimate(), couple=season.couple, due_at__gt=season.started_at).update(
            due_at=F("due_at") + (now - season.started_at)
        )
    from tandem.homework.programs import advance_running
    from tandem.wins.services import record_milestones

    advance_running(season.couple)
    record_milestones(season.couple)
    return True


def should_suggest(couple) -> bool:
    """Suggest (never switch on) a hard season, from what partners shared.

    Only check-ins shared with the partner count: the suggestion is shown to
    both, so it must not be built on anything private.
    """
    from tandem.checkins.models import CheckIn, RapidCheckIn

    if current_season(couple) is not None:
        return False
    shared = [Visibility.SHARED, Visibility.CARE_TEAM]
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    last_end = HardSeason.objects.filter(couple=couple).exclude(ended_at=None).order_by("-ended_at").first()
    if last_end and last_end.ended_at > since:
        since = last_end.ended_at  # what came before a season that just ended is not news
    for partner in couple.partners():
        recent = list(
            CheckIn.objects.filter(couple=couple, author=partner, visibility__in=shared, created_at__gte=since)
            .order_by("-local_date")
            .values_list("stress", flat=True)[:STRESS_WINDOW]
        )
        if sum(1 for stress in recent if stress >= STRESS_HIGH) >= STRESS_COUNT:
            return True
        reds = RapidCheckIn.objects.filter(
            couple=couple,
            author=partner,
            visibility__in=shared,
            colour=RapidCheckIn.Colour.RED,
            created_at__gte=max(since, timezone.now() - timedelta(days=RED_DAYS)),
        ).count()
        if reds >= RED_COUNT:
            return True
    return False
