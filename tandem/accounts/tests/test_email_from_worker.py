"""Password reset and e-mail change only queue their e-mail; the worker sends it.

A request that sends nothing itself takes the same time whatever the
address, and a mail server that is down never turns into an error page
(bench/email_timing.py measures the timing; these tests check the work).
"""

import re
import socket

from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tandem.core.mail import NotSent, send_email
from tandem.testkit.base import TandemTestCase, run_queued


def queued():
    return DBTaskResult.objects.filter(task_path=send_email.module_path).order_by("enqueued_at")


def smtp_down():
    """Settings whose mail server refuses connections (a port nobody listens on)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = {"host": "127.0.0.1", "port": port, "timeout": 2, "use_tls": False}
    return override_settings(
        MAILERS={"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": smtp}}
    )


class ResetFromTheWorkerTests(TandemTestCase):
    def reset(self, email):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("accounts:reset"), {"email": email})

    def test_the_request_queues_the_link_and_sends_nothing_itself(self):
        self.assertRedirects(self.reset("alice@example.org"), reverse("accounts:reset_sent"))
        self.assertEqual(mail.outbox, [])
        (task,) = queued()
        self.assertEqual(task.status, "READY")
        # The waiting message is sealed: no address, no link in the task table.
        stored = str(task.args_kwargs)
        self.assertNotIn("alice", stored)
        self.assertNotIn("/account/reset/", stored)

        self.assertEqual(run_queued(send_email), 1)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["alice@example.org"])
        self.assertEqual(message.subject, "Tandem: your password reset link")
        self.assertRegex(message.body, r"http://testserver/account/reset/\S+/")
        self.assertEqual(queued().get().status, "SUCCESSFUL")

    def test_an_unknown_address_queues_the_same_work_and_nothing_is_sent(self):
        self.reset("alice@example.org")
        self.reset("ghost@example.org")
        known, unknown = queued()
        # One row each, of the same task, sealed alike: only the worker can tell them apart.
        self.assertEqual(known.task_path, unknown.task_path)
        self.assertEqual(len(known.args_kwargs["args"]), len(unknown.args_kwargs["args"]))
        self.assertNotIn("ghost", str(unknown.args_kwargs))
        run_queued(send_email)
        self.assertEqual([m.to for m in mail.outbox], [["alice@example.org"]])
        unknown.refresh_from_db()
        self.assertEqual((unknown.status, unknown.return_value), ("SUCCESSFUL", 0))

    def test_inactive_accounts_and_unusable_passwords_get_nothing_either(self):
        self.bo.is_active = False
        self.bo.save()
        self.olga.set_unusable_password()
        self.olga.save()
        self.reset("bo@example.org")
        self.reset("olga@example.org")
        self.assertEqual(queued().count(), 2)
        run_queued(send_email)
        self.assertEqual(mail.outbox, [])

    def test_the_stand_in_link_opens_nothing(self):
        from django.contrib.auth.tokens import default_token_generator

        from tandem.accounts.forms import ResetForm

        form = ResetForm({"email": "ghost@example.org"})
        self.assertTrue(form.is_valid())
        (stand_in,) = form.get_users("ghost@example.org")
        self.assertTrue(stand_in._state.adding)  # never saved
        token = default_token_generator.make_token(stand_in)
        response = self.client.get(reverse("accounts:reset_confirm", args=["MA", token]), follow=True)
        self.assertContains(response, "expired or was already used")

    def test_smtp_down_while_the_worker_sends_does_not_touch_the_request(self):
        with smtp_down():
            self.assertRedirects(self.reset("alice@example.org"), reverse("accounts:reset_sent"))
            run_queued(send_email)
        first, retry = queued()
        self.assertEqual(first.status, "FAILED")
        self.assertEqual(first.exception_class_path, f"{NotSent.__module__}.NotSent")
        self.assertNotIn("alice", first.traceback)
        self.assertEqual(retry.status, "READY")  # tried again later...
        self.assertGreater(retry.run_after, first.finished_at)
        self.assertEqual(mail.outbox, [])
        # ...and sent once the server is back.
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=first.finished_at)
        run_queued(send_email)
        self.assertEqual([m.to for m in mail.outbox], [["alice@example.org"]])


class EmailChangeFromTheWorkerTests(TandemTestCase):
    def change(self, email):
        with self.captureOnCommitCallbacks(execute=True):
            return self.client.post(reverse("accounts:email_change"), {"email": email}, follow=True)

    def test_the_request_queues_the_link_and_sends_nothing_itself(self):
        self.login(self.alice)
        self.assertContains(self.change("new@example.org"), "We sent a link to new@example.org")
        self.assertEqual(mail.outbox, [])
        self.assertNotIn("new@example.org", str(queued().get().args_kwargs))
        run_queued(send_email)
        (message,) = mail.outbox
        self.assertEqual(message.to, ["new@example.org"])
        self.assertRegex(message.body, r"http://testserver/account/email/\S+/")

    def test_a_taken_address_queues_the_same_work_and_gets_nothing(self):
        self.login(self.alice)
        self.change("bo@example.org")
        self.change("free@example.org")
        self.assertEqual(queued().count(), 2)
        run_queued(send_email)
        self.assertEqual([m.to for m in mail.outbox], [["free@example.org"]])

    def test_smtp_down_is_not_an_error_page(self):
        self.login(self.alice)
        with smtp_down():
            response = self.change("new@example.org")
            self.assertEqual(response.status_code, 200)
            self.assertContains(response, "We sent a link to new@example.org")
            run_queued(send_email)
        self.assertEqual(mail.outbox, [])
        self.assertEqual(list(queued().values_list("status", flat=True)), ["FAILED", "READY"])

    def test_the_notice_to_the_old_address_leaves_from_the_worker_too(self):
        self.login(self.alice)
        self.change("new@example.org")
        run_queued(send_email)
        link = re.search(r"http://testserver(/account/email/\S+/)", mail.outbox[0].body).group(1)
        mail.outbox.clear()
        with smtp_down(), self.captureOnCommitCallbacks(execute=True):
            self.assertRedirects(self.client.post(link), reverse("accounts:profile"))
        self.assertEqual(mail.outbox, [])
        run_queued(send_email)
        self.assertEqual([m.to for m in mail.outbox], [["alice@example.org"]])
        self.assertEqual(mail.outbox[0].subject, "Tandem: your e-mail address was changed")
