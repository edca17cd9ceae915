"""Linking a second therapist: the earlier-history question, in real browsers (issue 21).

Wren and Ola worked with Dr Vale before. Linking Dr Nia, Wren says yes to
sharing what she shared before and Ola keeps the default no; Dr Nia's couple
page then shows Wren's earlier check-in and not Ola's; Wren withdraws it on
her own page and it is gone on Dr Nia's next read.
"""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tandem.checkins.models import CheckIn
from tandem.clinic import services
from tandem.testkit.a11y import check_page, log_in_checked, log_in_with_code, visit
from tandem.testkit.base import link_therapist, make_couple, make_person, make_therapist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"


def test_each_partner_answers_the_earlier_history_question_for_their_own(live_server, screen, request):
    base = live_server.url
    wren, ola = make_person("wren@example.org", "Wren"), make_person("ola@example.org", "Ola")
    couple = make_couple(wren, ola)
    vale = make_therapist("dr.vale@example.org", "Dr Vale", practice="Quayside Practice")
    earlier = link_therapist(couple, vale)
    for who, words in ((wren, "wren-before-marker"), (ola, "ola-before-marker")):
        CheckIn.objects.create(
            couple=couple, author=who, visibility="care_team", local_date=who.today() - timezone.timedelta(days=3),
            mood=3, energy=3, stress=3, closeness=3, note=words,
        )  # fmt: skip
    services.end_link(earlier)
    nia = make_therapist("dr.nia@example.org", "Dr Nia", practice="Second Rooms")
    code = services.create_care_invite(nia.therapist).display_code
    wren_page, ola_page, nia_page = screen(), screen(), screen()

    # Wren enters Dr Nia's code: the question comes on its own, no ticked by default.
    log_in_checked(wren_page, base, "wren@example.org")
    visit(wren_page, f"{base}/care/")
    wren_page.get_by_label("Therapist's code").fill(code)
    wren_page.get_by_role("button", name="Continue").click()
    expect(wren_page.get_by_role("heading", level=1)).to_have_text("Link with your therapist?")
    question = wren_page.get_by_role("group", name="May Dr Nia also read what you shared with an earlier therapist?")
    expect(question).to_be_visible()
    expect(question.get_by_label("No, only what I share from now on")).to_be_checked()
    check_page(wren_page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = SHOTS / f"care-link-history-question-{request.node.callspec.id}.png"
    wren_page.screenshot(path=str(shot), full_page=True)
    question.get_by_label("Yes, also what I shared with a care team before").check()
    wren_page.get_by_role("button", name="Accept").click()
    expect(wren_page.get_by_text("Your yes is recorded")).to_be_visible()
    expect(wren_page.get_by_test_id("history-answer")).to_contain_text("Dr Nia can read it")
    check_page(wren_page)

    # Ola accepts on the couple page and leaves the question at no.
    log_in_checked(ola_page, base, "ola@example.org")
    visit(ola_page, f"{base}/couple/{couple.pk}/")
    ola_question = ola_page.get_by_test_id("history-question")
    expect(ola_question.get_by_label("No, only what I share from now on")).to_be_checked()
    check_page(ola_page)
    ola_page.screenshot(path=str(SHOTS / f"care-link-history-consent-{request.node.callspec.id}.png"), full_page=True)
    ola_page.get_by_role("button", name="Accept the link").click()
    expect(ola_page.get_by_text("The link is active")).to_be_visible()
    expect(ola_page.get_by_test_id("history-answer")).to_contain_text("kept from Dr Nia")
    check_page(ola_page)

    # Dr Nia reads Wren's earlier check-in, never Ola's, and nothing about who said what.
    log_in_with_code(nia_page, base, "dr.nia@example.org")
    visit(nia_page, f"{base}/clinic/couples/{couple.pk}/")
    expect(nia_page.get_by_text("wren-before-marker")).to_be_visible()
    expect(nia_page.get_by_text("ola-before-marker")).to_have_count(0)
    expect(nia_page.get_by_text("earlier", exact=False)).to_have_count(0)

    # Wren withdraws it on her own page: gone on Dr Nia's next read.
    wren_page.get_by_test_id("history-answer").get_by_role("link", name="Change").click()
    expect(wren_page.get_by_role("heading", level=1)).to_have_text("What you shared before")
    check_page(wren_page)
    wren_page.get_by_label("No, only what I share from now on").check()
    wren_page.get_by_role("button", name="Save").click()
    expect(wren_page.get_by_text("Dr Nia no longer sees what you shared before.")).to_be_visible()
    check_page(wren_page)
    nia_page.reload()
    expect(nia_page.get_by_text("wren-before-marker")).to_have_count(0)
