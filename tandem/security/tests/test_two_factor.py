"""Two-factor: set-up with a QR code, the second log-in step, recovery codes."""

from __future__ import annotations

import time
from unittest import mock

import pyotp
from django.urls import reverse

from tandem.security import login_flow, twofactor
from tandem.security.models import RecoveryCode, TwoFactor
from tandem.security.tests.helpers import code_for
from tandem.testkit.base import PASSWORD, TandemTestCase, give_two_factor


class SetUpTests(TandemTestCase):
    def test_set_up_with_the_qr_code_then_recovery_codes_shown_once(self):
        self.login(self.alice)
        page = self.client.get(reverse("security:two_factor"))
        self.assertContains(page, "<svg")  # inline: no image request, nothing the CSP blocks
        self.assertContains(page, 'role="img"')
        pending = TwoFactor.objects.get(user=self.alice)
        self.assertIsNone(pending.confirmed_at)
        # Reloading keeps the same secret (it may already be scanned).
        self.client.get(reverse("security:two_factor"))
        self.assertEqual(TwoFactor.objects.get(user=self.alice).secret, pending.secret)

        wrong = self.client.post(reverse("security:two_factor"), {"code": "000000"})
        self.assertContains(wrong, "didn&#x27;t work")
        response = self.client.post(reverse("security:two_factor"), {"code": code_for(self.alice)})
        self.assertRedirects(response, reverse("security:recovery_codes"), fetch_redirect_response=False)
        self.assertIsNotNone(TwoFactor.objects.get(user=self.alice).confirmed_at)

        # Between the redirect and the page the codes sit in the session,
        # which is a database row: sealed there, never in the clear.
        from django.contrib.sessions.models import Session

        in_session = repr(Session.objects.get(session_key=self.client.session.session_key).get_decoded())
        shown = self.client.get(reverse("security:recovery_codes")).content.decode()
        codes = [c for c in shown.split("<code>")[1:]]
        self.assertNotIn(codes[0].split("</code>")[0], in_session)
        self.assertEqual(len(codes), 10)
        self.assertEqual(RecoveryCode.objects.filter(user=self.alice).count(), 10)
        # Only hashes are stored, and the codes are not shown a second time.
        first = codes[0].split("</code>")[0]
        self.assertFalse(RecoveryCode.objects.filter(code_hash__contains=first.replace("-", "")).exists())
        self.assertNotContains(self.client.get(reverse("security:recovery_codes")), first)

    def test_codes_not_shown_within_ten_minutes_are_not_shown_later(self):
        from unittest import mock

        give_two_factor(self.alice)
        self.login(self.alice)
        self.client.post(reverse("security:recovery_codes"))
        later = time.time() + 601
        with self.settings(REAUTH_MINUTES=60), mock.patch("time.time", return_value=later):
            page = self.client.get(reverse("security:recovery_codes"))
        self.assertNotContains(page, "<code>")

    def test_regenerating_recovery_codes_voids_the_old_ones(self):
        give_two_factor(self.alice)
        old = twofactor.new_recovery_codes(self.alice)
        self.login(self.alice)
        self.client.post(reverse("security:recovery_codes"))
        self.assertFalse(twofactor.use_recovery_code(self.alice, old[0]))
        self.assertEqual(twofactor.remaining_recovery_codes(self.alice), 10)

    def test_turning_it_off(self):
        give_two_factor(self.alice)
        twofactor.new_recovery_codes(self.alice)
        self.login(self.alice)
        self.assertContains(self.client.post(reverse("security:two_factor_disable"), {}), "Tick the box")
        self.client.post(reverse("security:two_factor_disable"), {"confirm": "on"})
        self.assertFalse(TwoFactor.objects.filter(user=self.alice).exists())
        self.assertFalse(RecoveryCode.objects.filter(user=self.alice).exists())


class CodeTests(TandemTestCase):
    def setUp(self):
        self.two_factor = give_two_factor(self.alice)
        self.totp = pyotp.TOTP(self.two_factor.secret)

    def test_a_code_works_once(self):
        code = self.totp.now()
        self.assertTrue(twofactor.verify_totp(self.two_factor, code))
        self.assertFalse(twofactor.verify_totp(self.two_factor, code), "a code read over a shoulder is spent")

    def test_one_step_of_clock_drift_either_way(self):
        now = time.time()
        self.assertTrue(twofactor.verify_totp(self.two_factor, self.totp.at(now - 30), now=now))
        self.assertTrue(twofactor.verify_totp(self.two_factor, self.totp.at(now + 30), now=now))
        self.assertFalse(twofactor.verify_totp(self.two_factor, self.totp.at(now + 90), now=now))

    def test_an_older_step_after_a_newer_one_is_refused(self):
        now = time.time()
        self.assertTrue(twofactor.verify_totp(self.two_factor, self.totp.at(now), now=now))
        self.assertFalse(twofactor.verify_totp(self.two_factor, self.totp.at(now - 30), now=now))

    def test_recovery_codes_are_single_use_and_forgiving_about_case_and_dash(self):
        codes = twofactor.new_recovery_codes(self.alice)
        self.assertTrue(twofactor.use_recovery_code(self.alice, codes[3].lower().replace("-", " ")))
        self.assertFalse(twofactor.use_recovery_code(self.alice, codes[3]))
        self.assertEqual(twofactor.remaining_recovery_codes(self.alice), 9)


class LogInTests(TandemTestCase):
    def log_in(self, email="alice@example.org", password=PASSWORD, next_url=""):
        data = {"username": email, "password": password}
        if next_url:
            data["next"] = next_url
        return self.client.post(reverse("accounts:login"), data)

    def test_without_two_factor_the_password_is_enough(self):
        self.assertRedirects(self.log_in(), reverse("home:home"))
        self.assertIn("_auth_user_id", self.client.session)

    def test_with_two_factor_a_second_step_before_any_log_in(self):
        give_two_factor(self.alice)
        target = reverse("accounts:profile")
        response = self.log_in(next_url=target)
        self.assertRedirects(response, reverse("security:login_code"))
        self.assertNotIn("_auth_user_id", self.client.session)
        # Half-way in reaches nothing that needs an account.
        self.assertRedirects(self.client.get(target), f"{reverse('accounts:login')}?next={target}")

        wrong = self.client.post(reverse("security:login_code"), {"code": "123456"})
        self.assertContains(wrong, "didn&#x27;t work")
        self.assertNotIn("_auth_user_id", self.client.session)

        response = self.client.post(reverse("security:login_code"), {"code": code_for(self.alice)})
        self.assertRedirects(response, target)
        self.assertEqual(self.client.session["_auth_user_id"], str(self.alice.pk))
        self.assertEqual(self.client.session[twofactor.SESSION_VERIFIED], TwoFactor.objects.get(user=self.alice).pk)
        self.assertNotIn(login_flow.PENDING, self.client.session)

    def test_a_recovery_code_logs_in_once(self):
        give_two_factor(self.alice)
        codes = twofactor.new_recovery_codes(self.alice)
        self.log_in()
        self.assertRedirects(self.client.post(reverse("security:login_code"), {"code": codes[0]}), reverse("home:home"))
        self.client.post(reverse("accounts:logout"))
        self.log_in()
        self.assertContains(self.client.post(reverse("security:login_code"), {"code": codes[0]}), "didn&#x27;t work")

    def test_the_second_step_expires(self):
        give_two_factor(self.alice)
        self.log_in()
        later = time.time() + login_flow.PENDING_SECONDS + 1
        with mock.patch("tandem.security.login_flow.time.time", return_value=later):
            response = self.client.post(reverse("security:login_code"), {"code": code_for(self.alice)})
        self.assertContains(response, "This log-in has expired")
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_the_code_page_without_a_log_in_names_nobody(self):
        response = self.client.get(reverse("security:login_code"))
        self.assertContains(response, "This log-in has expired")

    def test_a_wrong_password_never_reaches_the_code_step(self):
        give_two_factor(self.alice)
        response = self.log_in(password="nope")
        self.assertContains(response, "don&#x27;t match an account")
        self.assertNotIn(login_flow.PENDING, self.client.session)
