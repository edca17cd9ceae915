"""Two partners answer a section in two browsers; only matches ever show."""

import pytest
from playwright.sync_api import expect

from tandem.testkit.base import PASSWORD, make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base, email):
    page.goto(f"{base}/account/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def answer(page, item, value):
    page.get_by_role("group", name=item).get_by_label(value, exact=True).check()


def test_matches_only_after_both_finish_and_a_no_stays_invisible(live_server, phone):
    base = live_server.url
    couple = make_couple(make_person("sky@example.org", "Sky"), make_person("lou@example.org", "Lou"))
    url = f"{base}/couple/{couple.pk}/boundaries/affection/"
    sky, lou = phone(), phone()
    log_in(sky, base, "sky@example.org")
    log_in(lou, base, "lou@example.org")

    sky.goto(url)
    answer(sky, "Kissing", "Yes")
    answer(sky, "Cuddling on the sofa or in bed", "Yes")
    answer(sky, "Holding hands", "No")
    sky.get_by_role("button", name="Save my answers").click()
    sky.get_by_role("button", name="I've finished this section").click()
    expect(sky.get_by_test_id("matches")).to_have_count(0)

    lou.goto(url)
    answer(lou, "Kissing", "Yes")
    answer(lou, "Cuddling on the sofa or in bed", "Maybe")
    answer(lou, "Holding hands", "Yes")
    lou.get_by_role("button", name="Save my answers").click()
    expect(lou.get_by_test_id("matches")).to_have_count(0)  # Lou hasn't finished yet
    lou.get_by_role("button", name="I've finished this section").click()

    matches = lou.get_by_test_id("matches")
    expect(matches).to_contain_text("Kissing")
    expect(matches).to_contain_text("Cuddling")
    expect(matches).not_to_contain_text("Holding hands")  # Sky's "no" shows only as no match
    sky.reload()
    expect(sky.get_by_test_id("matches")).to_contain_text("both yes")
    # Nowhere on Lou's page is Sky's "no": Lou's own radio for holding hands is still Lou's "yes".
    assert lou.get_by_role("group", name="Holding hands").get_by_label("Yes", exact=True).is_checked()
