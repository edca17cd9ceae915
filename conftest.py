"""Shared pytest fixtures: a real browser for the journeys.

Browser tests drive Debian's chromium through Playwright; no test tool ever
downloads a browser. Without chromium they skip, saying why; CI installs it,
so there they always run.
"""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags for a closed network: no background calls home, no first-run UI.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        message = f"No chromium at {CHROMIUM}: install Debian's chromium package to run the browser journeys."
        if os.environ.get("TANDEM_REQUIRE_BROWSER"):
            pytest.fail(message)  # CI installs it: a skip there would hide a broken set-up
        pytest.skip(message)
    # The live server runs in a thread while Playwright's sync API keeps an
    # event loop in this one; Django's ORM calls here are still synchronous.
    from playwright.sync_api import expect, sync_playwright

    # Journeys run two at a time on a two-core machine (make test): give an
    # expectation 10 s instead of 5 before it fails, so a busy moment is not a failure.
    expect.set_options(timeout=10_000)

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


@pytest.fixture
def phone(browser):
    """A fresh phone-sized browser context (its own cookies)."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def desktop(browser):
    """A fresh desktop-sized browser context (its own cookies)."""
    contexts = []

    def make():
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(params=["phone", "desktop"])
def screen(request):
    """Each journey runs twice: on a phone (390 x 844) and on a desktop."""
    return request.getfixturevalue(request.param)


@pytest.fixture(autouse=True)
def quiet_polling(request):
    """Browser journeys poll only where they test polling (turns/tests/test_browser_live.py).

    Every signed-in page asks for its waiting count now and then, and an
    exercise page for its turn. The test live server shares one SQLite
    connection between its threads, so a poll landing during another page's
    post could meet it there ("database table is locked"): a limit of the test
    set-up, not of Tandem. Elsewhere the polls are put an hour apart."""
    if request.node.get_closest_marker("browser") is None:
        yield
        return
    settings = request.getfixturevalue("settings")
    settings.LIVE_POLL_SECONDS = 3600
    settings.LIVE_TURN_POLL_SECONDS = 3600
    yield
