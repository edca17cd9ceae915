"""Two partners do the mirror of desire in two real browsers."""

import pytest
from playwright.sync_api import expect

from tandem.testkit.base import PASSWORD, make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_answers_appear_only_after_the_second_partner_submits(live_server, phone):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae", consent_level=2)
    kit = make_person("kit@example.org", "Kit", consent_level=2)
    couple = make_couple(rae, kit)
    rae_page, kit_page = phone(), phone()
    log_in(rae_page, base, "rae@example.org")
    log_in(kit_page, base, "kit@example.org")

    # Rae suggests the exercise from the library; Kit says yes.
    rae_page.goto(f"{base}/couple/{couple.pk}/library/mirror-of-desire/")
    rae_page.get_by_role("button", name="Suggest this to us").click()
    assignment_url = rae_page.url
    kit_page.goto(assignment_url)
    kit_page.get_by_role("button", name="Yes, I").click()

    # Rae writes first (htmx swaps the panel in place).
    rae_page.reload()
    rae_page.get_by_label("Your answer").fill("The way your hand finds mine on the sofa.")
    rae_page.get_by_role("button", name="Save my answer").click()
    expect(rae_page.get_by_text("Saved. Your partner will read it")).to_be_visible()

    # Kit sees that Rae has written, but not the words.
    kit_page.reload()
    expect(kit_page.get_by_test_id("partner-state")).to_contain_text("Rae has written their part")
    assert "hand finds mine" not in kit_page.content()

    kit_page.get_by_label("Your answer").fill("Your voice first thing in the morning.")
    kit_page.get_by_role("button", name="Save my answer").click()
    expect(kit_page.get_by_test_id("partner-answer")).to_contain_text("hand finds mine")

    rae_page.reload()
    expect(rae_page.get_by_test_id("partner-answer")).to_contain_text("Your voice first thing")
    assert rae_page.title() == kit_page.title() == "Tandem"
