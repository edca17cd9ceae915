"""Home at phone size for a new couple: the one clear start above the tiles, axe clean,
no sideways scrolling; a thank-you note waits to be read, and is read with one tap."""

import os
from pathlib import Path

import pytest

from tandem.testkit.a11y import check_page, log_in_checked, no_horizontal_overflow
from tandem.testkit.base import make_couple, make_person
from tandem.wins.models import GratitudeNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_first_start_at_390(live_server, phone, tmp_path):
    out = Path(os.environ.get("TANDEM_HOME_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    avery = make_person("avery@example.org", "Avery")
    jordan = make_person("jordan@example.org", "Jordan")
    couple = make_couple(avery, jordan)
    GratitudeNote.objects.create(couple=couple, author=avery, text="Thank you for the tea.", visibility="shared")

    page = phone()
    log_in_checked(page, live_server.url, "jordan@example.org")
    page.goto(f"{live_server.url}/")
    check_page(page)
    no_horizontal_overflow(page)
    start = page.get_by_test_id("first-start")
    assert "Start here: Reconnect" in start.inner_text()
    button = start.get_by_role("button", name="Start Reconnect together")
    assert button.bounding_box()["height"] >= 44
    page.screenshot(path=str(out / "home-first-start-390.png"), full_page=True, animations="disabled", caret="hide")

    # The thank-you note: from home to the note, read with one tap, and the item is gone.
    page.get_by_test_id("waiting").get_by_role("link", name="Open").click()
    page.get_by_role("button", name="Read it, thank you").click()
    page.goto(f"{live_server.url}/")
    assert page.get_by_test_id("waiting").count() == 0

    button = page.get_by_test_id("first-start").get_by_role("button", name="Start Reconnect together")
    button.click()
    page.goto(f"{live_server.url}/")
    assert "Your first program: Reconnect" in page.get_by_test_id("first-start").inner_text()
