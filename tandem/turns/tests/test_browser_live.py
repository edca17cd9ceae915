"""Live turns in two browsers: what the partner does shows up without a reload.

(a) Rae suggests an exercise: Kit's header count and home's item appear on
    Kit's open home page, and Kit opens it from the item.
(b) A listening exchange (speak, restate, confirm) with no manual reload,
    in which Kit's half-typed restatement survives Rae's move (a pause),
    with the notice, and goes over into the fresh page.

The poll intervals are made tiny here (the settings LIVE_POLL_SECONDS and
LIVE_TURN_POLL_SECONDS); every page is checked with axe and photographed at
390 px (TANDEM_TURNS_SHOTS, or the test's own folder).
"""

import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.testkit.a11y import check_page, log_in_checked, no_horizontal_overflow, visit
from tandem.testkit.base import make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def one_request_at_a_time(live_server):
    """The live server answers one request at a time. With SQLite in memory its
    threads share the test's one connection, and two pages polling every few
    hundred milliseconds while the other person posts would otherwise meet in
    it ("database table is locked"): a limit of the test set-up, not of Tandem
    (a real server has a connection per worker, and WAL for SQLite)."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    lock = threading.Lock()

    def serial(environ, start_response):
        with lock:
            return app(environ, start_response)

    httpd.set_app(serial)
    yield live_server
    httpd.set_app(app)


@pytest.fixture
def live(settings, one_request_at_a_time, live_server, phone, tmp_path):
    settings.LIVE_POLL_SECONDS = 0.3
    settings.LIVE_TURN_POLL_SECONDS = 0.3
    out = Path(os.environ.get("TANDEM_TURNS_SHOTS", tmp_path))
    out.mkdir(parents=True, exist_ok=True)
    rae = make_person("rae@example.org", "Rae")
    kit = make_person("kit@example.org", "Kit")
    couple = make_couple(rae, kit)
    rae_page, kit_page = phone(), phone()
    log_in_checked(rae_page, live_server.url, "rae@example.org")
    log_in_checked(kit_page, live_server.url, "kit@example.org")
    return live_server.url, couple, rae_page, kit_page, out


def shot(page, out: Path, name: str) -> None:
    no_horizontal_overflow(page)
    page.screenshot(path=str(out / f"{name}.png"), full_page=True, animations="disabled", caret="hide")


def suggest(base, couple, page, title: str) -> None:
    visit(page, f"{base}/couple/{couple.pk}/library/")
    page.get_by_role("link", name=title).click()
    page.get_by_role("button", name="Suggest this to us").click()
    expect(page.get_by_text("It starts when your partner says yes too")).to_be_visible()


def test_a_suggestion_appears_on_the_partners_open_home(live):
    base, couple, rae, kit, out = live
    visit(kit, f"{base}/")
    expect(kit.locator(".site-nav .count")).to_have_count(0)
    expect(kit.get_by_test_id("waiting")).to_have_count(0)

    suggest(base, couple, rae, "Appreciations")

    # No reload on Kit's side: the header's count and the item come by themselves.
    expect(kit.locator(".site-nav [data-waiting-count]")).to_have_text("1 waiting for you")
    expect(kit.locator("[data-waiting-said]")).to_have_text("1 waiting for you")
    item = kit.get_by_test_id("waiting").locator(".waiting-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("A suggestion waiting for your yes")
    expect(item).to_contain_text("Appreciations")
    check_page(kit)
    shot(kit, out, "home-live-item-390")

    # Another page of Kit's gets the count too (the header polls everywhere).
    visit(kit, f"{base}/account/profile/")
    expect(kit.locator(".site-nav [data-waiting-count]")).to_have_text("1 waiting for you")
    kit.go_back()
    kit.get_by_test_id("waiting").get_by_role("link", name="Open").click()
    expect(kit.get_by_role("button", name="Yes, I'm in")).to_be_visible()
    check_page(kit)


def test_a_listening_exchange_with_no_reload(live):
    base, couple, rae, kit, out = live
    suggest(base, couple, rae, "Reflective listening")
    page_url = rae.url
    visit(kit, page_url)
    kit.get_by_role("button", name="Yes, I'm in").click()
    expect(kit.get_by_text("Your partner's turn")).to_be_visible()

    # Rae's page was the suggestion; Kit's yes starts it there, without a reload.
    expect(rae.get_by_label("Your message", exact=True)).to_be_visible()
    rae.get_by_label("Your message", exact=True).fill("I miss our slow Sunday mornings.")
    rae.get_by_role("button", name="Send", exact=True).click()
    expect(rae.get_by_text("Sent.")).to_be_visible()

    # Kit: the message and the turn to restate arrive, and the header counts it.
    expect(kit.get_by_text("I miss our slow Sunday mornings.")).to_be_visible()
    box = kit.get_by_label("What I heard you say", exact=True)
    expect(box).to_be_visible()
    expect(kit.locator(".site-nav [data-waiting-count]")).to_have_text("1 waiting for you")
    check_page(kit)

    # Kit starts to restate; meanwhile Rae pauses. Kit's words stay in the box, with a notice.
    box.fill("You miss the slow")
    rae.get_by_role("button", name="Pause this").click()
    expect(rae.get_by_role("button", name="Lift my pause")).to_be_visible()
    notice = kit.locator("[data-turn-notice]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("Your partner moved on. Your words are kept.")
    expect(box).to_have_value("You miss the slow")
    check_page(kit)
    shot(kit, out, "listening-notice-390")

    # Rae lifts the pause; Kit asks for the update: the fresh step with Kit's words in it.
    rae.get_by_role("button", name="Lift my pause").click()
    expect(rae.get_by_text("Your pause is lifted.")).to_be_visible()
    kit.get_by_role("button", name="Show the update").click()
    expect(notice).to_be_hidden()
    box = kit.get_by_label("What I heard you say", exact=True)
    expect(box).to_have_value("You miss the slow")
    box.fill("You miss the slow Sunday mornings together.")
    kit.get_by_role("button", name="Send", exact=True).click()
    expect(kit.get_by_text("Sent.")).to_be_visible()
    expect(kit.locator(".site-nav [data-waiting-count]")).to_have_count(0)

    # Rae: Kit's restatement and "Did your partner get it?", no reload.
    expect(rae.get_by_text("You miss the slow Sunday mornings together.")).to_be_visible()
    expect(rae.get_by_role("button", name="That's it")).to_be_visible()
    check_page(rae)
    shot(rae, out, "listening-live-confirm-390")
    rae.get_by_role("button", name="That's it").click()
    expect(rae.get_by_text("Confirmed: you were heard.")).to_be_visible()

    # Kit: the roles swap; Kit's turn to speak, no reload.
    expect(kit.get_by_text("Your turn to speak")).to_be_visible()
    expect(kit.get_by_label("Your message", exact=True)).to_be_visible()
    check_page(kit)
    shot(kit, out, "listening-live-swapped-390")
