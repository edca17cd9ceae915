"""A partner checks in, on a phone and on a desktop; the other sees it and the capacity overlap.

Every page on the way is checked with axe (WCAG 2.2 A/AA), one h1 and one main landmark.
"""

import pytest
from playwright.sync_api import expect

from tandem.checkins.models import CheckIn
from tandem.testkit.a11y import check_page, log_in_checked, visit
from tandem.testkit.base import make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_check_in_and_see_the_overlap(live_server, screen):
    base = live_server.url
    ari = make_person("ari@example.org", "Ari")
    noor = make_person("noor@example.org", "Noor")
    couple = make_couple(ari, noor)
    CheckIn.objects.create(
        couple=couple,
        author=noor,
        local_date=noor.today(),
        mood=4,
        energy=3,
        stress=2,
        closeness=4,
        capacity=["talk", "play"],
        visibility="shared",
    )
    ari_page, noor_page = screen(), screen()
    log_in_checked(ari_page, base, "ari@example.org")
    ari_page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    expect(ari_page.get_by_role("heading", level=1)).to_have_text("Check in")
    check_page(ari_page)

    # A mistake first: the errors must be as accessible as the form.
    ari_page.get_by_role("button", name="Check in").click()
    expect(ari_page.locator(".errorlist").first).to_be_visible()
    check_page(ari_page)

    for group, value in (("Mood", "4"), ("Energy", "2"), ("Stress", "3"), ("Closeness", "5")):
        ari_page.get_by_role("group", name=group).get_by_label(value, exact=False).first.check()
    ari_page.get_by_label("talk").check()
    ari_page.get_by_label("affection").check()
    ari_page.get_by_label("A note (optional)").fill("Long day, happy to chat")
    ari_page.get_by_role("button", name="Check in").click()
    expect(ari_page.get_by_test_id("overlap")).to_contain_text("You both have room for: talk")
    check_page(ari_page)

    log_in_checked(noor_page, base, "noor@example.org")
    visit(noor_page, f"{base}/couple/{couple.pk}/checkins/")
    expect(noor_page.get_by_text("Long day, happy to chat")).to_be_visible()
    expect(noor_page.get_by_test_id("overlap")).to_contain_text("talk")
    visit(noor_page, f"{base}/couple/{couple.pk}/")  # the couple page shows the overlap too
    expect(noor_page.get_by_test_id("overlap")).to_contain_text("talk")
    visit(noor_page, f"{base}/couple/{couple.pk}/progress/")
    visit(noor_page, f"{base}/couple/{couple.pk}/week/")
    assert noor_page.title() == "Tandem"
