"""Attempts sent all at once get no more tries than the limit, for every throttle.

Each test fires ``PARALLEL`` requests from threads released together (each
thread has its own database connection, as web workers do), counts how many
got as far as being checked, then goes on one request at a time: exactly the
limit's worth is checked in all, and the next one is refused. A throttle that
checks first and records afterwards lets the burst through (8 checked log-ins
of 5 were seen), so the first assertion fails.

PostgreSQL only: SQLite runs one writer at a time, so it cannot show a race.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.conf import settings
from django.db import connection, connections
from django.test import Client, TransactionTestCase
from django.urls import reverse

from tandem.security.tests.helpers import code_for
from tandem.testkit.base import PASSWORD, give_two_factor, make_person

PARALLEL = 30
REFUSED = "Too many tries"

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="racing requests are tested on PostgreSQL (CI runs it)"
)


class RacingAttemptsTests(TransactionTestCase):
    def hold(self, limit: int, make_client: Callable[[], Client], attempt: Callable[[Client], bool]) -> None:
        """``attempt`` sends one request and says whether it was checked (True) or refused (False)."""
        clients = [make_client() for _ in range(PARALLEL)]
        barrier = threading.Barrier(PARALLEL)
        outcomes: list[bool] = []
        errors: list[BaseException] = []

        def run(client: Client) -> None:
            try:
                barrier.wait(timeout=30)
                outcomes.append(attempt(client))
            except BaseException as error:  # reported below, in the test's thread
                errors.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=run, args=(client,)) for client in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        self.assertEqual(errors, [])
        self.assertEqual(len(outcomes), PARALLEL)
        checked = sum(outcomes)
        self.assertLessEqual(checked, limit, f"{checked} of {PARALLEL} parallel attempts were checked")
        # Refused attempts left nothing behind: one at a time, the rest of the limit goes on, then no more.
        client = make_client()
        after = [attempt(client) for _ in range(limit - checked + 1)]
        self.assertEqual(after, [True] * (limit - checked) + [False])

    def test_log_in(self):
        make_person("racer@example.org", "Racer")

        def attempt(client):
            page = client.post(reverse("accounts:login"), {"username": "racer@example.org", "password": "wrong!"})
            return REFUSED not in page.content.decode()

        self.hold(settings.THROTTLES["login"]["account"], Client, attempt)

    def test_password_reset(self):
        make_person("racer@example.org", "Racer")

        def attempt(client):
            return client.post(reverse("accounts:reset"), {"email": "racer@example.org"}).status_code == 302

        self.hold(settings.THROTTLES["reset"]["account"], Client, attempt)

    def test_sign_up_with_a_taken_address(self):
        make_person("racer@example.org", "Racer")
        form = {"email": "racer@example.org", "display_name": "R", "password": "x", "time_zone": "UTC"}

        def attempt(client):
            page = client.post(reverse("accounts:signup"), form).content.decode()
            return REFUSED not in page

        self.hold(settings.THROTTLES["signup"]["address"], Client, attempt)

    def test_invite_codes(self):
        racer = make_person("racer@example.org", "Racer")

        def attempt(client):
            page = client.post(reverse("couples:join_code"), {"code": "ABCDE-FGHJK"}).content.decode()
            return REFUSED not in page

        self.hold(settings.THROTTLES["invite"]["account"], lambda: self.signed_in(racer), attempt)

    def test_therapist_codes(self):
        racer = make_person("racer@example.org", "Racer")

        def attempt(client):
            page = client.post(reverse("clinic:link_code"), {"code": "ABCDE-FGHJK"}).content.decode()
            return REFUSED not in page

        self.hold(settings.THROTTLES["invite"]["account"], lambda: self.signed_in(racer), attempt)

    def test_confirm_its_you_password(self):
        racer = make_person("racer@example.org", "Racer")

        def attempt(client):
            page = client.post(reverse("security:confirm"), {"password": "wrong!"}).content.decode()
            return REFUSED not in page

        self.hold(settings.THROTTLES["login"]["account"], lambda: self.signed_in(racer), attempt)

    def test_confirm_its_you_two_factor_code(self):
        racer = make_person("racer@example.org", "Racer")
        give_two_factor(racer)

        def attempt(client):
            page = client.post(reverse("security:confirm"), {"password": PASSWORD, "code": "000000"}).content.decode()
            return REFUSED not in page

        self.hold(settings.THROTTLES["twofactor"]["account"], lambda: self.signed_in(racer), attempt)

    def test_two_factor_at_log_in(self):
        racer = make_person("racer@example.org", "Racer")
        give_two_factor(racer)

        def half_logged_in() -> Client:
            client = Client()
            client.post(reverse("accounts:login"), {"username": "racer@example.org", "password": PASSWORD})
            return client

        def attempt(client):
            page = client.post(reverse("security:login_code"), {"code": "000000"}).content.decode()
            return REFUSED not in page

        self.hold(settings.THROTTLES["twofactor"]["account"], half_logged_in, attempt)
        # The right code is refused too while the limit holds.
        client = half_logged_in()
        self.assertContains(client.post(reverse("security:login_code"), {"code": code_for(racer)}), REFUSED)

    def test_two_factor_set_up(self):
        racer = make_person("racer@example.org", "Racer")

        def setting_up() -> Client:
            client = self.signed_in(racer)
            client.get(reverse("security:two_factor"))  # the secret to scan is made here
            return client

        def attempt(client):
            page = client.post(reverse("security:two_factor"), {"code": "000000"}).content.decode()
            return REFUSED not in page

        self.hold(settings.THROTTLES["twofactor"]["account"], setting_up, attempt)

    def test_email_change(self):
        racer = make_person("racer@example.org", "Racer")

        def attempt(client):
            return client.post(reverse("accounts:email_change"), {"email": "new@example.org"}).status_code == 302

        self.hold(settings.THROTTLES["emailchange"]["account"], lambda: self.signed_in(racer), attempt)

    def signed_in(self, user) -> Client:
        client = Client()
        client.force_login(user)
        return client
