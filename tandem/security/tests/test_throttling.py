"""Throttles: exact thresholds per account and per address, the window, and
refusals that never say whether an e-mail address has an account."""

from __future__ import annotations

import datetime as dt
import re
import threading
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, connections
from django.test import RequestFactory, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from tandem.clinic.models import CareInvite
from tandem.couples.models import Invite
from tandem.security import throttle
from tandem.security.models import Attempt, TwoFactor
from tandem.security.tests.helpers import code_for
from tandem.testkit.base import PASSWORD, TandemTestCase, give_two_factor, make_person

REFUSED = "Too many tries"
WRONG = "don&#x27;t match an account"


def scrub(page: str, email: str) -> str:
    """A page without its per-response CSRF tokens and without the address typed."""
    page = re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', r"\1<csrf>", page)
    return page.replace(email, "<email>")


def later(minutes: float):
    """Move the throttle's clock on."""
    return mock.patch("tandem.security.throttle._now", return_value=timezone.now() + dt.timedelta(minutes=minutes))


class LogInThrottleTests(TandemTestCase):
    def log_in(self, email="alice@example.org", password="wrong password", address="203.0.113.7"):  # noqa: S107
        return self.client.post(
            reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=address
        )

    def test_five_failures_per_account_then_refused_even_with_the_right_password(self):
        for n in range(5):
            with self.subTest(attempt=n + 1):
                self.assertContains(self.log_in(address=f"203.0.113.{n}"), WRONG)
        refused = self.log_in(password=PASSWORD, address="198.51.100.1")  # a new address: it is the account
        self.assertContains(refused, REFUSED)
        self.assertContains(refused, "15 minutes")
        self.assertNotIn("_auth_user_id", self.client.session)
        # Another account from the same addresses is not affected.
        self.assertRedirects(self.log_in("bo@example.org", PASSWORD, address="203.0.113.1"), reverse("home:home"))

    def test_the_window_passes(self):
        for _ in range(5):
            self.log_in()
        self.assertContains(self.log_in(password=PASSWORD), REFUSED)
        with later(14):
            self.assertContains(self.log_in(password=PASSWORD), REFUSED)
        with later(15.1):
            self.assertRedirects(self.log_in(password=PASSWORD), reverse("home:home"))

    def test_an_unknown_address_is_counted_and_refused_the_same_way(self):
        known, unknown = [], []
        for _ in range(6):
            known.append(self.log_in("alice@example.org", address="203.0.113.1").content.decode())
            unknown.append(self.log_in("ghost@example.org", address="203.0.113.2").content.decode())
        for n in range(6):
            self.assertEqual(scrub(known[n], "alice@example.org"), scrub(unknown[n], "ghost@example.org"))
        self.assertIn(REFUSED, unknown[5])
        self.assertNotIn(REFUSED, unknown[4])

    def test_twenty_failures_per_address_across_accounts(self):
        for n in range(20):
            self.assertContains(self.log_in(f"person{n}@example.org"), WRONG)
        self.assertContains(self.log_in("bo@example.org", PASSWORD), REFUSED)
        self.assertRedirects(self.log_in("bo@example.org", PASSWORD, address="198.51.100.9"), reverse("home:home"))

    def test_no_address_or_email_is_stored_in_the_clear(self):
        self.log_in()
        keys = list(Attempt.objects.values_list("key", flat=True))
        self.assertEqual(len(keys), 2)
        for key in keys:
            self.assertNotIn("alice", key)
            self.assertNotIn("203.0.113", key)
            self.assertEqual(len(key), 64)

    def test_thresholds_come_from_settings(self):
        custom = {**settings.THROTTLES, "login": {"account": 2, "address": 50, "minutes": 5}}
        with self.settings(THROTTLES=custom):
            self.log_in()
            self.log_in()
            self.assertContains(self.log_in(password=PASSWORD), "5 minutes")


class AddressTests(TandemTestCase):
    def request(self, **meta):
        from django.test import RequestFactory

        return RequestFactory().get("/", **meta)

    @override_settings(BEHIND_PROXY=False)
    def test_remote_addr_without_a_proxy(self):
        request = self.request(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="1.2.3.4")
        self.assertEqual(throttle.client_address(request), "203.0.113.5")

    @override_settings(BEHIND_PROXY=True)
    def test_the_entry_our_proxy_added_behind_a_proxy(self):
        # The client can send any X-Forwarded-For; the proxy appends the real address last.
        request = self.request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5")
        self.assertEqual(throttle.client_address(request), "203.0.113.5")
        self.assertEqual(throttle.client_address(self.request(REMOTE_ADDR="10.0.0.2")), "10.0.0.2")

    @override_settings(BEHIND_PROXY=True, PROXY_HOPS=2)
    def test_two_proxies_the_entry_the_first_one_added(self):
        # Client -> CDN -> nginx: the CDN appended the client, nginx the CDN.
        request = self.request(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.5, 192.0.2.9")
        self.assertEqual(throttle.client_address(request), "203.0.113.5")
        self.assertEqual(throttle.client_address(self.request(REMOTE_ADDR="10.0.0.2")), "10.0.0.2")


class ResetThrottleTests(TandemTestCase):
    def reset(self, email="alice@example.org", address="203.0.113.7"):
        with self.mail_from_worker():  # the link leaves from the worker
            return self.client.post(reverse("accounts:reset"), {"email": email}, REMOTE_ADDR=address)

    def test_three_requests_per_address_typed_per_hour(self):
        for n in range(3):
            self.assertRedirects(self.reset(address=f"203.0.113.{n}"), reverse("accounts:reset_sent"))
        self.assertEqual(len(mail.outbox), 3)
        refused = self.reset(address="198.51.100.1")
        self.assertContains(refused, REFUSED)
        self.assertContains(refused, "60 minutes")
        self.assertEqual(len(mail.outbox), 3)
        with later(61):
            self.assertRedirects(self.reset(), reverse("accounts:reset_sent"))
        self.assertEqual(len(mail.outbox), 4)

    def test_unknown_addresses_look_the_same_refused_or_not(self):
        for _ in range(3):
            self.assertRedirects(self.reset("ghost@example.org"), reverse("accounts:reset_sent"))
        for _ in range(3):
            self.reset("alice@example.org", address="198.51.100.2")
        known = self.reset("alice@example.org", address="198.51.100.3").content.decode()
        unknown = self.reset("ghost@example.org", address="198.51.100.3").content.decode()
        self.assertIn(REFUSED, unknown)
        self.assertEqual(scrub(known, "alice@example.org"), scrub(unknown, "ghost@example.org"))

    def test_ten_requests_per_client_address(self):
        for n in range(10):
            self.assertRedirects(self.reset(f"person{n}@example.org"), reverse("accounts:reset_sent"))
        self.assertContains(self.reset("bo@example.org"), REFUSED)
        self.assertRedirects(self.reset("bo@example.org", address="198.51.100.4"), reverse("accounts:reset_sent"))


class EmailChangeThrottleTests(TandemTestCase):
    """Each request may send an e-mail: three per account and ten per client address an hour, like reset."""

    def change(self, email="new@example.org", address="203.0.113.7"):
        return self.client.post(reverse("accounts:email_change"), {"email": email}, REMOTE_ADDR=address)

    def test_three_per_account_then_refused_with_the_address_kept(self):
        self.login(self.alice)
        for n in range(3):
            with self.subTest(attempt=n + 1):
                self.assertRedirects(self.change(address=f"203.0.113.{n}"), reverse("accounts:profile"))
        refused = self.change("last@example.org", address="198.51.100.1")  # a new address: it is the account
        self.assertContains(refused, REFUSED)
        self.assertContains(refused, "60 minutes")
        self.assertContains(refused, 'value="last@example.org"')
        self.assertNotContains(refused, "We sent a link")
        with later(61):
            self.assertRedirects(self.change(), reverse("accounts:profile"))

    def test_a_taken_address_counts_exactly_like_a_free_one(self):
        self.login(self.alice)
        for email in ("bo@example.org", "free@example.org", "olga@example.org"):
            self.change(email)
        self.client.get(reverse("accounts:profile"))  # shows (and so clears) their "we sent a link"
        taken = self.change("omar@example.org").content.decode()
        free = self.change("ghost@example.org").content.decode()
        self.assertIn(REFUSED, taken)
        self.assertEqual(scrub(taken, "omar@example.org"), scrub(free, "ghost@example.org"))

    def test_ten_per_client_address_across_accounts(self):
        for n in range(10):
            self.login(make_person(f"p{n}@example.org", f"P{n}"))
            self.assertRedirects(self.change(f"new{n}@example.org"), reverse("accounts:profile"))
        self.login(self.alice)
        self.assertContains(self.change(), REFUSED)
        self.assertRedirects(self.change(address="198.51.100.4"), reverse("accounts:profile"))

    def test_no_address_is_stored_in_the_clear(self):
        self.login(self.alice)
        self.change()
        keys = list(Attempt.objects.filter(kind="emailchange").values_list("key", flat=True))
        self.assertEqual(len(keys), 2)
        for key in keys:
            self.assertNotIn("new@", key)
            self.assertNotIn("203.0.113", key)

    def test_thresholds_come_from_settings(self):
        custom = {**settings.THROTTLES, "emailchange": {"account": 1, "address": 50, "minutes": 7}}
        with self.settings(THROTTLES=custom):
            self.login(self.alice)
            self.change()
            self.assertContains(self.change(), "7 minutes")


class InviteThrottleTests(TandemTestCase):
    def setUp(self):
        self.newcomer = make_person("new@example.org", "Noa")
        self.login(self.newcomer)

    def test_ten_wrong_partner_codes_per_hour_then_even_the_right_one_waits(self):
        invite = Invite.objects.create(couple=self.other_couple, created_by=self.olga)
        url = reverse("couples:join_code")
        for n in range(10):
            with self.subTest(attempt=n + 1):
                self.assertContains(self.client.post(url, {"code": "ABCDE-FGHJK"}), "No invite has this code")
        self.assertContains(self.client.post(url, {"code": invite.display_code}), REFUSED)
        with later(61):
            response = self.client.post(url, {"code": invite.display_code})
        self.assertNotContains(response, REFUSED, status_code=response.status_code)

    def test_wrong_partner_links_count_too(self):
        for _ in range(10):
            self.assertEqual(self.client.get(reverse("couples:join", args=["no-such-token"])).status_code, 404)
        refused = self.client.get(reverse("couples:join", args=["no-such-token"]))
        self.assertContains(refused, REFUSED, status_code=429)

    def test_therapist_codes_and_links_share_the_count(self):
        care_invite = CareInvite.objects.create(therapist=self.una.therapist)
        for _ in range(5):
            self.client.post(reverse("clinic:link_code"), {"code": "ABCDE-FGHJK"})
            self.client.get(reverse("clinic:link_join", args=["no-such-token"]))
        self.assertContains(self.client.post(reverse("clinic:link_code"), {"code": care_invite.display_code}), REFUSED)
        self.assertContains(
            self.client.get(reverse("clinic:link_join", args=[care_invite.token])), REFUSED, status_code=429
        )

    def test_per_address_across_accounts(self):
        url = reverse("couples:join_code")
        for n in range(10):
            self.login(make_person(f"p{n}@example.org", f"P{n}"))
            self.client.post(url, {"code": "ABCDE-FGHJK"})
        self.login(self.newcomer)
        self.assertContains(self.client.post(url, {"code": "ABCDE-FGHJK"}), REFUSED)
        self.assertContains(self.client.post(url, {"code": "ABCDE-FGHJK"}, REMOTE_ADDR="198.51.100.5"), "No invite")


class TwoFactorThrottleTests(TandemTestCase):
    def setUp(self):
        give_two_factor(self.alice)

    def start(self, address="203.0.113.7"):
        self.client.post(
            reverse("accounts:login"), {"username": "alice@example.org", "password": PASSWORD}, REMOTE_ADDR=address
        )

    def test_five_wrong_codes_then_even_the_right_one_waits(self):
        self.start()
        url = reverse("security:login_code")
        for n in range(5):
            with self.subTest(attempt=n + 1):
                self.assertContains(self.client.post(url, {"code": "000000"}), "didn&#x27;t work")
        refused = self.client.post(url, {"code": code_for(self.alice)}, REMOTE_ADDR="198.51.100.6")
        self.assertContains(refused, REFUSED)
        self.assertNotIn("_auth_user_id", self.client.session)
        with later(15.1):
            self.start()
            self.assertRedirects(self.client.post(url, {"code": code_for(self.alice)}), reverse("home:home"))

    def test_a_claimed_attempt_counts_before_it_is_checked(self):
        request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.8")
        claims = [throttle.claim("twofactor", request, account=self.alice.pk) for _ in range(8)]
        self.assertEqual(sum(claim is not None for claim in claims), 5)
        # Refused claims left nothing behind; a released one frees its place.
        self.assertEqual(Attempt.objects.filter(kind="twofactor").count(), 10)  # 5 x (address + account)
        throttle.release(claims[0])
        self.assertIsNotNone(throttle.claim("twofactor", request, account=self.alice.pk))

    def test_a_right_code_does_not_count_against_the_person(self):
        url = reverse("security:login_code")
        for step in range(6):
            self.client.logout()
            self.start()
            self.assertRedirects(
                self.client.post(url, {"code": code_for(self.alice, steps_ahead=step % 2)}),
                reverse("home:home"),
                fetch_redirect_response=False,
            )
            TwoFactor.objects.filter(user=self.alice).update(last_used_step=0)
        self.assertFalse(Attempt.objects.filter(kind="twofactor").exists())

    def test_the_confirm_page_counts_too(self):
        self.login(self.alice)
        url = reverse("security:confirm")
        for _ in range(5):
            self.client.post(url, {"password": PASSWORD, "code": "000000"})
        self.assertContains(self.client.post(url, {"password": PASSWORD, "code": code_for(self.alice)}), REFUSED)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing requests are tested on PostgreSQL (CI runs it)")
class RacingCodeGuessesTests(TransactionTestCase):
    def test_code_guesses_sent_at_once_get_no_more_tries_than_the_limit(self):
        user = make_person("racer@example.org", "Racer")
        barrier = threading.Barrier(12)
        passed: list[bool] = []

        def guess():
            try:
                barrier.wait(timeout=10)
                request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
                passed.append(throttle.claim("twofactor", request, account=user.pk) is not None)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=guess) for _ in range(12)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        self.assertEqual(len(passed), 12)
        self.assertLessEqual(sum(passed), settings.THROTTLES["twofactor"]["account"])
