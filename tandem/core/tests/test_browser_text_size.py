"""Text at 200 % (WCAG 1.4.4): the main pages lose nothing, on a phone and on a desktop.

The root font size goes to 200 %, as a browser's text-size setting does; every
size in app.css is relative to it. No page may then scroll sideways, and no
box may cut off its text.
"""

import pytest
from playwright.sync_api import expect

from tandem.checkins.models import CheckIn
from tandem.homework import services
from tandem.testkit.a11y import log_in_checked, log_in_with_code, no_horizontal_overflow
from tandem.testkit.base import link_therapist, make_assignment, make_block, make_couple, make_person, make_therapist

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
    lina = make_person("lina@example.org", "Lina", consent_level=2)
    pat = make_person("pat@example.org", "Pat", consent_level=2)
    couple = make_couple(lina, pat)
    link_therapist(couple, make_therapist("dr.hale@example.org", "Dr Hale"))
    assignment = make_assignment(couple, "mirror-of-desire", by=lina)
    services.opt_in(assignment, pat)
    make_block(couple, lina)
    for who, mood in ((lina, 4), (pat, 3)):
        CheckIn.objects.create(
            couple=couple,
            author=who,
            local_date=who.today(),
            mood=mood,
            energy=3,
            stress=2,
            closeness=4,
            capacity=["talk", "affection"],
            visibility="shared",
            note="A long day at work, then a walk together.",
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
