"""Downloading one's data, then deleting the account, in a real browser.

Both ask "confirm it's you" first when the last password entry is not
recent; the partner, in their own browser, then finds the space closed.
"""

import datetime as dt
import json
import time
from importlib import import_module

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tandem.accounts.models import User
from tandem.checkins.models import CheckIn
from tandem.security.reauth import LAST_AUTH
from tandem.testkit.a11y import check_page, log_in_checked, visit
from tandem.testkit.base import PASSWORD, make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def let_time_pass(page) -> None:
    """As if the password was typed an hour ago: the next sensitive step asks again."""
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key=cookie["value"])
    session[LAST_AUTH] = time.time() - 3600
    session.save()


def confirm_it_is_me(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm it's you")
    check_page(page)
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Continue").click()


def test_export_then_delete_and_the_partner_sees_the_space_closed(live_server, screen, tmp_path):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae")
    kit = make_person("kit@example.org", "Kit")
    couple = make_couple(rae, kit)
    CheckIn.objects.create(
        couple=couple,
        author=rae,
        local_date=rae.today(),
        mood=4,
        energy=3,
        stress=2,
        closeness=4,
        note="Long walk by the river",
        visibility="shared",
    )
    for days_ago, note, visibility in ((1, "Coffee at dawn together", "shared"), (2, "Kept to myself", "private")):
        CheckIn.objects.create(
            couple=couple,
            author=kit,
            local_date=kit.today() - dt.timedelta(days=days_ago),
            mood=3,
            energy=3,
            stress=3,
            closeness=3,
            note=note,
            visibility=visibility,
        )
    rae_page, kit_page = screen(), screen()
    log_in_checked(rae_page, base, "rae@example.org")
    log_in_checked(kit_page, base, "kit@example.org")

    # Export: from the profile, through "confirm it's you", to the download.
    let_time_pass(rae_page)
    rae_page.get_by_role("navigation", name="Main").get_by_role("link", name="Profile").click()
    check_page(rae_page)
    rae_page.get_by_role("link", name="Download your data").click()
    confirm_it_is_me(rae_page)
    expect(rae_page.get_by_role("heading", level=1)).to_have_text("Download your data")
    check_page(rae_page)
    with rae_page.expect_download() as download_info:
        rae_page.get_by_role("button", name="Download everything (JSON)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("tandem-export-") and download.suggested_filename.endswith(".json")
    path = tmp_path / "export.json"
    download.save_as(path)
    exported = path.read_text(encoding="utf-8")
    json.loads(exported)  # valid JSON
    assert "rae@example.org" in exported
    assert "Long walk by the river" in exported
    assert "Coffee at dawn together" in exported  # what Kit shared with Rae
    assert "Kept to myself" not in exported  # never what Kit kept private

    # Delete: asked again who it is, then the address typed as confirmation.
    let_time_pass(rae_page)
    visit(rae_page, f"{base}/account/profile/")
    rae_page.get_by_role("link", name="Delete your account").click()
    confirm_it_is_me(rae_page)
    expect(rae_page.get_by_role("heading", level=1)).to_have_text("Delete your account?")
    check_page(rae_page)
    rae_page.get_by_label("Type your e-mail address to confirm").fill("kit@example.org")
    rae_page.get_by_role("button", name="Delete my account").click()
    expect(rae_page.get_by_text("That isn't the e-mail address you log in with. Nothing was deleted.")).to_be_visible()
    check_page(rae_page)  # the page with its error
    assert User.objects.filter(email="rae@example.org").exists()
    rae_page.get_by_label("Type your e-mail address to confirm").fill("rae@example.org")
    rae_page.get_by_role("button", name="Delete my account").click()
    expect(rae_page.get_by_text("Your account and what you wrote are deleted. Take care.")).to_be_visible()
    check_page(rae_page)
    assert not User.objects.filter(email="rae@example.org").exists()

    # Kit, still signed in, finds the space closed and read-only.
    visit(kit_page, f"{base}/")
    expect(kit_page.get_by_role("button", name="Start our couple space")).to_be_visible()
    kit_page.get_by_role("link", name="Closed on").click()
    expect(kit_page.get_by_text("It is read-only.")).to_be_visible()
    check_page(kit_page)
    assert "Long walk by the river" not in kit_page.content()  # Rae's words went with Rae
