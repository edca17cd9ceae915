"""Screenshots of the main pages at phone size, for the README (``make screenshots``).

The test always runs (so CI photographs and axe-checks these pages too), but
writes into docs/screenshots/, which is kept in the repository, only when
TANDEM_SCREENSHOTS is set; otherwise into a throw-away directory. Every name
in the pictures is synthetic.
"""

import datetime as dt
import os
from pathlib import Path

import pytest

from tandem.boundaries import services as boundaries
from tandem.checkins.models import CheckIn
from tandem.homework import kinds, services
from tandem.testkit.a11y import check_page, log_in_checked, log_in_with_code
from tandem.testkit.base import link_therapist, make_assignment, make_block, make_couple, make_person, make_therapist

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"
NAMES = ("home", "check-in", "homework", "boundaries", "calendar", "caseload", "desk-caseload", "desk-couple")


def test_screenshots_of_the_main_pages(live_server, phone, desktop, tmp_path):
    out = DOCS if os.environ.get("TANDEM_SCREENSHOTS") else tmp_path
    out.mkdir(parents=True, exist_ok=True)

    def shoot(page, url: str, name: str) -> None:
        page.goto(url)
        check_page(page)
        # The whole page in one window as tall as it, so the phone's tab bar (fixed to the
        # window's bottom) is drawn at the bottom of the picture, not across the middle.
        size = page.viewport_size
        tall = page.evaluate("document.documentElement.scrollHeight")
        page.set_viewport_size({"width": size["width"], "height": tall})
        page.screenshot(path=str(out / f"{name}.png"), animations="disabled", caret="hide")
        page.set_viewport_size(size)

    base = live_server.url
    avery = make_person("avery@example.org", "Avery", pronouns="they/them", consent_level=2)
    jordan = make_person("jordan@example.org", "Jordan", consent_level=2)
    couple = make_couple(avery, jordan)
    therapist = make_therapist("dr.ellis@example.org", "Dr Rowan Ellis", practice="Harbour Couples Practice")
    link_therapist(couple, therapist)

    # Two weeks of shared check-ins, so the pages have something to show.
    for days_ago in range(14):
        for who, mood in ((avery, 3 + days_ago % 2), (jordan, 4 - days_ago % 3 // 2)):
            CheckIn.objects.create(
                couple=couple,
                author=who,
                local_date=who.today() - dt.timedelta(days=days_ago),
                mood=mood,
                energy=3,
                stress=2 + days_ago % 2,
                closeness=4,
                capacity=["talk", "affection"] if days_ago % 2 else ["talk", "play"],
                visibility="shared",
            )
    mirror = make_assignment(couple, "mirror-of-desire", by=avery)
    services.opt_in(mirror, jordan)
    kinds.write_then_share.submit_answer(mirror, avery, "The way you laugh when you forget I'm listening.")
    kinds.write_then_share.submit_answer(mirror, jordan, "Slow Sunday mornings with nowhere to be.")
    make_assignment(couple, "appreciations", by=jordan)
    make_block(couple, avery, days_ahead=2)
    make_block(couple, jordan, days_ahead=5, kind="checkin")
    items = [item.key for item in boundaries.section_items(couple, "affection")][:5]
    for who, values in (
        (avery, ["yes", "yes", "maybe", "no", "yes"]),
        (jordan, ["yes", "maybe", "maybe", "yes", "no"]),
    ):
        boundaries.save_answers(couple, who, "affection", {k: (v, "") for k, v in zip(items, values, strict=False)})
        boundaries.finish(couple, who, "affection")

    page = phone()
    log_in_checked(page, base, "avery@example.org")
    c = f"{base}/couple/{couple.pk}"
    shoot(page, f"{base}/", "home")
    shoot(page, f"{c}/checkin/", "check-in")
    shoot(page, f"{c}/homework/{mirror.pk}/", "homework")
    shoot(page, f"{c}/boundaries/affection/", "boundaries")
    shoot(page, f"{c}/calendar/", "calendar")

    clinic = phone()
    log_in_with_code(clinic, base, "dr.ellis@example.org")
    shoot(clinic, f"{base}/clinic/", "caseload")

    # The therapist's desk at 1280 px: the caseload and one couple's page.
    desk = desktop()
    # The same signed-in session on a wide screen (a second log-in would reuse the code just
    # typed, which two-factor refuses as a replay).
    desk.context.add_cookies(clinic.context.cookies())
    shoot(desk, f"{base}/clinic/", "desk-caseload")
    shoot(desk, f"{base}/clinic/couples/{couple.pk}/", "desk-couple")
    for name in NAMES:
        assert (out / f"{name}.png").stat().st_size > 1000, name
