"""The dark palette (prefers-color-scheme: dark) passes axe too: contrast is checked per scheme."""

import pytest

from tandem.checkins.models import CheckIn
from tandem.homework import services
from tandem.testkit.a11y import log_in_checked, log_in_with_code, visit
from tandem.testkit.base import link_therapist, make_assignment, make_block, make_couple, make_person, make_therapist

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
    noa = make_person("noa@example.org", "Noa", consent_level=2)
    eli = make_person("eli@example.org", "Eli", consent_level=2)
    couple = make_couple(noa, eli)
    link_therapist(couple, make_therapist("dr.iver@example.org", "Dr Iver"))
    assignment = make_assignment(couple, "mirror-of-desire", by=noa)
    services.opt_in(assignment, eli)
    make_block(couple, noa)
    for who in (noa, eli):
        CheckIn.objects.create(
            couple=couple, author=who, local_date=who.today(), mood=4, energy=3, stress=2, closeness=4,
            capacity=["talk"], visibility="shared",
        )  # fmt: skip
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
