"""Active sessions: listed, ended elsewhere or everywhere; idle therapists logged off."""

from __future__ import annotations

import io
import time

from django.test import Client, override_settings
from django.urls import reverse

from tandem.security import sessions
from tandem.security.middleware import LAST_SEEN
from tandem.security.models import SessionRecord
from tandem.security.tests.helpers import edit_session
from tandem.testkit.base import PASSWORD, TandemTestCase

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile Safari/604.1"


def signed_in(email: str, agent: str) -> Client:
    client = Client(HTTP_USER_AGENT=agent)
    client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    return client


class SessionListTests(TandemTestCase):
    def setUp(self):
        self.laptop = signed_in("alice@example.org", FIREFOX)
        self.phone = signed_in("alice@example.org", IPHONE)

    def is_signed_in(self, client: Client) -> bool:
        return client.get(reverse("accounts:profile")).status_code == 200

    def test_lists_each_session_by_device(self):
        page = self.laptop.get(reverse("security:sessions"))
        self.assertContains(page, "Firefox on Linux")
        self.assertContains(page, "Safari on iOS")
        self.assertContains(page, "this device", count=1)
        self.assertNotContains(page, "Mozilla/5.0")  # the full user agent is not kept

    def test_log_out_everywhere_else(self):
        self.laptop.post(reverse("security:sessions_end"), {"scope": "others"})
        self.assertTrue(self.is_signed_in(self.laptop))
        self.assertFalse(self.is_signed_in(self.phone))
        self.assertEqual(SessionRecord.objects.filter(user=self.alice).count(), 1)

    def test_turning_two_factor_on_logs_out_the_other_sessions(self):
        from tandem.security.tests.helpers import code_for

        self.laptop.get(reverse("security:two_factor"))  # the secret to scan
        response = self.laptop.post(reverse("security:two_factor"), {"code": code_for(self.alice)})
        self.assertEqual(response.status_code, 302)
        self.assertTrue(self.is_signed_in(self.laptop))
        self.assertFalse(self.is_signed_in(self.phone))

    def test_log_out_everywhere(self):
        response = self.laptop.post(reverse("security:sessions_end"), {"scope": "all"})
        self.assertRedirects(response, reverse("accounts:login"))
        self.assertFalse(self.is_signed_in(self.laptop))
        self.assertFalse(self.is_signed_in(self.phone))
        self.assertFalse(SessionRecord.objects.filter(user=self.alice).exists())

    def test_end_one_session_but_never_someone_elses(self):
        phone_record = SessionRecord.objects.get(user=self.alice, device="Safari on iOS")
        bo = signed_in("bo@example.org", FIREFOX)
        bo.post(reverse("security:sessions_end"), {"record": phone_record.pk})
        self.assertTrue(self.is_signed_in(self.phone))
        self.laptop.post(reverse("security:sessions_end"), {"record": phone_record.pk})
        self.assertFalse(self.is_signed_in(self.phone))

    def test_log_out_removes_the_record(self):
        self.phone.post(reverse("accounts:logout"))
        self.assertEqual(list(SessionRecord.objects.values_list("device", flat=True)), ["Firefox on Linux"])

    def test_a_new_password_ends_the_other_sessions(self):
        self.laptop.post(
            reverse("accounts:password_change"),
            {
                "old_password": PASSWORD,
                "new_password1": "a new long passphrase",
                "new_password2": "a new long passphrase",
            },
        )
        self.assertTrue(self.is_signed_in(self.laptop))
        self.assertFalse(self.is_signed_in(self.phone))
        self.assertEqual(SessionRecord.objects.filter(user=self.alice).count(), 1)

    def test_device_summaries(self):
        self.assertEqual(sessions.device_summary(FIREFOX), "Firefox on Linux")
        self.assertEqual(sessions.device_summary(IPHONE), "Safari on iOS")
        self.assertEqual(sessions.device_summary("curl/8"), "")


class IdleTests(TandemTestCase):
    def test_a_therapist_is_logged_off_after_thirty_idle_minutes(self):
        self.login(self.theo)
        caseload = reverse("clinic:caseload")
        edit_session(self.client, **{LAST_SEEN: time.time() - 29 * 60})
        self.assertEqual(self.client.get(caseload).status_code, 200)
        edit_session(self.client, **{LAST_SEEN: time.time() - 31 * 60})
        response = self.client.get(caseload, follow=True)
        self.assertEqual(response.redirect_chain[0][0], f"{reverse('accounts:login')}?next=%2Fclinic%2F")
        self.assertContains(response, "logged out after a while without activity")
        self.assertNotIn("_auth_user_id", self.client.session)
        self.assertFalse(SessionRecord.objects.filter(user=self.theo).exists())

    def test_partners_are_not_logged_off(self):
        self.login(self.alice)
        edit_session(self.client, **{LAST_SEEN: time.time() - 3 * 3600})
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 200)

    @override_settings(THERAPIST_IDLE_MINUTES=5)
    def test_the_idle_time_is_a_setting(self):
        self.login(self.theo)
        edit_session(self.client, **{LAST_SEEN: time.time() - 6 * 60})
        self.assertEqual(self.client.get(reverse("clinic:caseload")).status_code, 302)
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_activity_keeps_a_therapist_in(self):
        self.login(self.theo)
        for minutes in (20, 20, 20):
            # Each request 20 minutes after the last: never 30 idle.
            edit_session(self.client, **{LAST_SEEN: time.time() - minutes * 60})
            self.assertEqual(self.client.get(reverse("clinic:caseload")).status_code, 200)


class CommandTests(TandemTestCase):
    def test_cleanup_drops_old_attempts_and_expired_records(self):
        import datetime as dt

        from django.core.management import call_command
        from django.utils import timezone

        from tandem.security.models import Attempt

        old = timezone.now() - dt.timedelta(days=20)
        Attempt.objects.create(kind="login", key="a" * 64, at=old)
        Attempt.objects.create(kind="login", key="b" * 64)
        SessionRecord.objects.create(user=self.alice, last_seen_at=old)
        SessionRecord.objects.create(user=self.alice)
        call_command("security_cleanup", stdout=io.StringIO())
        self.assertEqual(list(Attempt.objects.values_list("key", flat=True)), ["b" * 64])
        self.assertEqual(SessionRecord.objects.count(), 1)

    def test_disable_two_factor_for_a_lost_phone(self):
        from django.core.management import CommandError, call_command

        from tandem.security.models import TwoFactor

        self.login(self.theo)
        call_command("disable_two_factor", "THEO@example.org", stdout=io.StringIO())
        self.assertFalse(TwoFactor.objects.filter(user=self.theo).exists())
        self.assertNotEqual(self.client.get(reverse("accounts:profile")).status_code, 200)  # logged out
        with self.assertRaises(CommandError):
            call_command("disable_two_factor", "ghost@example.org")
