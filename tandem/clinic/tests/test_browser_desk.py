"""The therapist journey at a desk and on a phone: log in, land on the
caseload (not a partner page), give homework, and see it there at once.

Each page is checked with axe and for sideways scrolling, and photographed
(into TANDEM_SCREENSHOT_DIR when set, to be looked at).
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.homework import programs
from tandem.homework.content import library
from tandem.testkit.a11y import check_page, log_in_with_code, no_horizontal_overflow
from tandem.testkit.base import link_therapist, make_couple, make_person, make_therapist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def shot(page, name: str) -> None:
    folder = os.environ.get("TANDEM_SCREENSHOT_DIR")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"]
    page.screenshot(path=str(Path(folder) / f"{name}-{width}.png"), full_page=True)


def fits(page) -> None:
    """No sideways scroll, and the caseload needs none inside its own box either."""
    no_horizontal_overflow(page)
    inner = page.evaluate(
        "[...document.querySelectorAll('.table-wrap')].filter(el => el.scrollWidth > el.clientWidth + 1).length"
    )
    assert inner == 0, f"{page.url}: a table scrolls sideways"


def test_log_in_caseload_give_homework_and_see_it_at_once(live_server, screen):
    base = live_server.url
    rae, kit = make_person("rae@example.org", "Rae"), make_person("kit@example.org", "Kit")
    couple = make_couple(rae, kit)
    hale_user = make_therapist("dr.hale@example.org", "Dr Hale", practice="Harbour Practice")
    link_therapist(couple, hale_user)
    # A second couple already in a program, so the caseload has something to show in every column.
    sam, lee = make_person("sam@example.org", "Sam"), make_person("lee@example.org", "Lee")
    other = make_couple(sam, lee)
    link_therapist(other, hale_user)
    programs.start(other, library().programs["reconnect"], sam)
    steps = len(library().programs["reconnect"].steps)
    hale = screen()

    # Log in with the code: the caseload, not a partner page.
    log_in_with_code(hale, base, "dr.hale@example.org")
    assert hale.url == f"{base}/clinic/"
    expect(hale.get_by_role("heading", level=1)).to_have_text("Caseload")
    expect(hale.get_by_text("Start our couple space")).to_have_count(0)
    main_nav = hale.get_by_role("navigation", name="Main")
    expect(main_nav.get_by_role("link", name="Caseload")).to_have_attribute("aria-current", "page")
    for partner_only in ("Check in", "This week", "Calendar", "Home"):
        expect(main_nav.get_by_role("link", name=partner_only, exact=True)).to_have_count(0)
    expect(hale.get_by_role("button", name="Pause everything")).to_have_count(0)
    rows = hale.get_by_test_id("caseload-row")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Sam")).to_contain_text(f"Reconnect: step 1 of {steps}")
    expect(rows.filter(has_text="Rae")).to_contain_text("none given")
    fits(hale)
    shot(hale, "caseload-before")

    # Open the couple and give homework.
    rows.filter(has_text="Rae").get_by_role("link", name="Rae & Kit").click()
    check_page(hale)
    fits(hale)
    hale.get_by_label("Exercise or program").select_option(label="Appreciations")
    hale.get_by_role("button", name="Give it").click()
    expect(hale.get_by_text("Offered. The couple sees it now and decides together.")).to_be_visible()
    open_homework = hale.get_by_test_id("open-homework")
    expect(open_homework).to_contain_text("Appreciations")
    expect(open_homework).to_contain_text("waiting for the couple")
    expect(open_homework).to_contain_text("due ")
    check_page(hale)
    fits(hale)

    # A program the other couple is doing is refused in the therapist's words.
    hale.goto(f"{base}/clinic/couples/{other.pk}/")
    check_page(hale)
    expect(hale.get_by_test_id("program")).to_contain_text("Reconnect")
    hale.get_by_label("Exercise or program").select_option(label="Reconnect")
    hale.get_by_role("button", name="Give it").click()
    expect(hale.get_by_text(f"This couple is already doing Reconnect — it is at step 1 of {steps}.")).to_be_visible()
    check_page(hale)
    fits(hale)
    shot(hale, "couple")

    # Back on the caseload it shows at once: given, not "none given".
    main_nav.get_by_role("link", name="Caseload").click()
    check_page(hale)
    row = hale.get_by_test_id("caseload-row").filter(has_text="Rae")
    expect(row.get_by_test_id("homework-counts")).to_have_text("1 given · 0 done")
    fits(hale)
    shot(hale, "caseload")

    # The practice page: the codes that invite a couple.
    main_nav.get_by_role("link", name="Practice").click()
    check_page(hale)
    expect(hale.get_by_role("heading", name="Harbour Practice")).to_be_visible()
    fits(hale)
    shot(hale, "practice")
