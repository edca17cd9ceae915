"""Onboarding in two real browsers, on a phone and on a desktop, every page checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from tandem.couples.models import Couple
from tandem.testkit.a11y import check_page, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, base: str, email: str, name: str) -> None:
    visit(page, f"{base}/")  # the landing page
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign up").click()
    check_page(page)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Hello, {name}")
    check_page(page)


def test_sign_up_invite_the_partner_and_join(live_server, screen):
    base = live_server.url
    mika, ren = screen(), screen()

    sign_up(mika, base, "mika@example.org", "Mika")
    mika.get_by_role("button", name="Start our couple space").click()
    expect(mika.get_by_role("button", name="Create an invite")).to_be_visible()
    check_page(mika)
    mika.get_by_role("button", name="Create an invite").click()  # htmx swaps the panel in place
    code = mika.get_by_test_id("invite-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)
    expect(mika.get_by_text("shown only now")).to_be_visible()
    check_page(mika)
    # Shown once: opened again, the page says an invite is waiting and offers a new one.
    mika.reload()
    panel = mika.locator("#invite-panel")
    expect(panel).to_contain_text("An invite is waiting for your partner (it expires")
    expect(panel).not_to_contain_text(code)
    expect(panel.get_by_role("button", name="Withdraw this invite")).to_be_visible()
    check_page(mika)
    mika.get_by_role("button", name="Make a new invite").click()  # the old code stops working
    code = mika.get_by_test_id("invite-code").inner_text()
    check_page(mika)

    sign_up(ren, base, "ren@example.org", "Ren")
    ren.get_by_role("link", name="I have an invite code").click()
    check_page(ren)
    ren.get_by_label("Invite code").fill("WRONG-CODE1")
    ren.get_by_role("button", name="Continue").click()
    expect(ren.locator(".errorlist")).to_be_visible()
    check_page(ren)  # the error is announced next to a labelled field
    ren.get_by_label("Invite code").fill(code)
    ren.get_by_role("button", name="Continue").click()
    expect(ren.get_by_text("Mika invited you")).to_be_visible()
    check_page(ren)
    ren.get_by_role("button", name="Join").click()
    # Joined: the consent question, privately, before anything else (a "Not now" is there too).
    expect(ren.get_by_role("heading", level=1)).to_have_text("A question just for you")
    check_page(ren)
    ren.get_by_label("Also affectionate, non-sexual touch").check()
    ren.get_by_role("button", name="Save").click()
    expect(ren.locator(".partner-line")).to_contain_text("You and Mika")
    expect(ren.get_by_test_id("consent-question")).to_have_count(0)
    check_page(ren)

    mika.goto(f"{base}/")
    expect(mika.locator(".partner-line")).to_contain_text("You and Ren")
    expect(mika.get_by_test_id("consent-question")).to_be_visible()  # the inviter is asked on home
    check_page(mika)
    mika.get_by_test_id("consent-question").get_by_role("button", name="Not now").click()
    expect(mika.get_by_test_id("consent-question")).to_have_count(0)
    check_page(mika)
    couple = Couple.objects.get(memberships__user__email="mika@example.org")
    visit(mika, f"{base}/couple/{couple.pk}/")  # the couple page, now with both partners
    expect(mika.get_by_role("heading", name="Therapist")).to_be_visible()
