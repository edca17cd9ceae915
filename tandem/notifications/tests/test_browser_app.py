"""In Chromium: the worker registers, keeps no signed-in page, shows the offline page; the device section."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import override_settings
from playwright.sync_api import expect

from tandem.notifications.tests.helpers import vapid_keys
from tandem.testkit.base import make_couple, make_person
from tandem.testkit.browser import assert_accessible, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CACHED = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) found.push(new URL(request.url).pathname);
  }
  return found;
}"""


def test_the_worker_registers_and_never_keeps_a_signed_in_page(live_server, phone):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae")
    make_couple(rae, make_person("kit@example.org", "Kit"))
    page = phone()
    log_in(page, base, rae.email)
    page.goto(f"{base}/")
    scope = page.evaluate("async () => (await navigator.serviceWorker.ready).scope")
    assert scope == f"{base}/"
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    # With the worker in control: signed-in pages, their static files, a page again.
    for path in ("/", "/account/profile/", "/account/notifications/", "/"):
        page.goto(f"{base}{path}")
        expect(page.locator("h1").first).to_be_visible()
    cached = page.evaluate(CACHED)
    assert "/offline/" in cached
    assert any(path.endswith(".css") for path in cached), cached  # static files are kept
    assert all(path == "/offline/" or path.startswith("/static/") for path in cached), cached

    # Offline: the neutral page, not a kept copy of the profile.
    page.context.set_offline(True)
    page.goto(f"{base}/account/profile/")
    expect(page.get_by_role("heading", name="You're offline")).to_be_visible()
    assert "Rae" not in page.content()
    assert "rae@example.org" not in page.content()
    page.context.set_offline(False)


@override_settings(**vapid_keys())
def test_the_notifications_page_on_a_phone(live_server, phone, tmp_path):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae")
    page = phone()
    log_in(page, base, rae.email)
    page.goto(f"{base}/account/profile/")
    page.get_by_role("link", name="Notifications").click()
    expect(page.get_by_role("heading", name="Notifications", exact=True)).to_be_visible()
    # Chromium can subscribe: the tap-first button shows, the "can't" note does not.
    expect(page.get_by_role("button", name="Turn on notifications on this device")).to_be_visible()
    expect(page.get_by_text("This browser can't show Tandem's notifications")).to_be_hidden()
    assert_accessible(page)
    shots = Path(os.environ.get("TANDEM_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(shots / "notifications-390.png"), full_page=True)
    page.get_by_label("As a notification on the devices where I turned it on").check()
    # One switch per type of waiting item, all on; the detail opt-in off.
    block = page.get_by_label("A time together is proposed to me", exact=True)
    expect(block).to_be_checked()
    assert block.bounding_box()["width"] >= 24  # WCAG 2.2 target size
    block.uncheck()
    detail = page.get_by_label("Say what kind of thing is waiting")
    expect(detail).not_to_be_checked()
    detail.check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()
    expect(page.get_by_label("A time together is proposed to me", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Say what kind of thing is waiting")).to_be_checked()
    from tandem.notifications.models import NotificationSettings

    choice = NotificationSettings.objects.get(user=rae)
    assert (choice.kinds_off, choice.detailed_wording, choice.channel) == (["block"], True, "push")


def test_block_reminders_offer_a_notification_on_a_phone(live_server, phone, tmp_path):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae")
    couple = make_couple(rae, make_person("kit@example.org", "Kit"))
    page = phone()
    log_in(page, base, rae.email)
    page.goto(f"{base}/couple/{couple.pk}/calendar/reminders/")
    choice = page.get_by_label("A notification on my devices")
    expect(choice).to_be_visible()
    assert_accessible(page)
    shots = Path(os.environ.get("TANDEM_SCREENSHOTS", tmp_path))
    page.screenshot(path=str(shots / "reminders-390.png"), full_page=True)
    choice.check()
    page.get_by_role("button", name="Save").click()
    from tandem.blocks.models import CalendarSettings

    expect(page.get_by_label("A notification on my devices")).to_be_checked()
    assert CalendarSettings.objects.get(user=rae).channel == "push"
