"""The first minutes of a couple, on a phone: an invite link opened signed out,
sign-up back to the invite, joining, and the consent question."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tandem.accounts.models import User
from tandem.couples.models import Invite
from tandem.testkit.a11y import check_page, log_in_checked, visit
from tandem.testkit.base import make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("TANDEM_SCREENSHOTS", Path(__file__).resolve().parents[3] / "var" / "screenshots"))


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-390.png"), full_page=True, caret="hide")


def test_invited_by_link_signs_up_joins_and_answers_the_consent_question(live_server, phone):
    base = live_server.url
    nadia = make_person("nadia@example.org", "Nadia")
    couple = make_couple(nadia)
    invite = Invite.objects.create(couple=couple, created_by=nadia)
    kai = phone()

    visit(kai, f"{base}/join/{invite.token}/")  # signed out
    expect(kai.get_by_role("heading", level=1)).to_have_text("Nadia invited you to Tandem")
    expect(kai.get_by_text("Tandem is a private space for two partners")).to_be_visible()
    shot(kai, "invite-landing")
    kai.get_by_role("link", name="Create an account").click()
    check_page(kai)
    kai.get_by_label("E-mail address").fill("kai@example.org")
    kai.get_by_label("Display name").fill("Kai")
    kai.get_by_label("Password").fill("a long and unusual passphrase")
    kai.get_by_role("button", name="Create account").click()
    # Back at the invite, signed in now.
    expect(kai.get_by_role("heading", level=1)).to_have_text("Join your partner's space")
    check_page(kai)
    kai.get_by_role("button", name="Join").click()

    expect(kai.get_by_role("heading", level=1)).to_have_text("A question just for you")
    expect(kai.get_by_text("You can change this any time")).to_be_visible()
    check_page(kai)
    shot(kai, "consent-question")
    # The current level is the one ticked, as on the profile (talk only, to start).
    expect(kai.get_by_label("Talk and emotional closeness only")).to_be_checked()
    kai.get_by_label("Also affectionate, non-sexual touch").check()
    kai.get_by_role("button", name="Save").click()
    expect(kai.get_by_text("Only you see it")).to_be_visible()
    expect(kai.locator(".partner-line")).to_contain_text("You and Nadia")
    assert User.objects.get(email="kai@example.org").consent_level == 1

    nadia_page = phone()
    log_in_checked(nadia_page, base, "nadia@example.org")
    question = nadia_page.get_by_test_id("consent-question")
    expect(question).to_be_visible()
    shot(nadia_page, "home-consent-question")
    question.get_by_role("link", name="Answer").click()
    check_page(nadia_page)
    nadia_page.get_by_role("button", name="Not now").click()
    expect(nadia_page.get_by_test_id("consent-question")).to_have_count(0)
    assert User.objects.get(email="nadia@example.org").consent_level == 0


def test_a_used_invite_link_says_so_signed_out(live_server, phone):
    nadia, kai = make_person("nadia@example.org", "Nadia"), make_person("kai@example.org", "Kai")
    couple = make_couple(nadia)
    invite = Invite.objects.create(couple=couple, created_by=nadia)
    from tandem.couples import services

    services.accept_invite(invite, kai)
    page = phone()
    visit(page, f"{live_server.url}/join/{invite.token}/")
    expect(page.get_by_role("alert")).to_contain_text("already been used")
    expect(page.get_by_text("Nadia")).to_have_count(0)
    shot(page, "invite-landing-used")


def test_library_says_when_the_consent_level_hides_exercises(live_server, phone):
    rae, kit = make_person("rae@example.org", "Rae", consent_level=3), make_person("kit@example.org", "Kit")
    couple = make_couple(rae, kit)
    page = phone()
    log_in_checked(page, live_server.url, "kit@example.org")
    visit(page, f"{live_server.url}/couple/{couple.pk}/library/?level=3")
    expect(page.get_by_test_id("level-hides")).to_contain_text("when you have both chosen a closer level")
    shot(page, "library-level-hides")
