"""Number scales and the check-in history on a phone.

The check-in's 1-5 scales and GMSEX's 1-7 items (core.forms.ScaleSelect): one row of
segments at 320 px, 44 px high, chosen by tap or keyboard; the history as cards.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.checkins.models import CheckIn
from tandem.measures import services as measures
from tandem.measures.models import MeasurePlan
from tandem.testkit.a11y import check_page, no_horizontal_overflow
from tandem.testkit.base import link_therapist, make_couple, make_person, make_therapist
from tandem.testkit.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Each segment's top, width and height, and the width of the face drawn in it.
ROW = """(group) => [...group.querySelectorAll('.segment')].map(s => {
  const r = s.getBoundingClientRect(), f = s.querySelector('.segment-face').getBoundingClientRect();
  return [Math.round(r.top), Math.round(r.width), Math.round(r.height), Math.round(f.width)]; })"""


def assert_one_row(group, points: int) -> None:
    rows = group.evaluate(ROW)
    assert len(rows) == points
    assert len({top for top, _, _, _ in rows}) == 1, f"the scale wraps: {rows}"
    assert all(height >= 44 and width >= 24 for _, width, height, _ in rows), rows
    # The face fills its segment: a tap anywhere on it lands on the face the person sees.
    assert all(face >= width - 1 for _, width, _, face in rows), f"faces narrower than their segments: {rows}"


@pytest.mark.parametrize("width", [320, 390])
def test_scales_fit_one_line_and_are_big_enough_to_tap(live_server, browser, width):
    base = live_server.url
    ari = make_person("ari@example.org", "Ari")
    couple = make_couple(ari, make_person("noor@example.org", "Noor"))
    theo = make_therapist("theo@example.org", "Theo")
    link = link_therapist(couple, theo)
    measures.schedule(
        couple, ari, "gmsex", MeasurePlan.Cadence.EVERY_N_WEEKS, created_by=theo, link=link, every_weeks=4
    )
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        log_in(page, base, "ari@example.org")
        page.wait_for_url(lambda url: "/account/login/" not in url)

        page.goto(f"{base}/couple/{couple.pk}/checkin/")
        mood = page.get_by_role("group", name="Mood")
        assert_one_row(mood, 5)
        expect(mood.get_by_text("low", exact=True)).to_be_visible()  # the ends' words, under the row
        # A tap on a segment chooses it; the keyboard moves along the row like any radio group.
        mood.get_by_label("4", exact=True).tap()
        expect(mood.get_by_label("4", exact=True)).to_be_checked()
        page.keyboard.press("ArrowRight")
        expect(mood.get_by_label("5 · bright", exact=True)).to_be_checked()
        no_horizontal_overflow(page)
        check_page(page)
        if os.environ.get("TANDEM_SCREENSHOTS_DIR"):
            page.screenshot(
                path=str(Path(os.environ["TANDEM_SCREENSHOTS_DIR"]) / f"checkin-{width}.png"), full_page=True
            )

        # The history: cards, not a seven-column table; a long note wraps inside its card.
        CheckIn.objects.create(
            couple=couple, author=ari, local_date=ari.today(), mood=3, energy=2, stress=4, closeness=3,
            capacity=["talk", "affection", "rest"], note="A long day at work and a longer evening " * 4,
            visibility="shared",
        )  # fmt: skip
        page.goto(f"{base}/couple/{couple.pk}/checkins/")
        expect(page.get_by_test_id("checkin")).to_have_count(1)
        no_horizontal_overflow(page)
        check_page(page)
        if os.environ.get("TANDEM_SCREENSHOTS_DIR"):
            page.screenshot(
                path=str(Path(os.environ["TANDEM_SCREENSHOTS_DIR"]) / f"recent-{width}.png"), full_page=True
            )

        page.goto(f"{base}/couple/{couple.pk}/measures/gmsex/")
        first = page.get_by_role("group").filter(has_text="Very Bad").first
        assert_one_row(first, 7)
        no_horizontal_overflow(page)
        check_page(page)
        if os.environ.get("TANDEM_SCREENSHOTS_DIR"):
            page.screenshot(path=str(Path(os.environ["TANDEM_SCREENSHOTS_DIR"]) / f"gmsex-{width}.png"), full_page=True)
    finally:
        context.close()
