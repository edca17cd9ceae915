"""Accessibility helpers for the browser journeys: page structure, keyboard focus, text size.

``check_page`` is what every journey calls after each navigation or htmx swap
worth looking at: axe-core's WCAG 2.2 A/AA rules (labels, contrast, landmarks,
…) plus the structure Tandem promises on every page (one ``h1``, one ``main``).
"""

from __future__ import annotations

from pathlib import Path

import pyotp

from tandem.testkit.browser import assert_accessible, log_in

# True when the focused element shows a focus ring: an outline or a box-shadow.
_FOCUS_SHOWN = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return false;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return outline || (style.boxShadow && style.boxShadow !== 'none');
}"""

_DESCRIBE_FOCUS = """() => {
  const el = document.activeElement;
  if (!el) return 'nothing';
  const text = (el.textContent || el.value || '').trim().slice(0, 40);
  return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + text;
}"""


def check_page(page) -> None:
    """axe finds nothing, and the page has exactly one h1 and one main landmark."""
    page.wait_for_load_state()
    assert_accessible(page)
    assert page.locator("h1").count() == 1, f"{page.url}: expected exactly one h1"
    assert page.locator("main, [role=main]").count() == 1, f"{page.url}: expected exactly one main landmark"


def visit(page, url: str) -> None:
    page.goto(url)
    check_page(page)


def log_in_checked(page, base: str, email: str) -> None:
    """Log in through the form, checking the log-in page and the page it lands on."""
    page.goto(f"{base}/account/login/")
    check_page(page)
    log_in(page, base, email)
    page.wait_for_url(lambda url: "/account/login/" not in url)
    check_page(page)


def log_in_with_code(page, base: str, email: str) -> None:
    """Log in a person with two-factor: the password, then a fresh code from their authenticator."""
    from tandem.security.models import TwoFactor

    log_in_checked(page, base, email)  # lands on the code page
    secret = TwoFactor.objects.get(user__email=email, confirmed_at__isnull=False).secret
    page.get_by_label("Code").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/login/code/" not in url)
    check_page(page)


def focus_is_visible(page) -> bool:
    return page.evaluate(_FOCUS_SHOWN)


def focused(page) -> str:
    return page.evaluate(_DESCRIBE_FOCUS)


def tab_to(page, target, limit: int = 80) -> None:
    """Press Tab until ``target`` (a locator) has the focus, checking every stop shows a focus ring."""
    wrapped = 0
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body") and wrapped == 0:
            wrapped += 1  # past the last element the focus leaves for the browser once, then starts over
            continue
        assert focus_is_visible(page), f"{page.url}: no visible focus on {focused(page)}"
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{page.url}: {limit} presses of Tab never reached the target (last: {focused(page)})")


def no_horizontal_overflow(page) -> None:
    """Nothing sticks out sideways: no page scrollbar, no box wider than the window, no text cut off."""
    too_wide = page.evaluate(
        """() => { const w = document.documentElement.clientWidth;
          return [...document.querySelectorAll('body *')].filter(el => {
            if (el.closest('.visually-hidden, .table-wrap, .skip-link, svg')) return false;
            const r = el.getBoundingClientRect();
            return r.width > 0 && (r.right > w + 1 || r.left < -1);
          }).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
                       + ' ' + (el.textContent || '').trim().slice(0, 30)).slice(0, 10); }"""
    )
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1] and not too_wide, (
        f"{page.url}: the page is {width[0]}px wide in a {width[1]}px window; outside it: {too_wide}"
    )
    clipped = page.evaluate(
        """() => [...document.querySelectorAll('body *')].filter(el => {
          const style = getComputedStyle(el);
          if (el.closest('.visually-hidden, .table-wrap, .skip-link, svg') || style.display === 'none') return false;
          const hides = ['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY);
          return hides && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1);
        }).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''))"""
    )
    assert clipped == [], f"{page.url}: text cut off in {clipped}"


def lived_in_couple(first: tuple[str, str], second: tuple[str, str], therapist: tuple[str, str]):
    """A linked couple with something on each main page: an opted-in
    write-then-share homework, a calendar block, and today's shared check-ins.

    Each argument is (e-mail, display name); returns (couple, first person's homework)."""
    from tandem.checkins.models import CheckIn
    from tandem.homework import services
    from tandem.testkit.base import (
        link_therapist,
        make_assignment,
        make_block,
        make_couple,
        make_person,
        make_therapist,
    )

    a = make_person(*first, consent_level=2)
    b = make_person(*second, consent_level=2)
    couple = make_couple(a, b)
    link_therapist(couple, make_therapist(*therapist))
    assignment = make_assignment(couple, "mirror-of-desire", by=a)
    services.opt_in(assignment, b)
    make_block(couple, a)
    for who, mood in ((a, 4), (b, 3)):
        CheckIn.objects.create(
            couple=couple, author=who, local_date=who.today(), mood=mood, energy=3, stress=2, closeness=4,
            capacity=["talk", "affection"], visibility="shared", note="A long day at work, then a walk together.",
        )  # fmt: skip
    return couple, assignment


# --- WCAG 2.2, measured in the browser (what axe does not check) -----------------------------
# The measuring functions are in measure.js (one object of named functions), kept as JavaScript
# so they read as what runs in the page.

_MEASURE = (Path(__file__).with_name("measure.js")).read_text()

# Everything a finger or pointer can activate (hidden ones are left out by measure.js).
TARGETS = (
    "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button], "
    "[tabindex]:not([tabindex='-1'])"
)
# Primary controls (the one main button of a form, the tab bar, pause, quick exit): 44 x 44 px.
PRIMARY = ".button.primary, button.primary, .quick-exit, .site-nav .tab, .pause-all button, .waiting-item .button"


def measure(page, name: str, *args):
    return page.evaluate(f"([name, args]) => ({_MEASURE})[name](...args)", [name, list(args)])


def assert_target_sizes(page) -> None:
    """Target size (2.5.8) for every interactive element on the page, and 44 px for primary controls.

    A target passes at 24 x 24 px, or smaller when a 24 px circle on its centre meets no other
    target (the spacing exception); links inside a sentence are exempt (the inline exception);
    a radio or checkbox counts together with its label, which toggles it too."""
    small = measure(page, "smallTargets", TARGETS, 24)
    assert small == [], f"{page.url}: targets under 24 x 24 px with a neighbour too close: {small}"
    primary = measure(page, "smallerThan", PRIMARY, 44)
    assert primary == [], f"{page.url}: primary controls under 44 x 44 px: {primary}"


def assert_focus_never_hidden(page, presses: int = 60) -> None:
    """Focus not obscured (2.4.11): tab through the page from the top; no stop is hidden by the
    sticky top bar and the phone's tab bar together (AA: "not entirely hidden"; a part of a tall
    box may be under a bar)."""
    page.evaluate("() => { window.scrollTo(0, 0); document.activeElement && document.activeElement.blur(); }")
    covered = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        found = measure(page, "focusCovered")
        if found:
            covered.append(found)
    assert covered == [], f"{page.url}: focus hidden under a bar: {covered[:5]}"


def assert_shell(page, *, phone: bool) -> None:
    """The shell on one page, at the top and scrolled to the bottom: a top bar of at most 56 px
    that stays in view, the tab bar at the bottom on a phone only, quick exit one tap away
    (in view and not covered), no sideways scroll."""
    for where in ("top", "bottom"):
        page.evaluate("(bottom) => window.scrollTo(0, bottom ? document.body.scrollHeight : 0)", where == "bottom")
        found = measure(page, "shell")
        assert found["header"] <= 56.5, f"{page.url}: the top bar is {found['header']} px high"
        assert abs(found["headerTop"]) < 0.5, f"{page.url} ({where}): the top bar scrolled away"
        assert found["exitReachable"], f"{page.url} ({where}): quick exit is not one tap away"
        assert found["scroll"][0] <= found["scroll"][1], f"{page.url}: scrolls sideways {found['scroll']}"
        if found["hasTabs"]:
            assert found["tabBar"] is phone, f"{page.url}: tab bar at the bottom: {found['tabBar']}, phone: {phone}"
    page.evaluate("window.scrollTo(0, 0)")
