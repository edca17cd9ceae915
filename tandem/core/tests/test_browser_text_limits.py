"""A long answer in a real browser: a counter near the limit, nothing cut, a clear refusal."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.homework import services
from tandem.homework.kinds.write_then_share import ANSWER_MAX
from tandem.homework.models import Response
from tandem.testkit.base import make_assignment, make_couple, make_person
from tandem.testkit.browser import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_counter_shows_near_the_limit_and_a_paste_is_never_cut(live_server, screen, tmp_path):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae")
    kit = make_person("kit@example.org", "Kit")
    couple = make_couple(rae, kit)
    assignment = make_assignment(couple, "appreciations", by=rae)
    services.opt_in(assignment, kit)
    page = screen()
    log_in(page, base, rae.email)
    page.goto(f"{base}/couple/{couple.pk}/homework/{assignment.pk}/")
    box = page.get_by_label("Your answer")

    box.fill("A short answer.")
    counter = page.locator(".limit-count")
    expect(counter).to_be_hidden()

    box.fill("x" * (ANSWER_MAX - 10))
    expect(counter).to_be_visible()
    expect(counter).to_contain_text("Characters left: 10")

    pasted = "y" * (ANSWER_MAX + 100)
    box.fill(pasted)  # as a paste would: the browser keeps all of it
    assert len(box.input_value()) == ANSWER_MAX + 100
    expect(counter).to_contain_text("Over the limit by 100 characters")
    assert_accessible(page)
    shots = Path(os.environ.get("TANDEM_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(shots / f"limit-{page.viewport_size['width']}.png"), full_page=True)

    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_text(f"under {ANSWER_MAX} characters (it has {ANSWER_MAX + 100})")).to_be_visible()
    assert len(page.get_by_label("Your answer").input_value()) == ANSWER_MAX + 100
    assert not Response.objects.exists()
