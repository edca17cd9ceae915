"""Two partners answer a section in two browsers; only matches ever show.

Runs on a phone and on a desktop; every page on the way is checked with axe.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.testkit.a11y import check_page, log_in_checked, no_horizontal_overflow, visit
from tandem.testkit.base import make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(page, item, value):
    """Tap an answer and wait until the page says it is kept (its own htmx save)."""
    group = page.get_by_role("group", name=item)
    group.get_by_label(value, exact=True).check()
    expect(group.get_by_role("status")).to_contain_text(f"Saved: {value}")


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


def test_answers_are_kept_as_they_are_tapped_and_finishing_never_loses_them(live_server, screen, request, tmp_path):
    """The tester's case: tap answers, press "I've finished this section"
    without "Save my answers", come back: every answer is still there."""
    base = live_server.url
    couple = make_couple(make_person("ari@example.org", "Ari"), make_person("noa@example.org", "Noa"))
    ari, noa = screen(), screen()
    log_in_checked(ari, base, "ari@example.org")
    log_in_checked(noa, base, "noa@example.org")
    url = f"{base}/couple/{couple.pk}/boundaries/affection/"

    visit(ari, url)
    ari.get_by_role("group", name="Kissing").get_by_label("Yes", exact=True).check()
    kissing = ari.get_by_role("group", name="Kissing")
    expect(kissing.get_by_role("status")).to_have_text("Saved: Yes")  # kept at once, and said politely
    answer(ari, "Holding hands", "Maybe")
    ari.get_by_label("Private note (optional)").first.fill("Only on walks")
    answer(ari, "Cuddling on the sofa or in bed", "Yes")  # the note is kept when the focus leaves it
    holding_hands = ari.get_by_role("group", name="Holding hands").get_by_role("status")
    expect(holding_hands).to_have_text("Saved: Maybe, with your note")
    check_page(ari)
    no_horizontal_overflow(ari)
    if request.node.callspec.params["screen"] == "phone":
        out = Path(os.environ.get("TANDEM_BOUNDARIES_SCREENSHOTS", tmp_path))
        ari.screenshot(path=str(out / "boundaries-section.png"), full_page=True, animations="disabled", caret="hide")
    answer(ari, "Long, slow hugs", "Maybe")
    ari.get_by_role("button", name="I've finished this section").click()
    expect(ari.get_by_text("You finished this section.")).to_be_visible()
    ari.reload()
    for item, value in (("Kissing", "Yes"), ("Holding hands", "Maybe"), ("Long, slow hugs", "Maybe")):
        assert ari.get_by_role("group", name=item).get_by_label(value, exact=True).is_checked(), item
    expect(ari.get_by_role("group", name="Holding hands").get_by_label("Private note (optional)")).to_have_value(
        "Only on walks"
    )
    check_page(ari)

    # Noa's taps never reach the server on their own (a lost connection, as
    # good as no JavaScript), and Noa never presses "Save my answers" either:
    # "I've finished this section" carries the answers on the form.
    visit(noa, url)
    noa.route("**/boundaries/affection/answer/", lambda route: route.abort())
    for item in ("Kissing", "Long, slow hugs"):
        noa.get_by_role("group", name=item).get_by_label("Yes", exact=True).check()
    expect(noa.get_by_role("group", name="Kissing").get_by_role("status")).to_have_text("")  # no false "Saved"
    noa.get_by_role("button", name="I've finished this section").click()
    matches = noa.get_by_test_id("matches")
    expect(matches).to_contain_text("Kissing")
    expect(matches).to_contain_text("Long, slow hugs")
    expect(matches).not_to_contain_text("Holding hands")
    check_page(noa)
    ari.reload()
    expect(ari.get_by_test_id("matches")).to_contain_text("both yes")
    check_page(ari)


def test_finishing_with_nothing_answered_asks_first(live_server, phone, tmp_path):
    base = live_server.url
    couple = make_couple(make_person("ari@example.org", "Ari"), make_person("noa@example.org", "Noa"))
    ari = phone()
    log_in_checked(ari, base, "ari@example.org")
    visit(ari, f"{base}/couple/{couple.pk}/boundaries/setting/")
    ari.get_by_role("button", name="I've finished this section").click()
    expect(ari.get_by_text("You haven't answered any item in this section yet.")).to_be_visible()
    check_page(ari)
    no_horizontal_overflow(ari)
    out = Path(os.environ.get("TANDEM_BOUNDARIES_SCREENSHOTS", tmp_path))
    ari.screenshot(path=str(out / "boundaries-finish-empty.png"), full_page=True, animations="disabled", caret="hide")
    ari.get_by_role("button", name="Finish without answering").click()
    expect(ari.get_by_text("You finished this section.")).to_be_visible()
    check_page(ari)


def test_adding_an_item_without_javascript_keeps_the_answers_tapped(live_server, browser):
    """With no script, taps are not saved one by one: "Add" must send them along."""
    from tandem.boundaries.models import Answer, CustomItem
    from tandem.testkit.browser import log_in

    sky = make_person("sky@example.org", "Sky")
    couple = make_couple(sky, make_person("lou@example.org", "Lou"))
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live_server.url, "sky@example.org")
        page.wait_for_url(lambda url: "/account/login/" not in url)
        page.goto(f"{live_server.url}/couple/{couple.pk}/boundaries/affection/")
        page.get_by_role("group", name="Kissing").get_by_label("Maybe", exact=True).check()
        page.get_by_label("Add an item for both of you").fill("Slow dancing")
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_role("group", name="Slow dancing")).to_be_visible()
        expect(page.get_by_role("group", name="Kissing").get_by_label("Maybe", exact=True)).to_be_checked()
        assert Answer.objects.get(author=sky).item_key == "kissing"
        assert CustomItem.objects.get().label == "Slow dancing"
        no_horizontal_overflow(page)
        # A refused label comes back in its box with the reason, at phone width.
        page.get_by_label("Add an item for both of you").fill("x" * 121)
        page.get_by_role("button", name="Add", exact=True).click()
        expect(page.get_by_text("Describe the item in 1 to 120 characters (it has 121).").first).to_be_visible()
        expect(page.get_by_label("Add an item for both of you")).to_have_value("x" * 121)
        if os.environ.get("TANDEM_SCREENSHOTS_DIR"):
            page.screenshot(
                path=str(Path(os.environ["TANDEM_SCREENSHOTS_DIR"]) / "boundaries-add-refused-390.png"), full_page=True
            )
    finally:
        context.close()
