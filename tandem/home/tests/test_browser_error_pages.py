"""The error pages in a real browser at phone size: axe finds nothing, the
quick exit works, and they render with the database down."""

import os
from pathlib import Path
from unittest import mock

import pytest

from tandem.home.tests.test_error_pages import database_down
from tandem.testkit.a11y import check_page, no_horizontal_overflow
from tandem.testkit.base import make_person
from tandem.testkit.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_503_and_500_pages_on_a_phone(live_server, phone, tmp_path, settings):
    out = Path(os.environ.get("TANDEM_ERROR_SCREENSHOTS", tmp_path))
    settings.QUICK_EXIT_URL = f"{live_server.url}/static/tandem/icon.svg"  # somewhere that needs no network here
    page = phone()
    make_person("rowan@example.org", "Rowan")
    log_in(page, live_server.url, "rowan@example.org")
    page.wait_for_url(lambda url: "/account/login/" not in url)
    with database_down():
        response = page.goto(live_server.url + "/")
        assert response.status == 503
        assert response.headers["retry-after"] == "30"
        check_page(page)
        no_horizontal_overflow(page)
        page.screenshot(path=str(out / "503.png"), full_page=True, animations="disabled", caret="hide")
    assert "Tandem can't be reached just now" in page.content()

    with mock.patch("tandem.home.views.render", side_effect=RuntimeError("boom")):
        response = page.goto(live_server.url + "/")
        assert response.status == 500
        check_page(page)
        no_horizontal_overflow(page)
        page.screenshot(path=str(out / "500.png"), full_page=True, animations="disabled", caret="hide")
        page.get_by_role("link", name="Quick exit").click()
        page.wait_for_url("**/icon.svg")
