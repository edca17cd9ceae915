"""A partner checks in on a phone; the other sees it and the capacity overlap."""

import pytest
from playwright.sync_api import expect

from tandem.checkins.models import CheckIn
from tandem.testkit.base import PASSWORD, make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base: str, email: str) -> None:
    page.goto(f"{base}/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_check_in_on_a_phone_and_see_the_overlap(live_server, phone):
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
    ari_page, noor_page = phone(), phone()
    log_in(ari_page, base, "ari@example.org")
    ari_page.get_by_role("link", name="Check in").first.click()
    for group, value in (("Mood", "4"), ("Energy", "2"), ("Stress", "3"), ("Closeness", "5")):
        ari_page.get_by_role("group", name=group).get_by_label(value, exact=False).first.check()
    ari_page.get_by_label("talk").check()
    ari_page.get_by_label("affection").check()
    ari_page.get_by_label("A note (optional)").fill("Long day, happy to chat")
    ari_page.get_by_role("button", name="Check in").click()
    expect(ari_page.get_by_test_id("overlap")).to_contain_text("You both have room for: talk")

    log_in(noor_page, base, "noor@example.org")
    noor_page.goto(f"{base}/couple/{couple.pk}/checkins/")
    expect(noor_page.get_by_text("Long day, happy to chat")).to_be_visible()
    expect(noor_page.get_by_test_id("overlap")).to_contain_text("talk")
    assert noor_page.title() == "Tandem"
