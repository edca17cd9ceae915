"""Two partners answer a section in two browsers; only matches ever show.

Runs on a phone and on a desktop; every page on the way is checked with axe.
"""

import pytest
from playwright.sync_api import expect

from tandem.testkit.a11y import check_page, log_in_checked, visit
from tandem.testkit.base import make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(page, item, value):
    page.get_by_role("group", name=item).get_by_label(value, exact=True).check()


def test_matches_only_after_both_finish_and_a_no_stays_invisible(live_server, screen):
    base = live_server.url
    couple = make_couple(make_person("sky@example.org", "Sky"), make_person("lou@example.org", "Lou"))
    sky, lou = screen(), screen()
    log_in_checked(sky, base, "sky@example.org")
    log_in_checked(lou, base, "lou@example.org")

    visit(sky, f"{base}/couple/{couple.pk}/")
    sky.get_by_role("link", name="Boundaries: yes, maybe, no").click()
    check_page(sky)  # the overview of sections
    sky.get_by_role("link", name="Affection").click()
    check_page(sky)
    url = sky.url
    answer(sky, "Kissing", "Yes")
    answer(sky, "Cuddling on the sofa or in bed", "Yes")
    answer(sky, "Holding hands", "No")
    sky.get_by_role("button", name="Save my answers").click()
    check_page(sky)
    sky.get_by_role("button", name="I've finished this section").click()
    expect(sky.get_by_test_id("matches")).to_have_count(0)
    check_page(sky)

    visit(lou, url)
    answer(lou, "Kissing", "Yes")
    answer(lou, "Cuddling on the sofa or in bed", "Maybe")
    answer(lou, "Holding hands", "Yes")
    lou.get_by_role("button", name="Save my answers").click()
    expect(lou.get_by_test_id("matches")).to_have_count(0)  # Lou hasn't finished yet
    check_page(lou)
    lou.get_by_role("button", name="I've finished this section").click()

    matches = lou.get_by_test_id("matches")
    expect(matches).to_contain_text("Kissing")
    expect(matches).to_contain_text("Cuddling")
    expect(matches).not_to_contain_text("Holding hands")  # Sky's "no" shows only as no match
    check_page(lou)  # the reveal
    sky.reload()
    expect(sky.get_by_test_id("matches")).to_contain_text("both yes")
    check_page(sky)
    # Nowhere on Lou's page is Sky's "no": Lou's own radio for holding hands is still Lou's "yes".
    assert lou.get_by_role("group", name="Holding hands").get_by_label("Yes", exact=True).is_checked()
    visit(lou, f"{base}/couple/{couple.pk}/boundaries/")  # the overview says the section is done
    visit(lou, f"{base}/couple/{couple.pk}/agreements/")
