"""Signed out in another tab while writing: the words stay, and save after signing in.

Two tabs of one browser share a session. The partner writes in the first,
logs out in the second, then presses Save in the first: nothing is sent,
the words stay in the box, a notice says why; they sign in in a new tab
and press "Save again", and the words are saved.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.homework import services
from tandem.homework.models import Response
from tandem.safety.models import SafetyMessage
from tandem.testkit.base import PASSWORD, link_therapist, make_assignment, make_couple, make_person, make_therapist
from tandem.testkit.browser import assert_accessible, log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = "The way you waited for me at the station, even in the rain."


def sign_in_here(page, email: str) -> None:
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def sign_in_in_a_new_tab(page, email: str) -> None:
    """The notice's link opens the log-in page in a new tab; sign in there, come back."""
    with page.context.expect_page() as opened:
        page.get_by_role("link", name="Sign in (opens a new tab)").click()
    tab = opened.value
    sign_in_here(tab, email)
    expect(tab.get_by_role("heading", name="You're signed in again")).to_be_visible()
    tab.close()
    page.bring_to_front()


def log_out_in_another_tab(page, base: str):
    other = page.context.new_page()
    log_out(other, base)
    expect(other.get_by_role("link", name="Log in").first).to_be_visible()
    other.close()
    page.bring_to_front()


@pytest.fixture
def old_pages(settings):
    """Pages count as old at once, so app.js asks before every send (a page
    left in a real browser tab is hidden meanwhile, which does the same)."""
    settings.SESSION_CHECK_AFTER_SECONDS = 0


@pytest.fixture
def couple():
    rae = make_person("rae@example.org", "Rae", consent_level=2)
    kit = make_person("kit@example.org", "Kit", consent_level=2)
    return make_couple(rae, kit), rae, kit


def test_an_htmx_answer_saves_after_signing_in_in_a_new_tab(live_server, screen, couple, tmp_path, old_pages):
    base = live_server.url
    pair, rae, kit = couple
    assignment = make_assignment(pair, "appreciations", by=rae)
    services.opt_in(assignment, kit)
    page = screen()
    log_in(page, base, rae.email)
    page.goto(f"{base}/couple/{pair.pk}/homework/{assignment.pk}/")
    page.get_by_label("Your answer").fill(WORDS)

    log_out_in_another_tab(page, base)
    page.get_by_role("button", name="Save my answer").click()

    expect(page.get_by_role("alert")).to_contain_text("Not saved yet: you were signed out.")
    expect(page.get_by_label("Your answer")).to_have_value(WORDS)
    assert not Response.objects.exists()
    assert_accessible(page)
    shots = Path(os.environ.get("TANDEM_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(shots / f"signed-out-{page.viewport_size['width']}.png"), full_page=True)

    sign_in_in_a_new_tab(page, rae.email)

    page.get_by_role("button", name="Save again").click()
    expect(page.get_by_text("Saved. Your partner will read it")).to_be_visible()
    assert Response.objects.get(author=rae).body == WORDS


def test_a_plain_form_keeps_its_words_and_saves_after_signing_in(live_server, phone, couple, old_pages):
    base = live_server.url
    pair, rae, _kit = couple
    link_therapist(pair, make_therapist("tess@example.org", "Tess"))
    page = phone()
    log_in(page, base, rae.email)
    page.goto(f"{base}/couple/{pair.pk}/care/safety/")
    box = page.get_by_label("Your message to your therapist")
    box.fill(WORDS)

    log_out_in_another_tab(page, base)
    page.get_by_role("button", name="Send privately").click()
    expect(page.get_by_role("alert")).to_contain_text("Not saved yet: you were signed out.")
    expect(box).to_have_value(WORDS)
    assert not SafetyMessage.objects.exists()

    sign_in_in_a_new_tab(page, rae.email)
    page.get_by_role("button", name="Save again").click()
    expect(page.get_by_text(WORDS)).to_be_visible()
    assert SafetyMessage.objects.get().body == WORDS


def test_words_are_never_saved_as_the_partner_who_signed_in_meanwhile(live_server, phone, couple, old_pages):
    base = live_server.url
    pair, rae, kit = couple
    assignment = make_assignment(pair, "appreciations", by=rae)
    services.opt_in(assignment, kit)
    page = phone()
    log_in(page, base, rae.email)
    page.goto(f"{base}/couple/{pair.pk}/homework/{assignment.pk}/")
    page.get_by_label("Your answer").fill(WORDS)

    # The shared phone: Rae's tab stays open; Kit logs out Rae's session and signs in.
    other = page.context.new_page()
    log_out(other, base)
    log_in(other, base, kit.email)
    other.close()
    page.bring_to_front()

    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_role("alert")).to_contain_text("someone else is signed in")
    expect(page.get_by_label("Your answer")).to_have_value(WORDS)
    assert not Response.objects.exists()


def test_a_session_ended_from_another_device_while_the_page_is_fresh(live_server, phone, couple):
    """No check before sending (the page is young): the server's 401 keeps the form as it is."""
    from tandem.security.models import SessionRecord

    base = live_server.url
    pair, rae, kit = couple
    assignment = make_assignment(pair, "appreciations", by=rae)
    services.opt_in(assignment, kit)
    page = phone()
    log_in(page, base, rae.email)
    page.goto(f"{base}/couple/{pair.pk}/homework/{assignment.pk}/")
    page.get_by_label("Your answer").fill(WORDS)
    SessionRecord.objects.filter(user=rae).delete()  # "log out everywhere" on her laptop

    page.get_by_role("button", name="Save my answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Not saved yet: you were signed out.")
    expect(page.get_by_label("Your answer")).to_have_value(WORDS)
    assert not Response.objects.exists()

    sign_in_in_a_new_tab(page, rae.email)
    page.get_by_role("button", name="Save again").click()
    expect(page.get_by_text("Saved. Your partner will read it")).to_be_visible()
    assert Response.objects.get(author=rae).body == WORDS
