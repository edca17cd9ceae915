"""Every homework kind, end to end, with two partners in two browsers.

Each journey runs on a phone and on a desktop; every page (and every panel
htmx swaps in) is checked with axe for WCAG 2.2 A/AA.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.testkit.a11y import check_page, log_in_checked, visit
from tandem.testkit.base import PASSWORD, make_couple, make_person

# Screenshots of the pages these journeys touch, at 390 px, to look at.
SHOTS = Path(os.environ.get("TANDEM_SCREENSHOTS", Path(__file__).resolve().parents[3] / "var" / "screenshots"))

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pair(live_server, screen):
    """Rae and Kit, a couple, each signed in in their own browser context."""

    def make(consent_level: int = 0):
        rae = make_person("rae@example.org", "Rae", consent_level=consent_level)
        kit = make_person("kit@example.org", "Kit", consent_level=consent_level)
        couple = make_couple(rae, kit)
        rae_page, kit_page = screen(), screen()
        log_in_checked(rae_page, live_server.url, "rae@example.org")
        log_in_checked(kit_page, live_server.url, "kit@example.org")
        return couple, rae_page, kit_page

    return make


def suggest_and_accept(base, couple, proposer, partner, title: str) -> None:
    """The proposer finds the exercise in the library and suggests it; the partner says yes."""
    visit(proposer, f"{base}/couple/{couple.pk}/homework/")
    proposer.get_by_role("link", name="Find an exercise").click()
    check_page(proposer)
    proposer.get_by_role("link", name=title).click()
    check_page(proposer)
    proposer.get_by_role("button", name="Suggest this to us").click()
    expect(proposer.get_by_text("It starts when your partner says yes too")).to_be_visible()
    check_page(proposer)

    visit(partner, f"{base}/couple/{couple.pk}/homework/")
    partner.get_by_role("link", name=title).click()
    check_page(partner)
    partner.get_by_role("button", name="Yes, I").click()
    expect(partner.get_by_text("You're in.")).to_be_visible()
    check_page(partner)
    proposer.reload()


def step(page, label: str | None, text: str, button: str) -> None:
    """Fill a step (swapped in place by htmx), wait for the new panel, check it."""
    if label:
        page.get_by_label(label, exact=True).fill(text)
    # Mark the panel on screen; htmx replaces it with a fresh one carrying the message.
    page.evaluate("document.getElementById('work-panel').dataset.old = '1'")
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator("#work-panel:not([data-old]) .messages")).to_be_visible()
    check_page(page)


def step_refused(page, button: str, error: str) -> None:
    """Send a step with nothing written: the new panel says why, next to the field."""
    page.evaluate("document.getElementById('work-panel').dataset.old = '1'")
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator("#work-panel:not([data-old]) .errorlist")).to_contain_text(error)
    check_page(page)


def debrief(page, feeling: str, word: str, *, share: bool = True, comfortable: bool | None = None) -> None:
    page.get_by_role("group", name="How did it feel?").get_by_label(feeling, exact=True).check()
    page.get_by_label("One word for it (optional)").fill(word)
    if comfortable is not None:
        group = page.get_by_role("group", name="Did this stage feel comfortable for you?")
        group.get_by_label("Yes" if comfortable else "Not yet, let's stay with it", exact=True).check()
    if share:
        page.get_by_label("My partner too").check()
    page.get_by_role("button", name="Save my debrief").click()
    expect(page.get_by_text("Your debrief is saved")).to_be_visible()
    check_page(page)


def both_see_done(base, couple, first, second, first_word: str, second_word: str) -> None:
    """Each sees the other's shared debrief, and the homework under "done" and in the history."""
    first.reload()
    expect(first.get_by_test_id("partner-debrief")).to_contain_text(second_word)
    check_page(first)
    expect(second.get_by_test_id("partner-debrief")).to_contain_text(first_word)
    for page, partner_word in ((first, second_word), (second, first_word)):
        visit(page, f"{base}/couple/{couple.pk}/homework/")
        expect(page.get_by_text("done together")).to_be_visible()
        visit(page, f"{base}/couple/{couple.pk}/history/")
        expect(page.get_by_role("main")).to_contain_text(partner_word)
        assert page.title() == "Tandem"


def test_write_then_share(live_server, pair):
    base = live_server.url
    couple, rae, kit = pair()
    suggest_and_accept(base, couple, rae, kit, "Appreciations")

    step_refused(rae, "Save my answer", "Write something first")
    rae.get_by_label("Your answer").fill("The tea you made on Tuesday.")
    rae.get_by_role("button", name="Save my answer").click()
    expect(rae.get_by_text("Saved. Your partner will read it")).to_be_visible()
    check_page(rae)

    kit.reload()
    expect(kit.get_by_test_id("partner-state")).to_contain_text("Rae has written their part")
    assert "tea you made" not in kit.content()
    check_page(kit)
    kit.get_by_label("Your answer").fill("How you laugh at my jokes.")
    kit.get_by_role("button", name="Save my answer").click()
    expect(kit.get_by_test_id("partner-answer")).to_contain_text("tea you made")
    check_page(kit)
    kit.get_by_label("A short reply").fill("Any time.")
    kit.get_by_role("button", name="Share my reply").click()
    expect(kit.get_by_text("Your reply is shared")).to_be_visible()
    check_page(kit)

    rae.reload()
    expect(rae.get_by_test_id("partner-answer")).to_contain_text("How you laugh")
    expect(rae.get_by_test_id("partner-answer")).to_contain_text("Any time.")
    check_page(rae)
    debrief(rae, "4", "warm")
    debrief(kit, "5 · lovely", "seen")
    both_see_done(base, couple, rae, kit, "warm", "seen")
    visit(rae, f"{base}/couple/{couple.pk}/load/")
    expect(rae.get_by_role("heading", name="Starting")).to_be_visible()


def test_listening(live_server, pair):
    base = live_server.url
    couple, rae, kit = pair()
    suggest_and_accept(base, couple, rae, kit, "Reflective listening")

    # Rae proposed, so Rae speaks first; Kit restates; Rae confirms. Then the roles swap.
    step(rae, "Your message", "I feel alone when dinner is on our phones.", "Send")
    kit.reload()
    expect(kit.get_by_text("dinner is on our phones")).to_be_visible()
    step(kit, "What I heard you say", "You want us off our phones.", "Send")
    # Not quite: Rae clarifies, and Kit tries again.
    rae.reload()
    step(rae, "What I meant", "I miss talking with you at dinner.", "Not quite: clarify")
    kit.reload()
    step(kit, "What I heard you say", "You miss talking at dinner.", "Send")
    rae.reload()
    step(rae, None, "", "That's it")
    kit.reload()
    step(kit, "Your message", "I'd like a walk together on Sundays.", "Send")
    rae.reload()
    step(rae, "What I heard you say", "You want Sunday walks with me.", "Send")
    kit.reload()
    step(kit, None, "", "That's it")
    expect(kit.get_by_text("You both spoke and were heard")).to_be_visible()
    rae.reload()
    expect(rae.get_by_text("You both spoke and were heard")).to_be_visible()
    check_page(rae)

    kit.reload()
    debrief(rae, "3", "nervous")
    debrief(kit, "4", "closer")
    both_see_done(base, couple, rae, kit, "nervous", "closer")


def test_listening_hint_on_blaming_words(live_server, pair, request):
    """A blaming message shows the hint *before* sending: "Rephrase" goes back
    to the box with the words kept; "Send as it is" sends."""
    base = live_server.url
    couple, rae, kit = pair()
    suggest_and_accept(base, couple, rae, kit, "Reflective listening")
    box = rae.get_by_label("Your message", exact=True)
    box.press_sequentially("You never listen")
    expect(rae.get_by_text("can sound like blame")).to_be_visible()  # the live hint, while typing
    check_page(rae)
    rae.get_by_role("button", name="Send", exact=True).click()
    ask = rae.get_by_test_id("hint-ask")
    expect(ask).to_contain_text("can sound like blame")
    expect(rae.get_by_label("Your message", exact=True)).to_have_value("You never listen")
    assert couple.assignments.get().responses.count() == 0  # nothing sent yet
    check_page(rae)
    if request.node.callspec.params["screen"] == "phone":
        SHOTS.mkdir(parents=True, exist_ok=True)
        rae.screenshot(path=str(SHOTS / "listening-hint-before-sending-390.png"), full_page=True, caret="hide")
    # Rephrase: back to the box, words kept, the plain "Send" again (checked again).
    ask.get_by_role("link", name="Rephrase").click()
    expect(rae.get_by_label("Your message", exact=True)).to_be_focused()
    expect(rae.get_by_label("Your message", exact=True)).to_have_value("You never listen")
    expect(rae.get_by_test_id("hint-ask")).to_have_count(0)
    rae.get_by_label("Your message", exact=True).press_sequentially(" to me")
    rae.get_by_role("button", name="Send", exact=True).click()
    expect(rae.get_by_test_id("hint-ask")).to_be_visible()
    rae.get_by_role("button", name="Send as it is").click()
    expect(rae.locator("#work-panel .messages")).to_contain_text("Sent.")
    expect(rae.locator(".dialogue")).to_contain_text("You never listen to me")
    check_page(rae)
    kit.reload()
    expect(kit.locator(".dialogue")).to_contain_text("You never listen to me")


def test_listening_hint_before_sending_without_javascript(live_server, browser):
    """The same, with no script at all: "Send as it is" is a plain form button."""
    from tandem.homework import services
    from tandem.testkit.base import make_assignment

    rae, kit = make_person("rae@example.org", "Rae"), make_person("kit@example.org", "Kit")
    couple = make_couple(rae, kit)
    assignment = make_assignment(couple, "reflective-listening", by=rae)
    services.opt_in(assignment, kit)
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/account/login/")
        page.get_by_label("E-mail address").fill("rae@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.goto(f"{live_server.url}/couple/{couple.pk}/homework/{assignment.pk}/")
        page.get_by_label("Your message", exact=True).fill("It's your fault")
        page.get_by_role("button", name="Send", exact=True).click()
        expect(page.get_by_test_id("hint-ask")).to_be_visible()
        expect(page.get_by_label("Your message", exact=True)).to_have_value("It's your fault")
        assert assignment.responses.count() == 0
        page.get_by_role("button", name="Send as it is").click()
        expect(page.locator(".dialogue")).to_contain_text("It's your fault")
        assert assignment.responses.get().body == "It's your fault"
    finally:
        context.close()


def test_joint_journal(live_server, pair, request):
    base = live_server.url
    couple, rae, kit = pair()
    suggest_and_accept(base, couple, rae, kit, "Misunderstanding journal")

    # Rae (who chooses) names the moment; Kit sees it before being asked to agree to it.
    step(rae, "What I suggest we look at", "The Friday we missed dinner.", "Suggest this")
    kit.reload()
    expect(kit.get_by_test_id("moment")).to_contain_text("The Friday we missed dinner.")
    expect(kit.get_by_label("How I saw it, and how it felt", exact=True)).to_have_count(0)
    check_page(kit)
    if request.node.callspec.params["screen"] == "phone":
        SHOTS.mkdir(parents=True, exist_ok=True)
        kit.screenshot(path=str(SHOTS / "journal-moment-to-agree-390.png"), full_page=True, caret="hide")
    step(kit, None, "", "This is all right with me")
    rae.reload()
    step(rae, "How I saw it, and how it felt", "I thought you forgot our plans.", "Save my side")
    kit.reload()
    expect(kit.get_by_test_id("partner-state")).to_contain_text("Rae has written their side")
    assert "forgot our plans" not in kit.content()
    step(kit, "How I saw it, and how it felt", "I was stuck at work and couldn't call.", "Save my side")
    expect(kit.get_by_test_id("partner-answer")).to_contain_text("forgot our plans")
    step(kit, "Your partner's side, in your words", "You felt forgotten.", "Save")
    rae.reload()
    expect(rae.get_by_test_id("partner-answer")).to_contain_text("stuck at work")
    step(rae, "Your partner's side, in your words", "You were stuck and felt bad.", "Save")
    step(rae, "Something we'll try", "Send a text when plans change.", "Add")
    step(rae, None, "", "Our list is good for me")
    kit.reload()
    expect(kit.get_by_text("Send a text when plans change.")).to_be_visible()
    step(kit, None, "", "Our list is good for me")

    rae.reload()
    check_page(rae)
    debrief(rae, "4", "clearer")
    kit.reload()
    debrief(kit, "4", "relieved")
    both_see_done(base, couple, rae, kit, "clearer", "relieved")


def test_activity(live_server, pair):
    base = live_server.url
    couple, rae, kit = pair()
    suggest_and_accept(base, couple, rae, kit, "Cooperative challenge")

    # The first activity's planner is the one who proposed it.
    expect(rae.get_by_text("You're the planner this time")).to_be_visible()
    step_refused(rae, "Share the plan", "Write a few words first.")
    step(rae, "The plan: what, when, where", "Jigsaw, Saturday 3pm, kitchen table.", "Share the plan")
    kit.reload()
    expect(kit.get_by_test_id("plan")).to_contain_text("Jigsaw, Saturday 3pm")
    expect(kit.get_by_text("Rae plans this time")).to_be_visible()
    check_page(kit)
    step(kit, None, "", "We did it")
    rae.reload()
    step(rae, None, "", "We did it")

    rae.reload()
    debrief(rae, "5 · lovely", "playful")
    kit.reload()
    debrief(kit, "4", "fun")
    both_see_done(base, couple, rae, kit, "playful", "fun")


def test_touch(live_server, pair):
    base = live_server.url
    couple, rae, kit = pair(consent_level=1)
    suggest_and_accept(base, couple, rae, kit, "Sensate focus, stage 1: touch without a goal")

    step(rae, None, "", "I'm ready today")
    expect(rae.get_by_text("You said you're ready today")).to_be_visible()
    kit.reload()
    # Rae's "ready" is private: Kit is only asked, never told.
    expect(kit.get_by_text("The session starts when you both say")).to_be_visible()
    check_page(kit)
    step(kit, None, "", "I'm ready today")
    expect(kit.get_by_text("You're both ready today")).to_be_visible()
    step(kit, None, "", "We did it")
    rae.reload()
    step(rae, None, "", "We did it")

    rae.reload()
    debrief(rae, "4", "calm", comfortable=True)
    kit.reload()
    debrief(kit, "4", "safe", comfortable=True)
    both_see_done(base, couple, rae, kit, "calm", "safe")


def test_checkin(live_server, pair):
    base = live_server.url
    couple, rae, kit = pair()
    suggest_and_accept(base, couple, rae, kit, "Daily check-in")

    step(rae, "Your check-in", "Tired but happy.", "Check in")
    kit.reload()
    expect(kit.get_by_text("Tired but happy.")).to_be_visible()
    step(kit, "Your check-in", "Busy day, thinking of you.", "Check in")
    rae.reload()
    expect(rae.get_by_text("Busy day, thinking of you.")).to_be_visible()
    check_page(rae)

    debrief(rae, "3", "ok")
    kit.reload()
    debrief(kit, "4", "good")
    both_see_done(base, couple, rae, kit, "ok", "good")
