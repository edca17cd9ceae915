"""The dark palette (prefers-color-scheme: dark) passes axe too: contrast is checked per scheme."""

import pytest

from tandem.testkit.a11y import lived_in_couple, log_in_checked, log_in_with_code, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def dark(browser):
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def test_main_pages_in_the_dark_palette(live_server, dark):
    base = live_server.url
    couple, assignment = lived_in_couple(
        ("noa@example.org", "Noa"), ("eli@example.org", "Eli"), ("dr.iver@example.org", "Dr Iver")
    )
    c = f"{base}/couple/{couple.pk}"
    page = dark()
    visit(page, f"{base}/")
    log_in_checked(page, base, "noa@example.org")
    for url in (
        f"{c}/",
        f"{c}/checkin/",
        f"{c}/checkins/",
        f"{c}/progress/",
        f"{c}/homework/",
        f"{c}/homework/{assignment.pk}/",
        f"{c}/boundaries/affection/",
        f"{c}/calendar/",
        f"{base}/account/profile/",
    ):
        visit(page, url)
    therapist = dark()
    log_in_with_code(therapist, base, "dr.iver@example.org")
    visit(therapist, f"{base}/clinic/couples/{couple.pk}/")
