"""A therapist (with two-factor) links with a couple: both partners accept, in real browsers."""

import pytest
from playwright.sync_api import expect

from tandem.testkit.a11y import check_page, log_in_checked, log_in_with_code, visit
from tandem.testkit.base import make_couple, make_person, make_therapist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_both_partners_accept_and_the_couple_appears_in_the_caseload(live_server, screen):
    base = live_server.url
    couple = make_couple(make_person("wren@example.org", "Wren"), make_person("ola@example.org", "Ola"))
    make_therapist("dr.vale@example.org", "Dr Vale", practice="Quayside Practice")
    vale, wren, ola = screen(), screen(), screen()

    # The therapist's second step: a code from the authenticator, then the caseload.
    log_in_with_code(vale, base, "dr.vale@example.org")
    visit(vale, f"{base}/clinic/")
    expect(vale.get_by_text("No couple is linked with you yet.")).to_be_visible()
    vale.get_by_role("link", name="Invite a couple").click()
    vale.get_by_label("Note to yourself").fill("Tuesday 18:00")
    vale.get_by_role("button", name="Create a code").click()
    check_page(vale)  # the code and link, shown this once
    code = vale.get_by_test_id("invite-code").inner_text()
    vale.get_by_role("link", name="Back to your practice").click()
    open_code = vale.get_by_test_id("open-code")
    expect(open_code).to_contain_text("Tuesday 18:00")
    expect(open_code).not_to_contain_text(code)
    expect(open_code.get_by_role("button", name="Make a new code")).to_be_visible()
    check_page(vale)

    # Wren enters the code and accepts.
    log_in_checked(wren, base, "wren@example.org")
    visit(wren, f"{base}/couple/{couple.pk}/")
    wren.get_by_role("link", name="Link a therapist").click()
    check_page(wren)
    wren.get_by_label("Therapist's code").fill(code)
    wren.get_by_role("button", name="Continue").click()
    expect(wren.get_by_role("heading", level=1)).to_have_text("Link with your therapist?")
    check_page(wren)
    wren.get_by_role("button", name="Accept").click()
    expect(wren.get_by_text("Your yes is recorded")).to_be_visible()
    check_page(wren)

    # Not yet linked: the therapist sees the couple only as waiting.
    vale.reload()
    expect(vale.get_by_text("waiting for the couple")).to_be_visible()
    check_page(vale)

    # Ola accepts on the couple page; the link starts.
    log_in_checked(ola, base, "ola@example.org")
    visit(ola, f"{base}/couple/{couple.pk}/")
    ola.get_by_role("button", name="Accept the link").click()
    expect(ola.get_by_text("The link is active")).to_be_visible()
    expect(ola.get_by_role("link", name="End the therapist link")).to_be_visible()
    check_page(ola)

    visit(vale, f"{base}/clinic/")
    row = vale.get_by_test_id("caseload-row")
    expect(row).to_contain_text("Wren")
    expect(row).to_contain_text("Ola")
    check_page(vale)
    row.get_by_role("link").first.click()
    check_page(vale)  # the couple's page in the therapist workspace
