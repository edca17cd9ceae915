"""Keyboard only: a check-in and a write-then-share exercise, done with Tab, arrows, Space and Enter.

Every stop of the focus must show a focus ring (an outline or a box-shadow in
the computed style), and every page on the way is checked with axe, one h1 and
one main landmark.
"""

import pytest
from playwright.sync_api import expect

from tandem.checkins.models import CheckIn
from tandem.homework import services
from tandem.testkit.a11y import check_page, focus_is_visible, focused, log_in_checked, tab_to, visit
from tandem.testkit.base import make_assignment, make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def choose(page, group: str, value: int) -> None:
    """Tab into a 1-5 radio group (focus lands on its first radio) and arrow across to ``value``."""
    radios = page.get_by_role("group", name=group).get_by_role("radio")
    tab_to(page, radios.first)
    page.keyboard.press("Space")
    for _ in range(value - 1):
        page.keyboard.press("ArrowRight")
        assert focus_is_visible(page)
    expect(radios.nth(value - 1)).to_be_checked()


def test_skip_link_then_a_check_in_by_keyboard(live_server, desktop):
    base = live_server.url
    ines = make_person("ines@example.org", "Ines")
    couple = make_couple(ines, make_person("tove@example.org", "Tove"))
    page = desktop()
    log_in_checked(page, base, "ines@example.org")
    visit(page, f"{base}/couple/{couple.pk}/checkin/")

    # The first Tab shows the skip link; Enter moves on to the main content.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    assert focus_is_visible(page)
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0, "the skip link must be on screen when focused"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    for group, value in (("Mood", 4), ("Energy", 2), ("Stress", 3), ("Closeness", 5)):
        choose(page, group, value)
    talk = page.get_by_role("checkbox", name="talk")
    tab_to(page, talk)
    page.keyboard.press("Space")
    expect(talk).to_be_checked()
    tab_to(page, page.get_by_label("A note (optional)"))
    page.keyboard.type("Typed without a mouse")
    tab_to(page, page.get_by_role("button", name="Check in", exact=True))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check = CheckIn.objects.get(author=ines)
    assert (check.mood, check.energy, check.stress, check.closeness) == (4, 2, 3, 5)
    assert check.capacity == ["talk"] and check.note == "Typed without a mouse"
    check_page(page)


def test_write_then_share_by_keyboard(live_server, desktop):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae", consent_level=2)
    kit = make_person("kit@example.org", "Kit", consent_level=2)
    couple = make_couple(rae, kit)
    assignment = make_assignment(couple, "mirror-of-desire", by=rae)
    services.opt_in(assignment, kit)
    url = f"{base}/couple/{couple.pk}/homework/{assignment.pk}/"
    rae_page, kit_page = desktop(), desktop()

    for page, email, words in (
        (rae_page, "rae@example.org", "The way your hand finds mine."),
        (kit_page, "kit@example.org", "Your voice in the morning."),
    ):
        log_in_checked(page, base, email)
        visit(page, url)
        tab_to(page, page.get_by_label("Your answer"))
        page.keyboard.type(words)
        tab_to(page, page.get_by_role("button", name="Save my answer"))
        page.keyboard.press("Enter")  # htmx swaps the panel in place
        if page is rae_page:
            expect(page.get_by_text("Saved. Your partner will read it")).to_be_visible()
        # The pressed button is gone with the old panel: the focus moves to the new one, not the top.
        for _ in range(50):  # polled from here: wait_for_function would need eval, which the CSP forbids
            if page.evaluate("document.activeElement.closest('#work-panel') !== null"):
                break
            page.wait_for_timeout(100)
        else:
            raise AssertionError(f"focus lost after the swap: {focused(page)}")
        assert focus_is_visible(page)
        check_page(page)

    expect(kit_page.get_by_test_id("partner-answer")).to_contain_text("hand finds mine")
    tab_to(kit_page, kit_page.get_by_label("A short reply"))
    kit_page.keyboard.type("That made me smile.")
    tab_to(kit_page, kit_page.get_by_role("button", name="Share my reply"))
    with kit_page.expect_navigation():
        kit_page.keyboard.press("Enter")
    expect(kit_page.get_by_test_id("my-answer")).to_contain_text("That made me smile.")
    check_page(kit_page)

    rae_page.reload()
    expect(rae_page.get_by_test_id("partner-answer")).to_contain_text("Your voice in the morning")
    expect(rae_page.get_by_test_id("partner-answer")).to_contain_text("That made me smile.")
    check_page(rae_page)
