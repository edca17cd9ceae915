"""Two people pair up in two real browsers."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_up(page, base: str, email: str, name: str) -> None:
    page.goto(f"{base}/account/signup/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Display name").fill(name)
    page.get_by_label("Password").fill("a long and unusual passphrase")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Hello, {name}")


def test_two_partners_pair_up_and_see_each_other(live_server, phone):
    base = live_server.url
    alex, jun = phone(), phone()
    errors: list[str] = []
    for page in (alex, jun):
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))

    sign_up(alex, base, "alex@example.org", "Alex")
    alex.get_by_role("button", name="Start our couple space").click()
    assert alex.evaluate("typeof htmx") == "object"  # vendored htmx loaded under the strict CSP
    alex.get_by_role("button", name="Create an invite").click()  # swapped in place by htmx
    code = alex.get_by_test_id("invite-code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{5}-[A-Z0-9]{5}", code)

    sign_up(jun, base, "jun@example.org", "Jun")
    jun.get_by_role("link", name="I have an invite code").click()
    jun.get_by_label("Invite code").fill(code.lower())
    jun.get_by_role("button", name="Continue").click()
    expect(jun.get_by_text("Alex invited you")).to_be_visible()
    jun.get_by_role("button", name="Join").click()
    jun.get_by_role("button", name="Not now").click()  # the consent question: it never blocks
    expect(jun.locator(".partner-line")).to_contain_text("You and Alex")

    alex.goto(f"{base}/")
    expect(alex.locator(".partner-line")).to_contain_text("You and Jun")
    assert alex.title() == jun.title() == "Tandem"
    assert errors == [], errors  # no CSP violations or script errors
