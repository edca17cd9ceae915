"""Pause everything, from any page, and lift it again: in real browsers, every page checked with axe."""

import pytest
from playwright.sync_api import expect

from tandem.homework import services
from tandem.testkit.a11y import check_page, log_in_checked, visit
from tandem.testkit.base import make_assignment, make_couple, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_pause_everything_then_lift_it(live_server, screen):
    base = live_server.url
    june = make_person("june@example.org", "June")
    ash = make_person("ash@example.org", "Ash")
    couple = make_couple(june, ash)
    touch = make_assignment(couple, "sensate-focus-1", by=june)
    services.opt_in(touch, ash)
    june_page, ash_page = screen(), screen()
    log_in_checked(june_page, base, "june@example.org")
    log_in_checked(ash_page, base, "ash@example.org")

    # June pauses from the homework page itself and comes back to it.
    homework_url = f"{base}/couple/{couple.pk}/homework/{touch.pk}/"
    visit(june_page, homework_url)
    june_page.get_by_role("button", name="Pause everything").click()
    expect(june_page.get_by_text("All intimacy homework is paused")).to_be_visible()
    expect(june_page.get_by_role("button", name="Lift my pause")).to_be_visible()
    assert june_page.url == homework_url
    check_page(june_page)

    # Ash sees that it is paused, never by whom.
    visit(ash_page, f"{base}/")
    expect(ash_page.get_by_text("Intimacy homework is paused for now.")).to_be_visible()
    expect(ash_page.get_by_role("button", name="Lift my pause")).to_have_count(0)
    assert "June paused" not in ash_page.content()
    visit(ash_page, homework_url)
    expect(ash_page.get_by_text("Intimacy homework is paused for now.")).to_be_visible()

    # Only June lifts it; then it is gone for both.
    visit(june_page, f"{base}/account/profile/")
    june_page.get_by_role("button", name="Lift my pause").click()
    expect(june_page.get_by_text("Your pause is lifted.")).to_be_visible()
    expect(june_page.get_by_role("button", name="Pause everything")).to_be_visible()
    check_page(june_page)
    ash_page.reload()
    expect(ash_page.get_by_text("Intimacy homework is paused for now.")).to_have_count(0)
    check_page(ash_page)
