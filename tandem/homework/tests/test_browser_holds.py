"""A partner is writing intimacy homework when it becomes held: in real phone browsers.

The scenario of issue 14: Rae opens the mirror of desire and starts writing;
meanwhile Kit starts a hard season (or lowers their consent level, or
pauses everything). When Rae sends the answer it is refused with the
hold's kind reason, the form is gone, and every word Rae typed is on the
page to copy. "This week" lists it as held, never as open.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.homework import holds, services
from tandem.homework.models import Response
from tandem.testkit.a11y import check_page, log_in_checked, visit
from tandem.testkit.base import make_assignment, make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "When you brush my hair back without a word, I feel looked after. More of that, please."


def start_hard_season(page, base, couple) -> None:
    visit(page, f"{base}/couple/{couple.pk}/season/")
    page.get_by_label("work").check()
    page.get_by_role("button", name="Start a hard season").click()
    check_page(page)


def lower_consent_level(page, base, couple) -> None:
    visit(page, f"{base}/account/profile/")
    page.get_by_label("Also affectionate, non-sexual touch").check()
    page.get_by_role("button", name="Save").click()
    check_page(page)


def pause_everything(page, base, couple) -> None:
    visit(page, f"{base}/")
    page.get_by_role("button", name="Pause everything").click()
    check_page(page)


@pytest.mark.parametrize(
    ("code", "meanwhile"),
    [
        (holds.HARD_SEASON, start_hard_season),
        (holds.CONSENT_LEVEL, lower_consent_level),
        (holds.PAUSED_EVERYTHING, pause_everything),
    ],
    ids=["hard-season", "lowered-level", "pause-everything"],
)
def test_words_typed_before_a_hold_are_kept_and_the_page_says_why(live_server, phone, tmp_path, code, meanwhile):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae", consent_level=2)
    kit = make_person("kit@example.org", "Kit", consent_level=2)
    couple = make_couple(rae, kit)
    mirror = make_assignment(couple, "mirror-of-desire", by=rae)
    services.opt_in(mirror, kit)
    rae_page, kit_page = phone(), phone()
    log_in_checked(rae_page, base, "rae@example.org")
    log_in_checked(kit_page, base, "kit@example.org")
    reason = holds.reason(code)

    # Rae opens the homework and starts writing.
    this_week = f"{base}/couple/{couple.pk}/homework/"
    visit(rae_page, this_week)
    expect(rae_page.get_by_test_id("open-rows")).to_contain_text("Mirror of desire")
    rae_page.get_by_test_id("open-rows").get_by_role("link", name="Mirror of desire").click()
    check_page(rae_page)
    rae_page.get_by_label("Your answer").fill(WORDS)

    # Meanwhile Kit, on their own phone, changes something that holds it.
    meanwhile(kit_page, base, couple)

    # Rae sends it: refused with the reason, no form, and the words are all there.
    rae_page.get_by_role("button", name="Save my answer").click()
    panel = rae_page.locator("#work-panel")
    expect(panel.get_by_test_id("held")).to_have_text(reason)
    expect(panel.get_by_test_id("unsaved")).to_contain_text(WORDS)
    expect(rae_page.get_by_role("button", name="Save my answer")).to_have_count(0)
    expect(rae_page.get_by_label("Your answer")).to_have_count(0)
    assert not Response.objects.filter(assignment=mirror).exists()
    assert "Kit" not in panel.inner_text()  # the reason names nobody
    assert rae_page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    check_page(rae_page)
    shots = Path(os.environ.get("TANDEM_HOLD_SHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    rae_page.screenshot(path=str(shots / f"held-{code}.png"), full_page=True, animations="disabled", caret="hide")

    # Opened afresh, the page says the same and offers no form; "This week" lists it as held.
    rae_page.reload()
    expect(rae_page.get_by_test_id("held")).to_have_text(reason)
    expect(rae_page.get_by_label("Your answer")).to_have_count(0)
    visit(rae_page, this_week)
    expect(rae_page.get_by_test_id("open-rows")).not_to_contain_text("Mirror of desire")
    expect(rae_page.get_by_test_id("held-rows")).to_contain_text(reason)
    rae_page.screenshot(path=str(shots / f"this-week-{code}.png"), full_page=True, animations="disabled", caret="hide")
    # Kit sees the same words.
    visit(kit_page, f"{base}/couple/{couple.pk}/homework/{mirror.pk}/")
    expect(kit_page.get_by_test_id("held")).to_have_text(reason)
