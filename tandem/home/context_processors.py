"""The layout's context: the quick exit and the header's one lazy query."""

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from tandem.accounts.models import User
from tandem.clinic.models import Therapist
from tandem.couples.models import Membership
from tandem.homework import holds


def site(request: HttpRequest) -> dict:
    return {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "SESSION_CHECK_AFTER": settings.SESSION_CHECK_AFTER_SECONDS,
        "nav": _nav(request),
    }


def _nav(request: HttpRequest):
    """What the header of every signed-in page needs, in one lazy query:
    the therapist role, the state of the "pause everything" control and
    whether a hard season is on."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None

    def compute() -> dict:
        mine = Membership.objects.filter(user=OuterRef("pk"), active=True)
        in_my_couple = {"couple__memberships__user": OuterRef("pk"), "couple__memberships__active": True}
        pauses = holds.pauses_everything().filter(**in_my_couple)
        return (
            User.objects.filter(pk=user.pk)
            .annotate(
                has_practice=Exists(Therapist.objects.filter(user=OuterRef("pk"))),
                in_couple=Exists(mine),
                paused_mine=Exists(pauses.filter(user=OuterRef("pk"))),
                paused_any=Exists(pauses),
                # Asked here so the home page needs no query of its own for it.
                season_on=Exists(holds.current_seasons().filter(**in_my_couple)),
            )
            .values("has_practice", "in_couple", "paused_mine", "paused_any", "season_on")
            .first()
        ) or {}

    return SimpleLazyObject(compute)
