"""Planning a block together, then subscribing to it from a calendar app.

One partner proposes, the other says yes, and the first makes a private
feed URL in the page; a calendar app (here urllib, without any cookie)
reads it as valid iCalendar with the block under its neutral title.
"""

import datetime as dt
import os
import re
import urllib.request
import zoneinfo

import icalendar
import pytest
from playwright.sync_api import expect

from tandem.blocks.models import DAY_NAMES
from tandem.testkit.a11y import check_page, log_in_checked, no_horizontal_overflow, visit
from tandem.testkit.base import make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_plan_a_block_accept_it_and_subscribe(live_server, screen):
    base = live_server.url
    rae = make_person("rae@example.org", "Rae", time_zone="Europe/Amsterdam")
    kit = make_person("kit@example.org", "Kit", time_zone="Europe/Amsterdam")
    couple = make_couple(rae, kit)
    rae_page, kit_page = screen(), screen()
    log_in_checked(rae_page, base, "rae@example.org")
    log_in_checked(kit_page, base, "kit@example.org")
    day = rae.today() + dt.timedelta(days=3)

    # Rae plans a weekly conversation, three times, from the calendar; a first slip is explained.
    rae_page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    check_page(rae_page)
    rae_page.get_by_role("link", name="Plan a block").click()
    check_page(rae_page)
    rae_page.get_by_label("What for").select_option("conversation")
    rae_page.get_by_label(re.compile(r"^Date:?$")).fill(day.isoformat())
    rae_page.get_by_label("From").fill("20:30")
    rae_page.get_by_label("Until").fill("19:30")
    # Only what most blocks need is open; the zone is Rae's own and repeating is one tap away.
    expect(rae_page.get_by_test_id("zone")).to_contain_text("Time zone: Europe/Amsterdam")
    expect(rae_page.get_by_label("Every week or every few weeks")).to_be_hidden()
    if os.environ.get("TANDEM_SCREENSHOTS_DIR"):
        rae_page.screenshot(path=os.path.join(os.environ["TANDEM_SCREENSHOTS_DIR"], "plan-closed.png"), full_page=True)
    rae_page.get_by_test_id("repeat").locator("summary").click()
    rae_page.get_by_label("Every week or every few weeks").check()
    rae_page.get_by_label(str(DAY_NAMES[day.weekday()]), exact=True).check()
    rae_page.get_by_label("After a number of times").check()
    rae_page.get_by_label(re.compile(r"^Number of times")).fill("3")
    rae_page.get_by_role("button", name="Propose").click()
    expect(rae_page.get_by_text("The end is not after the start.")).to_be_visible()
    # Refused, it opens on what was chosen: the repeat stays open with its choices.
    expect(rae_page.get_by_label(re.compile(r"^Number of times"))).to_have_value("3")
    check_page(rae_page)  # the form with its error
    if os.environ.get("TANDEM_SCREENSHOTS_DIR"):
        rae_page.screenshot(path=os.path.join(os.environ["TANDEM_SCREENSHOTS_DIR"], "plan-refused.png"), full_page=True)
    rae_page.get_by_label("From").fill("19:30")
    rae_page.get_by_label("Until").fill("20:30")
    rae_page.get_by_role("button", name="Propose").click()
    expect(rae_page.get_by_text("Proposed. It is planned once your partner says yes.")).to_be_visible()
    expect(rae_page.get_by_test_id("proposal")).to_contain_text("Waiting for your partner")
    expect(rae_page.get_by_test_id("proposal")).to_contain_text("repeats weekly")
    check_page(rae_page)

    # Kit says yes, then skips the second time (no reason asked).
    visit(kit_page, f"{base}/couple/{couple.pk}/calendar/")
    expect(kit_page.get_by_test_id("proposal")).to_contain_text("Conversation")
    kit_page.get_by_role("button", name="Yes, plan it").click()
    # It opens on the block's own page.
    expect(kit_page.get_by_text("Planned. It's in both your calendars now.")).to_be_visible()
    expect(kit_page.get_by_test_id("occurrence")).to_have_count(3)
    check_page(kit_page)
    kit_page.get_by_test_id("occurrence").nth(1).get_by_role("button", name="Skip this time").click()
    expect(kit_page.get_by_text("Skipped this time. The rest stays planned.")).to_be_visible()
    expect(kit_page.get_by_test_id("occurrence").nth(1)).to_contain_text("skipped this time")
    check_page(kit_page)

    # Rae sees it planned, with the skipped time.
    rae_page.reload()
    expect(rae_page.get_by_test_id("proposal")).to_have_count(0)
    check_page(rae_page)
    rae_page.get_by_role("link", name="Conversation").first.click()
    expect(rae_page.get_by_text("Planned.")).to_be_visible()
    expect(rae_page.get_by_test_id("occurrence").nth(1)).to_contain_text("skipped this time")
    check_page(rae_page)
    # The one-off file for this block says as little as the feed.
    ics_path = rae_page.get_by_role("link", name="Download for my calendar (.ics)").get_attribute("href")
    ics = rae_page.request.get(base + ics_path)
    assert ics.ok and ics.headers["content-type"].startswith("text/calendar")
    one_off = icalendar.Calendar.from_ical(ics.body())
    assert [str(e["summary"]) for e in one_off.walk("VEVENT")] == ["Time together"]
    for url in (f"{base}/couple/{couple.pk}/calendar/reminders/", f"{base}/couple/{couple.pk}/calendar/find/"):
        visit(rae_page, url)

    # Rae makes a calendar link; it is shown once.
    visit(rae_page, f"{base}/couple/{couple.pk}/calendar/")
    rae_page.get_by_role("link", name="Subscribe in my calendar app").click()
    check_page(rae_page)
    rae_page.get_by_role("button", name="Make my link").click()
    feed_url = rae_page.get_by_label("Calendar link").input_value()
    assert feed_url.startswith(f"{base}/calendar/feed/") and feed_url.endswith(".ics")
    webcal = rae_page.get_by_role("link", name="Or open it in this device's calendar app").get_attribute("href")
    assert webcal == "webcal://" + feed_url.split("://", 1)[1]
    check_page(rae_page)

    # A calendar app fetches it, signed in as nobody.
    with urllib.request.urlopen(feed_url) as response:  # noqa: S310 - the live test server
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/calendar")
        body = response.read()
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar.name == "VCALENDAR" and str(calendar["version"]) == "2.0"
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "Time together"
    start = event.decoded("dtstart")
    amsterdam = zoneinfo.ZoneInfo("Europe/Amsterdam")
    assert start == dt.datetime.combine(day, dt.time(19, 30), tzinfo=amsterdam)
    assert event.decoded("duration") == dt.timedelta(hours=1) and "dtend" not in event
    assert event["rrule"]["FREQ"] == ["WEEKLY"] and event["rrule"]["COUNT"] == [3]
    skipped = dt.datetime.combine(day + dt.timedelta(weeks=1), dt.time(19, 30), tzinfo=amsterdam)
    assert [d.dt for d in event["exdate"].dts] == [skipped]
    # Neutral: neither names nor the kind of block.
    assert b"Rae" not in body and b"Kit" not in body and b"Conversation" not in body

    # Kit's page still shows no link of Kit's own: the link is Rae's.
    visit(kit_page, f"{base}/couple/{couple.pk}/calendar/feed/")
    expect(kit_page.get_by_text("You have no calendar link right now.")).to_be_visible()


def test_a_block_on_a_fall_back_night_reads_right(live_server, screen):
    """02:30-03:00 on the night Berlin's clocks go back is half an hour that ends
    at the second 02:00: the agenda names both zones and says so, readably at
    390 px. The clock is set to the week before that night."""
    from unittest import mock

    from tandem.testkit.base import make_block

    base = live_server.url
    rae = make_person("rae@example.org", "Rae", time_zone="Europe/Berlin")
    kit = make_person("kit@example.org", "Kit", time_zone="Europe/Berlin")
    couple = make_couple(rae, kit)
    make_block(couple, rae, start_date=dt.date(2027, 10, 31), start_time=dt.time(2, 30), duration_minutes=30)
    week_before = dt.datetime(2027, 10, 27, 12, 0, tzinfo=dt.UTC)
    with mock.patch("django.utils.timezone.now", return_value=week_before):
        page = screen()
        log_in_checked(page, base, "rae@example.org")
        visit(page, f"{base}/couple/{couple.pk}/calendar/")
        item = page.get_by_role("link", name=re.compile(r"^02:30 CEST"))
        expect(item).to_have_text("02:30 CEST\u201302:00 CET (the clocks go back during this time) \u00b7 Conversation")
        no_horizontal_overflow(page)
        if shot := os.environ.get("TANDEM_SCREENSHOT_DIR"):
            page.screenshot(path=f"{shot}/fall-back-{page.viewport_size['width']}.png", full_page=True)
