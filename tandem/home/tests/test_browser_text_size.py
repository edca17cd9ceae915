"""Text at 200 % (WCAG 1.4.4): the main pages lose nothing, on a phone and on a desktop.

The root font size goes to 200 %, as a browser's text-size setting does; every
size in app.css is relative to it. No page may then scroll sideways, and no
box may cut off its text.
"""

import pytest
from playwright.sync_api import expect

from tandem.testkit.a11y import lived_in_couple, log_in_checked, log_in_with_code, no_horizontal_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at_double_text_size(page, url: str) -> None:
    page.goto(url)
    # Through the CSSOM, which the CSP allows (it forbids only inline style in the markup).
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    no_horizontal_overflow(page)


def test_main_pages_at_200_percent_text(live_server, screen):
    base = live_server.url
    couple, assignment = lived_in_couple(
        ("lina@example.org", "Lina"), ("pat@example.org", "Pat"), ("dr.hale@example.org", "Dr Hale")
    )
    c = f"{base}/couple/{couple.pk}"
    page = screen()
    for url in (f"{base}/", f"{base}/account/login/", f"{base}/account/signup/"):
        at_double_text_size(page, url)
    log_in_checked(page, base, "lina@example.org")
    for url in (
        f"{base}/",
        f"{c}/",
        f"{c}/checkin/",
        f"{c}/checkins/",
        f"{c}/progress/",
        f"{c}/homework/",
        f"{c}/library/",
        f"{c}/homework/{assignment.pk}/",
        f"{c}/boundaries/",
        f"{c}/boundaries/affection/",
        f"{c}/calendar/",
        f"{c}/calendar/plan/",
        f"{base}/account/profile/",
    ):
        at_double_text_size(page, url)

    therapist = screen()
    log_in_with_code(therapist, base, "dr.hale@example.org")
    at_double_text_size(therapist, f"{base}/clinic/")
    at_double_text_size(therapist, f"{base}/clinic/couples/{couple.pk}/")
