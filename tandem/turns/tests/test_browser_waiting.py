"""Home at phone size with waiting items: readable, one button each, axe clean,
and the header's count on every page; the person opens an item from home."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from tandem.boundaries import agreements
from tandem.homework import services
from tandem.homework.content import library
from tandem.homework.kinds import write_then_share
from tandem.homework.models import Assignment
from tandem.measures import services as measures
from tandem.testkit.a11y import check_page, log_in_checked, no_horizontal_overflow
from tandem.testkit.base import link_therapist, make_assignment, make_block, make_couple, make_person, make_therapist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_with_waiting_items_at_390(live_server, phone, tmp_path):
    out = Path(os.environ.get("TANDEM_TURNS_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    avery = make_person("avery@example.org", "Avery")
    jordan = make_person("jordan@example.org", "Jordan")
    couple = make_couple(avery, jordan)
    therapist = make_therapist("dr.lee@example.org", "Dr Lee")
    link_therapist(couple, therapist)

    words = make_assignment(couple, "appreciations", by=avery)
    services.opt_in(words, jordan)
    write_then_share.submit_answer(words, avery, "The way you laugh.")
    services.propose(
        couple,
        library().exercise("celebrate-a-small-win"),
        therapist,
        source=Assignment.Source.THERAPIST,
        due_at=timezone.now() + dt.timedelta(days=6),
    )
    make_block(couple, avery, status="proposed", days_ahead=2)
    agreements.create(couple, avery, "comfortable", "Phones away at dinner", None)
    measures.schedule(couple, jordan, "csi4", "once", created_by=therapist)

    page = phone()
    log_in_checked(page, live_server.url, "jordan@example.org")
    page.goto(f"{live_server.url}/")
    check_page(page)
    no_horizontal_overflow(page)
    card = page.get_by_test_id("waiting")
    assert card.locator(".waiting-item").count() == 5
    assert "from Dr Lee" in card.inner_text()
    assert page.locator(".site-nav .count").inner_text().startswith("5")
    page.screenshot(path=str(out / "home-waiting-390.png"), full_page=True, animations="disabled", caret="hide")

    # The count is in the header of another page too; opening an item goes to its page.
    page.goto(f"{live_server.url}/account/profile/")
    assert page.locator(".site-nav .count").inner_text().startswith("5")
    page.goto(f"{live_server.url}/")
    first = page.get_by_test_id("waiting").locator(".waiting-item").first
    first.get_by_role("link", name="Open").click()
    page.wait_for_load_state()
    check_page(page)
    assert "/couple/" in page.url
