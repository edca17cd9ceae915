"""The layout's context: the quick exit and the header's one lazy query."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, JSONField, OuterRef, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.checkins.models import Schedule
from tandem.clinic.models import Therapist
from tandem.couples.access import desk_only
from tandem.couples.models import Membership
from tandem.homework import holds
from tandem.homework.models import Assignment
from tandem.turns import items as waiting


def site(request: HttpRequest) -> dict:
    return {
        "QUICK_EXIT_URL": settings.QUICK_EXIT_URL,
        "SESSION_CHECK_AFTER": settings.SESSION_CHECK_AFTER_SECONDS,
        # In milliseconds, for app.js ("Live turns").
        "LIVE_POLL_MS": int(settings.LIVE_POLL_SECONDS * 1000),
        "LIVE_TURN_POLL_MS": int(settings.LIVE_TURN_POLL_SECONDS * 1000),
        "nav": nav_for(request),
        # The waiting items themselves, for a page other than home that shows them
        # (the desk's caseload): computed only if a template reads them.
        "waiting_items": SimpleLazyObject(lambda: waiting.for_person(request.user)),
    }


def nav_for(request: HttpRequest):
    """The header's lazy query, once per request: a view that needs one of its
    answers (the home page: the check-in rhythm) reads the same one."""
    if not hasattr(request, "_tandem_nav"):
        request._tandem_nav = _nav(request)
    return request._tandem_nav


def _nav(request: HttpRequest):
    """What the header of every signed-in page needs, in one lazy query:
    the therapist role, the state of the "pause everything" control, whether
    a hard season is on, and how many waiting items wait for this person;
    then which navigation items this person has (``items``)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None

    def compute() -> dict:
        mine = Membership.objects.filter(user=OuterRef("pk"), active=True)
        in_my_couple = {"couple__memberships__user": OuterRef("pk"), "couple__memberships__active": True}
        pauses = holds.pauses_everything().filter(**in_my_couple)
        schedule = Schedule.objects.filter(user=OuterRef("pk"))
        found = (
            User.objects.filter(pk=user.pk)
            .annotate(
                has_practice=Exists(Therapist.objects.filter(user=OuterRef("pk"))),
                in_couple=Exists(mine),
                paused_mine=Exists(pauses.filter(user=OuterRef("pk"))),
                paused_any=Exists(pauses),
                # Asked here so the home page needs no query of its own for them.
                season_on=Exists(holds.current_seasons().filter(**in_my_couple)),
                checkin_frequency=Subquery(schedule.values("frequency")[:1]),
                checkin_weekdays=Subquery(schedule.values("weekdays")[:1], output_field=JSONField()),
                # Home offers one clear start until the couple's first homework is done.
                homework_done=Exists(Assignment.objects.completed().filter(**in_my_couple)),
                # The count of "waiting for you", whatever the number: one expression (``turns.items``).
                waiting=waiting.count_expression(user),
            )
            .values(
                "has_practice",
                "in_couple",
                "paused_mine",
                "paused_any",
                "season_on",
                "checkin_frequency",
                "checkin_weekdays",
                "homework_done",
                "waiting",
            )
            .first()
        ) or {}
        found["desk_only"] = desk_only(
            is_therapist=bool(found.get("has_practice")), in_couple=bool(found.get("in_couple"))
        )
        found["items"] = items(request, found)
        return found

    return SimpleLazyObject(compute)


@dataclass(frozen=True)
class Item:
    key: str  # for the shell's icon and for tests; never shown
    label: str
    url: str
    current: bool
    # The item that carries the header's count of waiting items (home; the caseload on the desk).
    counts: bool = False
    # Shown in the phone's tab bar. A tab bar fits about five items at 320 px, so a
    # therapist who is also a partner reaches Exercises and Practice from the caseload.
    phone: bool = True


# Which pages mark a therapist's item as the current one (url names of the clinic app).
_DESK_PAGES = {"caseload": {"caseload", "couple"}, "practice": {"practice", "register"}}


def items(request: HttpRequest, nav: dict) -> list[Item]:
    """The main navigation of this person: who sees which item is decided here.

    Partner items for anyone who is not only a therapist (a new account sees
    them too: they lead to starting a couple space); the desk's items for a
    therapist; both for a therapist who is also a partner (``desk_only``).
    """
    match = getattr(request, "resolver_match", None)
    app, name = (match.app_name, match.url_name) if match else ("", "")
    found: list[Item] = []
    if not nav["desk_only"]:
        found += [
            Item("home", _("Home"), reverse("home:home"), app == "home" and name == "home", counts=True),
            Item("checkins", _("Check in"), reverse("checkins:start"), app == "checkins"),
            Item("homework", _("This week"), reverse("homework:start"), app == "homework"),
        ]
        if nav.get("in_couple"):
            found.append(Item("calendar", _("Calendar"), reverse("blocks:start"), app == "blocks"))
    if nav.get("has_practice"):
        found += [
            Item(
                "caseload",
                _("Caseload"),
                reverse("clinic:caseload"),
                app == "clinic" and name in _DESK_PAGES["caseload"],
                counts=nav["desk_only"],
            ),
            Item("exercises", _("Exercises"), reverse("authoring:list"), app == "authoring", phone=nav["desk_only"]),
            Item(
                "practice",
                _("Practice"),
                reverse("clinic:practice"),
                app == "clinic" and name in _DESK_PAGES["practice"],
                phone=nav["desk_only"],
            ),
        ]
    found.append(Item("profile", _("Profile"), reverse("accounts:profile"), name == "profile"))
    return found
