"""The shell around every page, measured in the browser at 320, 390 and 1280 px.

On each key page of a partner, a therapist and a visitor: a top bar of at most
56 px that stays in view, the tab bar at the bottom on a phone (in the top bar
on a desk), quick exit one tap away at the top and at the bottom of the page,
no sideways scroll, every target at least 24 px (primary controls 44 px),
axe's WCAG 2.2 AA rules, and focus never hidden under a bar.
"""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tandem.homework import holds
from tandem.testkit.a11y import (
    assert_focus_never_hidden,
    assert_shell,
    assert_target_sizes,
    check_page,
    lived_in_couple,
    log_in_with_code,
)
from tandem.testkit.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"320": (320, 640), "390": (390, 844), "1280": (1280, 800)}


@pytest.fixture(params=list(WIDTHS))
def sized(request, browser):
    """A page in a fresh context at one of the three widths; ``page.phone`` says which kind."""
    width, height = WIDTHS[request.param]
    phone = width < 768
    context = browser.new_context(viewport={"width": width, "height": height}, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.phone = phone
    yield page
    context.close()


def look(page, url: str, *, focus: bool = False) -> None:
    page.goto(url)
    check_page(page)
    assert_shell(page, phone=page.phone)
    assert_target_sizes(page)
    if focus:
        assert_focus_never_hidden(page)


def test_a_partners_pages(live_server, sized):
    base = live_server.url
    couple, assignment = lived_in_couple(
        ("avery@example.org", "Avery"), ("jordan@example.org", "Jordan"), ("dr.ellis@example.org", "Dr Ellis")
    )
    log_in(sized, base, "avery@example.org")
    c = {"couple_id": couple.pk}
    look(sized, f"{base}/", focus=True)
    look(sized, base + reverse("checkins:today", kwargs=c), focus=True)
    look(sized, base + reverse("homework:this_week", kwargs=c))
    look(sized, base + reverse("checkins:recent", kwargs=c))
    look(sized, base + reverse("homework:assignment", kwargs={**c, "assignment_id": assignment.pk}), focus=True)
    look(sized, base + reverse("blocks:agenda", kwargs=c))
    look(sized, base + reverse("blocks:plan", kwargs=c), focus=True)
    look(sized, base + reverse("measures:overview", kwargs=c))
    look(sized, base + reverse("accounts:profile"))
    look(sized, base + reverse("home:help"))
    # The current tab is marked; on a phone the tabs are at the bottom.
    sized.goto(base + reverse("blocks:agenda", kwargs=c))
    expect(sized.locator('.site-nav [aria-current="page"]')).to_have_attribute("data-nav", "calendar")


def test_pause_everything_stays_compact_and_shows_its_state(live_server, sized):
    base = live_server.url
    couple, _ = lived_in_couple(
        ("avery@example.org", "Avery"), ("jordan@example.org", "Jordan"), ("dr.ellis@example.org", "Dr Ellis")
    )
    log_in(sized, base, "avery@example.org")
    sized.get_by_role("button", name="Pause everything").click()
    expect(sized.get_by_test_id("paused-chip")).to_have_text("Paused")
    expect(sized.get_by_role("button", name="Lift my pause")).to_be_visible()
    look(sized, f"{base}/")
    sized.get_by_role("button", name="Lift my pause").click()
    expect(sized.get_by_test_id("paused-chip")).to_have_count(0)
    assert not holds.pauses_everything().filter(couple=couple).exists()


def test_a_therapists_desk(live_server, sized):
    base = live_server.url
    couple, _ = lived_in_couple(
        ("avery@example.org", "Avery"), ("jordan@example.org", "Jordan"), ("dr.ellis@example.org", "Dr Ellis")
    )
    log_in_with_code(sized, base, "dr.ellis@example.org")
    assert_shell(sized, phone=sized.phone)
    assert sized.url.endswith(reverse("clinic:caseload"))
    look(sized, base + reverse("clinic:caseload"), focus=True)
    look(sized, base + reverse("clinic:couple", kwargs={"couple_id": couple.pk}), focus=True)
    look(sized, base + reverse("clinic:practice"))
    look(sized, base + reverse("authoring:list"))
    # The desk's own items, none of a partner's.
    keys = sized.locator(".site-nav [data-nav]").evaluate_all("els => els.map(e => e.dataset.nav)")
    assert keys == ["caseload", "exercises", "practice", "profile"]


def test_signed_out_pages(live_server, sized):
    base = live_server.url
    look(sized, f"{base}/")
    look(sized, base + reverse("accounts:login"), focus=True)
    look(sized, base + reverse("accounts:signup"))
    look(sized, base + reverse("home:help"))


def test_log_in_and_the_code_take_pasted_words_and_password_managers(live_server, browser):
    """Accessible authentication (3.3.8): nothing blocks paste, and the fields say what they
    hold, so a password manager or the phone's code autofill can fill them."""
    import pyotp

    from tandem.security.models import TwoFactor
    from tandem.testkit.base import PASSWORD, make_therapist

    base = live_server.url
    make_therapist("dr.ellis@example.org", "Dr Ellis")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    page = context.new_page()

    def paste_into(label: str, text: str) -> None:
        page.evaluate("text => navigator.clipboard.writeText(text)", text)
        field = page.get_by_label(label)
        field.focus()
        page.keyboard.press("Control+V")
        expect(field).to_have_value(text)

    page.goto(base + reverse("accounts:login"))
    expect(page.get_by_label("E-mail address")).to_have_attribute("autocomplete", "email")
    expect(page.get_by_label("Password")).to_have_attribute("autocomplete", "current-password")
    paste_into("E-mail address", "dr.ellis@example.org")
    paste_into("Password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_label("Code")).to_have_attribute("autocomplete", "one-time-code")
    secret = TwoFactor.objects.get(user__email="dr.ellis@example.org").secret
    paste_into("Code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/code/" not in url)
    assert page.url.endswith(reverse("clinic:caseload"))
    context.close()
