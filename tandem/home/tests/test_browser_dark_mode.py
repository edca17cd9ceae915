"""The dark palette (prefers-color-scheme: dark) passes axe too: contrast is checked per scheme."""

import pytest

from tandem.testkit.a11y import check_page, lived_in_couple, log_in_checked, log_in_with_code, visit

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


def show_tables(page) -> None:
    """Open every "Show as table" so axe checks the tables' colours too (it skips what is folded away)."""
    page.evaluate("document.querySelectorAll('details.show-table').forEach(d => { d.open = true; })")


def test_measures_and_the_caseload_in_the_dark_palette(live_server, phone, desktop, tmp_path):
    from tandem.accounts.models import User
    from tandem.measures.tests.helpers import fill

    base = live_server.url
    couple, _ = lived_in_couple(
        ("noa@example.org", "Noa"), ("eli@example.org", "Eli"), ("dr.iver@example.org", "Dr Iver")
    )
    therapist = User.objects.get(email="dr.iver@example.org")
    noa = User.objects.get(email="noa@example.org")
    fill(couple, noa, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 0], therapist)
    fill(couple, noa, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], therapist)
    c = f"{base}/couple/{couple.pk}"
    page = phone()
    page.emulate_media(color_scheme="dark")
    log_in_checked(page, base, "noa@example.org")
    for url, name in ((f"{c}/", "home"), (f"{c}/measures/", "measures"), (f"{c}/progress/", None)):
        visit(page, url)
        show_tables(page)
        check_page(page)
        if name:  # pictures to look at (pytest keeps tmp_path), not compared
            page.screenshot(path=tmp_path / f"dark-{name}.png", full_page=True, animations="disabled", caret="hide")
    desk = desktop()
    desk.emulate_media(color_scheme="dark")
    log_in_with_code(desk, base, "dr.iver@example.org")
    visit(desk, f"{base}/clinic/")
    desk.screenshot(path=tmp_path / "dark-caseload.png", full_page=True, animations="disabled", caret="hide")
    visit(desk, f"{base}/clinic/couples/{couple.pk}/measures/")


def test_a_new_couples_empty_pages_in_the_dark_palette(live_server, phone, tmp_path):
    from tandem.testkit.base import make_couple, make_person, make_therapist

    base = live_server.url
    couple = make_couple(make_person("ada@example.org", "Ada"), make_person("bex@example.org", "Bex"))
    make_therapist("dr.new@example.org", "Dr New")
    c = f"{base}/couple/{couple.pk}"
    page = phone()
    page.emulate_media(color_scheme="dark")
    log_in_checked(page, base, "ada@example.org")
    for url in (f"{c}/checkins/", f"{c}/homework/", f"{c}/history/", f"{c}/calendar/", f"{c}/celebrate/"):
        visit(page, url)
    page.screenshot(path=tmp_path / "dark-empty-celebrate.png", full_page=True, animations="disabled", caret="hide")
    therapist = phone()
    therapist.emulate_media(color_scheme="dark")
    log_in_with_code(therapist, base, "dr.new@example.org")
    visit(therapist, f"{base}/clinic/")
    therapist.screenshot(path=tmp_path / "dark-empty-caseload.png", full_page=True, animations="disabled", caret="hide")
