"""A therapist gives a program and a measure; the partners do them; the therapist reads the result.

Three browser contexts: the therapist (password, then a code from the
authenticator) and the two partners. Every page is checked with axe.
"""

import re

import pytest
from playwright.sync_api import expect

from tandem.testkit.a11y import check_page, log_in_checked, log_in_with_code, visit
from tandem.testkit.base import link_therapist, make_couple, make_person, make_therapist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CSI4_ANSWERS = ("Very Happy", "Mostly True", "Mostly", "Mostly")  # 4 + 3 + 3 + 3 = 13


def answer_csi4(page, base, couple, *, slip: bool = False) -> None:
    visit(page, f"{base}/couple/{couple.pk}/measures/")
    page.get_by_role("link", name="Couples Satisfaction Index (CSI-4)").click()
    check_page(page)
    if slip:  # sent with gaps: each missing item says so, the answers given are kept
        page.get_by_role("group", name=re.compile(r"^1\. ")).get_by_label(CSI4_ANSWERS[0], exact=True).check()
        page.get_by_role("button", name="Save my answers").click()
        expect(page.get_by_text("Some items still need an answer.")).to_be_visible()
        expect(page.get_by_text("Please answer item 2")).to_be_visible()
        check_page(page)
    for number, choice in enumerate(CSI4_ANSWERS, start=1):
        page.get_by_role("group", name=re.compile(rf"^{number}\. ")).get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Save my answers").click()
    expect(page.get_by_text("Thank you. Your answers are saved.")).to_be_visible()
    expect(page.get_by_text("CSI-4: latest score 13")).to_be_visible()
    check_page(page)


def test_therapist_gives_a_program_and_a_measure_and_reads_the_result(live_server, screen):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae")
    kit = make_person("kit@example.org", "Kit")
    couple = make_couple(rae, kit)
    link_therapist(couple, make_therapist("dr.hale@example.org", "Dr Hale"))
    hale, rae_page, kit_page = screen(), screen(), screen()

    # The therapist logs in with a code and opens the couple from the caseload.
    log_in_with_code(hale, base, "dr.hale@example.org")
    visit(hale, f"{base}/clinic/")
    hale.get_by_test_id("caseload-row").get_by_role("link", name="Rae & Kit").click()
    check_page(hale)

    # Nothing chosen yet: the form says what is missing.
    hale.get_by_role("button", name="Give it").click()
    expect(hale.get_by_text("Choose an exercise or a program.")).to_be_visible()
    check_page(hale)

    # A program, once, with a word for the couple.
    hale.get_by_label("Exercise or program").select_option(label="Hard season")
    hale.get_by_label("A message to the couple (optional)").fill("Start gently, no rush.")
    hale.get_by_role("button", name="Give it").click()
    expect(hale.get_by_text("Offered. The couple sees it now and decides together.")).to_be_visible()
    expect(hale.get_by_test_id("open-homework")).to_contain_text("Appreciations")
    expect(hale.get_by_test_id("open-homework")).to_contain_text("waiting for the couple")
    check_page(hale)

    # A measure for each partner, once.
    hale.get_by_role("link", name="Measures").click()
    check_page(hale)
    for name in ("Rae", "Kit"):
        hale.get_by_role("combobox", name="Partner").select_option(label=name)
        hale.get_by_role("combobox", name="Measure").select_option("csi4")
        hale.get_by_role("combobox", name="How often").select_option("once")
        hale.get_by_role("button", name="Plan it").click()
        expect(hale.get_by_text(f"CSI-4 planned for {name}.")).to_be_visible()
        check_page(hale)
    expect(hale.get_by_test_id("measure-plan")).to_have_count(2)

    # Both partners find the program's first step, say yes and write, for each other and the therapist.
    log_in_checked(rae_page, base, "rae@example.org")
    log_in_checked(kit_page, base, "kit@example.org")
    for page in (rae_page, kit_page):
        visit(page, f"{base}/couple/{couple.pk}/homework/")
        page.get_by_role("link", name="Hard season").click()
        check_page(page)
        page.get_by_role("link", name="Go to the current step").click()
        expect(page.get_by_text("Start gently, no rush.")).to_be_visible()
        check_page(page)
        page.get_by_role("button", name="Yes, I").click()
        check_page(page)
    for page, text in ((rae_page, "Your patience this month."), (kit_page, "The way you plan our Sundays.")):
        page.reload()
        page.get_by_label("Your answer").fill(text)
        page.get_by_label("My partner and our therapist").check()
        page.get_by_role("button", name="Save my answer").click()
        check_page(page)
    expect(kit_page.get_by_test_id("partner-answer")).to_contain_text("Your patience")
    rae_page.reload()
    expect(rae_page.get_by_test_id("partner-answer")).to_contain_text("plan our Sundays")
    check_page(rae_page)
    rae_page.get_by_role("group", name="How did it feel?").get_by_label("4", exact=True).check()
    rae_page.get_by_label("One word for it (optional)").fill("hopeful")
    rae_page.get_by_label("My partner and our therapist").check()
    rae_page.get_by_role("button", name="Save my debrief").click()
    expect(rae_page.get_by_text("Your debrief is saved")).to_be_visible()
    check_page(rae_page)

    # The program moves on to its next step, for both.
    visit(kit_page, f"{base}/couple/{couple.pk}/homework/")
    kit_page.get_by_role("link", name="Hard season").click()
    expect(kit_page.get_by_text("1 of 10 steps done together")).to_be_visible()
    check_page(kit_page)

    # Both answer the measure; neither sees the other's score.
    answer_csi4(rae_page, base, couple, slip=True)
    answer_csi4(kit_page, base, couple)
    expect(kit_page.get_by_text("Nothing shared.")).to_be_visible()
    # Rae chooses to share the score; Kit then sees it, as a chart and a table.
    rae_page.get_by_role("button", name="Share this score").click()
    expect(rae_page.get_by_text("Your partner can now see this score.")).to_be_visible()
    check_page(rae_page)
    kit_page.reload()
    shared = kit_page.get_by_role("region", name="What Rae shared with you")
    expect(shared).to_contain_text("CSI-4: latest score 13")
    check_page(kit_page)

    # The therapist reads the result: homework done, what was shared, the scores.
    visit(hale, f"{base}/clinic/couples/{couple.pk}/")
    timeline = hale.get_by_test_id("timeline")
    expect(timeline).to_contain_text("Homework done: Appreciations")
    expect(timeline).to_contain_text("Your patience this month.")
    expect(timeline).to_contain_text("The way you plan our Sundays.")
    expect(timeline).to_contain_text("hopeful")
    expect(hale.get_by_test_id("open-homework")).to_contain_text("Rapid check-in")
    hale.get_by_role("link", name="Measures").click()
    check_page(hale)
    for name in ("Rae", "Kit"):
        section = hale.get_by_role("region", name=name)
        expect(section).to_contain_text("CSI-4: latest score 13")
    expect(hale.get_by_test_id("measure-plan")).to_have_count(0)  # both done: nothing left planned
    visit(hale, f"{base}/clinic/")
    expect(hale.get_by_test_id("caseload-row")).to_contain_text("CSI4 13")

    # A private note for the next session (only the therapist reads it).
    hale.get_by_test_id("caseload-row").get_by_role("link", name="Rae & Kit").click()
    hale.get_by_label("A private note (only you see it)").fill("Ask about Sundays.")
    hale.get_by_role("button", name="Save note").click()
    expect(hale.get_by_test_id("note")).to_contain_text("Ask about Sundays.")
    check_page(hale)

    # The partners can see every read the therapist made.
    visit(rae_page, f"{base}/couple/{couple.pk}/")
    rae_page.get_by_role("link", name="Who on the care team read your data, and when").click()
    expect(rae_page.get_by_test_id("audit-log")).to_contain_text("Dr Hale")
    check_page(rae_page)
    assert "Ask about Sundays" not in rae_page.content()
