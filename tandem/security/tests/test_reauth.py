"""Confirm it's you: before sensitive changes, and before the safety channel after idle time."""

from __future__ import annotations

import re
import time

from django.contrib.sessions.models import Session
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tandem.security import reauth, sessions, twofactor
from tandem.security.middleware import LAST_SEEN
from tandem.security.tests.helpers import code_for, edit_session
from tandem.testkit.base import PASSWORD, TandemTestCase, give_two_factor

SENSITIVE = ["accounts:password_change", "accounts:email_change", "security:two_factor", "security:two_factor_disable"]


def confirm_url(target: str) -> str:
    return f"{reverse('security:confirm')}?next={target.replace('/', '%2F')}"


class RecentAuthTests(TandemTestCase):
    def make_stale(self, minutes: float = 11) -> None:
        edit_session(self.client, **{reauth.LAST_AUTH: time.time() - minutes * 60})

    def test_fresh_after_log_in(self):
        self.login(self.alice)
        for name in SENSITIVE:
            with self.subTest(name=name):
                self.assertIn(self.client.get(reverse(name)).status_code, (200, 302))
                self.assertFalse(self.client.get(reverse(name)).get("Location", "").startswith("/account/security/c"))

    def test_stale_after_ten_minutes_for_every_sensitive_page(self):
        give_two_factor(self.alice)  # so that two-factor's own pages exist
        self.login(self.alice)
        self.make_stale(9)
        self.assertEqual(self.client.get(reverse("accounts:password_change")).status_code, 200)
        self.make_stale(11)
        for name in [*SENSITIVE, "security:recovery_codes"]:
            with self.subTest(name=name):
                self.assertRedirects(self.client.get(reverse(name)), confirm_url(reverse(name)))
                # A stale POST is not carried out either.
                self.assertRedirects(self.client.post(reverse(name), {}), confirm_url(reverse(name)))
        self.assertTrue(twofactor.confirmed(self.alice))

    def test_confirming_with_the_password(self):
        self.login(self.alice)
        self.make_stale()
        target = reverse("accounts:password_change")
        wrong = self.client.post(confirm_url(target), {"password": "nope"})
        self.assertContains(wrong, "not your password")
        self.assertRedirects(self.client.post(confirm_url(target), {"password": PASSWORD}), target)
        self.assertEqual(self.client.get(target).status_code, 200)

    def test_with_two_factor_the_code_is_asked_too(self):
        give_two_factor(self.alice)
        self.login(self.alice)
        self.make_stale()
        target = reverse("accounts:email_change")
        self.assertContains(self.client.get(confirm_url(target)), 'name="code"')
        self.assertContains(self.client.post(confirm_url(target), {"password": PASSWORD, "code": "000000"}), "didn")
        ok = self.client.post(confirm_url(target), {"password": PASSWORD, "code": code_for(self.alice)})
        self.assertRedirects(ok, target)

    def test_next_is_same_host_only(self):
        self.login(self.alice)
        response = self.client.post(f"{reverse('security:confirm')}?next=https://evil.example/", {"password": PASSWORD})
        self.assertRedirects(response, reverse("home:home"), fetch_redirect_response=False)

    @override_settings(REAUTH_MINUTES=2)
    def test_the_limit_is_a_setting(self):
        self.login(self.alice)
        self.make_stale(3)
        self.assertEqual(self.client.get(reverse("accounts:password_change")).status_code, 302)

    def test_decorator_with_its_own_limit(self):
        from django.http import HttpResponse
        from django.test import RequestFactory

        view = reauth.recent_auth_required(minutes=1)(lambda request: HttpResponse("ok"))
        self.login(self.alice)
        request = RequestFactory().get("/x/")
        request.user = self.alice
        request.session = self.client.session
        self.assertEqual(view(request).status_code, 200)
        request.session[reauth.LAST_AUTH] = time.time() - 61
        self.assertEqual(view(request).status_code, 302)


class SessionIdTests(TandemTestCase):
    """Proving it's you starts a new session id: one fixed or read before cannot ride on the proof."""

    def test_confirming_rotates_the_session_id_and_keeps_the_session(self):
        give_two_factor(self.alice)
        self.login(self.alice)
        edit_session(self.client, **{reauth.LAST_AUTH: time.time() - 11 * 60})
        before = self.client.session.session_key
        record = self.client.session[sessions.SESSION_RECORD]
        target = reverse("accounts:password_change")
        self.assertContains(self.client.post(confirm_url(target), {"password": "nope", "code": "000000"}), "not your")
        self.assertEqual(self.client.session.session_key, before)  # a failure changes nothing
        response = self.client.post(confirm_url(target), {"password": PASSWORD, "code": code_for(self.alice)})
        self.assertRedirects(response, target)
        after = self.client.session.session_key
        self.assertNotEqual(after, before)
        self.assertFalse(Session.objects.filter(session_key=before).exists())
        # Still signed in, on the same session record, and fresh for sensitive pages.
        self.assertEqual(self.client.session[sessions.SESSION_RECORD], record)
        self.assertEqual(self.client.get(target).status_code, 200)
        self.assertEqual(self.client.get(reverse("security:sessions")).status_code, 200)


class EmailChangeTests(TandemTestCase):
    def test_change_by_a_link_sent_to_the_new_address(self):
        self.login(self.alice)
        with self.mail_from_worker():
            response = self.client.post(reverse("accounts:email_change"), {"email": "Alice.New@Example.org"})
        self.assertRedirects(response, reverse("accounts:profile"))
        self.assertEqual(len(mail.outbox), 1)
        self.assertEqual(mail.outbox[0].to, ["alice.new@example.org"])
        self.assertEqual(mail.outbox[0].subject, "Tandem: confirm your e-mail address")
        link = re.search(r"http://testserver(/account/email/\S+/)", mail.outbox[0].body).group(1)
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice@example.org")  # nothing yet
        self.assertContains(self.client.get(link), "alice.new@example.org")
        with self.mail_from_worker():
            self.assertRedirects(self.client.post(link), reverse("accounts:profile"))
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.email, "alice.new@example.org")
        # The old address is told.
        self.assertEqual(mail.outbox[1].to, ["alice@example.org"])
        # The link is spent: the address it was made from is gone.
        self.assertContains(self.client.get(link), "expired, was already used")

    def test_a_taken_address_gets_the_same_answer_and_no_link(self):
        self.login(self.alice)
        with self.mail_from_worker():
            taken = self.client.post(reverse("accounts:email_change"), {"email": "bo@example.org"}, follow=True)
            free = self.client.post(reverse("accounts:email_change"), {"email": "free@example.org"}, follow=True)
        self.assertContains(taken, "We sent a link to bo@example.org")
        self.assertContains(free, "We sent a link to free@example.org")
        self.assertEqual([m.to for m in mail.outbox], [["free@example.org"]])

    def test_the_link_is_for_its_own_account_only(self):
        self.login(self.alice)
        with self.mail_from_worker():
            self.client.post(reverse("accounts:email_change"), {"email": "new@example.org"})
        link = re.search(r"http://testserver(/account/email/\S+/)", mail.outbox[0].body).group(1)
        self.login(self.bo)
        self.assertContains(self.client.get(link), "expired, was already used")
        self.client.post(link)
        self.bo.refresh_from_db()
        self.assertEqual(self.bo.email, "bo@example.org")

    def test_a_forged_link(self):
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("accounts:email_confirm", args=["x:y:z"])), "expired")


class SafetyChannelIdleTests(TandemTestCase):
    def channel(self):
        return reverse("safety:channel", args=[self.couple.pk])

    def test_asks_after_fifteen_idle_minutes_only(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(self.channel()).status_code, 200)
        edit_session(self.client, **{LAST_SEEN: time.time() - 14 * 60})
        self.assertEqual(self.client.get(self.channel()).status_code, 200)
        edit_session(self.client, **{LAST_SEEN: time.time() - 16 * 60})
        # The idle gap is noticed on whatever page comes next; other pages stay open...
        self.assertEqual(self.client.get(reverse("home:couple", args=[self.couple.pk])).status_code, 200)
        # ...and the channel asks first, for reading and for writing.
        self.assertRedirects(self.client.get(self.channel()), confirm_url(self.channel()))
        self.assertRedirects(self.client.post(self.channel(), {"body": "x"}), confirm_url(self.channel()))
        from tandem.safety.models import SafetyMessage

        self.assertFalse(SafetyMessage.objects.exists())
        self.client.post(confirm_url(self.channel()), {"password": PASSWORD})
        self.assertEqual(self.client.get(self.channel()).status_code, 200)

    def test_a_recent_password_alone_does_not_skip_it(self):
        # Confirming long ago and then leaving the phone: the gap since then is what counts.
        self.login(self.alice)
        edit_session(self.client, **{LAST_SEEN: time.time() - 16 * 60, reauth.LAST_AUTH: time.time() - 60})
        self.assertEqual(self.client.get(self.channel()).status_code, 302)
