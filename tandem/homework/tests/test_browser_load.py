"""Sharing the load on a phone: one balance for the pair, in words and one bar."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.testkit.a11y import check_page, log_in_checked, no_horizontal_overflow, visit
from tandem.testkit.base import make_assignment, make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_load_reads_as_one_balance(live_server, phone):
    rae, kit = make_person("rae@example.org", "Rae"), make_person("kit@example.org", "Kit")
    couple = make_couple(rae, kit)
    for by in (rae, kit, kit, kit):
        make_assignment(couple, "reflective-listening", by=by)
    page = phone()
    log_in_checked(page, live_server.url, "rae@example.org")
    visit(page, f"{live_server.url}/couple/{couple.pk}/load/")
    expect(page.get_by_test_id("balance").first).to_have_text("Lately more often Kit")
    no_horizontal_overflow(page)
    check_page(page)
    if os.environ.get("TANDEM_SCREENSHOTS_DIR"):
        page.screenshot(path=str(Path(os.environ["TANDEM_SCREENSHOTS_DIR"]) / "load-390.png"), full_page=True)
