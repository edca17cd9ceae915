"""Tandem's own error pages: a 503 while the database is down, a 500 for anything
else; neutral, with the quick exit, never cached, never a stack trace."""

from unittest import mock

from django.db import InterfaceError, OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from tandem.core import errors
from tandem.home.tests import test_pages
from tandem.testkit.base import TandemTestCase


def database_down(error=OperationalError):
    """Every new query fails as with the database server gone."""
    return mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=error('connection to server at "db" failed: Connection refused')
    )


class ErrorPageTests(TandemTestCase):
    def setUp(self):
        # Let the client hand back the error page instead of raising the exception in the test.
        self.client = Client(raise_request_exception=False)

    def assert_neutral_page(self, response, status):
        self.assertEqual(response.status_code, status)
        self.assertIn("no-store", response["Cache-Control"])
        for header in ("Content-Security-Policy", "Permissions-Policy", "X-Content-Type-Options"):
            self.assertIn(header, response.headers)
        page = response.content.decode()
        for leak in ("Traceback", "OperationalError", "InterfaceError", "Connection refused", "a private detail"):
            self.assertNotIn(leak, page)
        self.assertIn("data-quick-exit", page)
        audit = test_pages.PageAudit()
        audit.feed(page)
        self.assertEqual(audit.external, [], "loads from another host")
        self.assertEqual((audit.inline_scripts, audit.inline_styles), (0, 0), "inline code would be blocked by the CSP")
        self.assertEqual(audit.title.strip(), "Tandem")
        self.assertEqual(audit.h1, 1)
        self.assertEqual(audit.inputs, [])
        return page

    def test_a_signed_in_page_with_the_database_down_is_a_503_with_a_retry_hint(self):
        self.login(self.alice)
        for error in (OperationalError, InterfaceError):
            with self.subTest(error=error.__name__), database_down(error):
                response = self.client.get(reverse("home:home"))
            page = self.assert_neutral_page(response, 503)
            self.assertEqual(response["Retry-After"], str(errors.RETRY_AFTER_SECONDS))
            self.assertIn("Tandem can't be reached just now", page)
            self.assertIn("try again", page.lower())
            self.assertNotIn("Alice", page)

    def test_anonymous_posts_get_it_too_and_pages_that_need_no_database_still_work(self):
        with database_down():
            page = self.client.get(reverse("accounts:login"))
            post = self.client.post(reverse("accounts:login"), {"username": "alice@example.org", "password": "x"})
        self.assertEqual(page.status_code, 200)
        self.assert_neutral_page(post, 503)

    def test_tandem_recovers_by_itself_when_the_database_is_back(self):
        self.login(self.alice)
        with database_down():
            self.assertEqual(self.client.get(reverse("home:home")).status_code, 503)
        self.assertEqual(self.client.get(reverse("home:home")).status_code, 200)

    def test_any_other_failure_is_the_500_page(self):
        self.login(self.alice)
        with mock.patch("tandem.home.views.render", side_effect=RuntimeError("a private detail")):
            response = self.client.get(reverse("home:home"))
        page = self.assert_neutral_page(response, 500)
        self.assertIn("Something went wrong", page)
        self.assertNotIn("Retry-After", response.headers)

    def test_rendering_needs_no_database_session_or_person(self):
        def untouchable():
            raise AssertionError("the error page read the session or the signed-in person")

        request = RequestFactory().get("/somewhere/?x=1")
        request.user = SimpleLazyObject(untouchable)
        request.session = SimpleLazyObject(untouchable)
        with database_down(), self.assertNumQueries(0):
            try:
                raise OperationalError("gone")
            except OperationalError:
                unavailable = errors.server_error(request)
            failed = errors.server_error(request)
        self.assertEqual((unavailable.status_code, failed.status_code), (503, 500))
        self.assertContains(unavailable, 'href="/somewhere/?x=1"', status_code=503)
