"""A draft in a real browser: typed, kept on the server, restored after signing in again, never in the browser."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.drafts.models import Draft
from tandem.homework import services
from tandem.testkit.a11y import check_page, log_in_checked
from tandem.testkit.base import make_assignment, make_couple, make_person
from tandem.testkit.browser import axe_violations, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "The way you hum while you cook, even when the day was long."

# Everything the page's origin keeps in the browser, as text.
BROWSER_STORAGE = """async () => {
  const parts = [JSON.stringify(Object.assign({}, localStorage)), JSON.stringify(Object.assign({}, sessionStorage))];
  for (const info of (await indexedDB.databases())) parts.push("idb:" + info.name);
  const caches_ = window.caches ? await caches.keys() : [];
  return parts.concat(caches_).join("\\n");
}"""


def wcag22_violations(page) -> list[str]:
    return [f"{v['id']}: {v['help']}" for v in axe_violations(page)]


def test_an_answer_typed_is_kept_and_restored_but_never_stored_in_the_browser(live_server, phone):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae")
    kit = make_person("kit@example.org", "Kit")
    couple = make_couple(rae, kit)
    assignment = make_assignment(couple, "appreciations", by=rae)
    services.opt_in(assignment, kit)
    url = f"{base}/couple/{couple.pk}/homework/{assignment.pk}/"

    page = phone()
    log_in_checked(page, base, "rae@example.org")
    page.goto(url)
    check_page(page)
    box = page.get_by_label("Your answer")
    box.click()
    box.press_sequentially(WORDS, delay=5)
    status = page.locator("[data-draft-status]").first
    expect(status).to_contain_text("Draft saved")
    assert page.evaluate("document.activeElement.name") == "body", "saving a draft must not move the focus"
    assert Draft.objects.get(author=rae).body == WORDS
    assert WORDS not in page.evaluate(BROWSER_STORAGE)
    assert not [v for v in wcag22_violations(page)], wcag22_violations(page)

    # The same phone, after signing out and in again: the words come back from the server.
    log_out(page, base)
    assert WORDS not in page.evaluate(BROWSER_STORAGE)
    log_in_checked(page, base, "rae@example.org")
    page.goto(url)
    check_page(page)
    expect(page.get_by_label("Your answer")).to_have_value(WORDS)
    expect(status).to_contain_text("Your draft from")
    if shot := os.environ.get("TANDEM_SCREENSHOT_DIR"):
        Path(shot).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{shot}/draft-restored-390.png", full_page=True)

    # Kit, on another phone, sees nothing of it.
    other = phone()
    log_in_checked(other, base, "kit@example.org")
    other.goto(url)
    expect(other.get_by_label("Your answer")).to_have_value("")
    assert "hum while you cook" not in other.content()

    # Sent: the draft is gone, and the answer is saved.
    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_text("Saved. Your partner will read it")).to_be_visible()
    page.wait_for_timeout(2000)  # longer than the save delay: no late save brings the draft back
    assert not Draft.objects.exists()
    assert WORDS not in page.evaluate(BROWSER_STORAGE)
