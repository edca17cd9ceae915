"""The one way Tandem sends e-mail: queued by a request, sent by the worker's task."""

from unittest import mock

from django.core import mail as outbox
from django.test import TestCase, override_settings
from django_tasks_db.models import DBTaskResult

from tandem.core import crypto, mail


class QueuedMailTests(TestCase):
    def test_queueing_sends_nothing_and_waits_for_the_commit(self):
        with self.captureOnCommitCallbacks() as callbacks:
            mail.queue("Tandem: hello", "A body", to=["someone@example.org"])
            self.assertFalse(DBTaskResult.objects.exists())  # nothing before the commit
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()
        self.assertEqual(DBTaskResult.objects.get().task_path, "tandem.core.mail.send_email")
        self.assertEqual(outbox.outbox, [])

    def test_the_task_sends_the_sealed_message(self):
        result = mail.send_email.call(mail.seal("Tandem: hello", "A body", ["someone@example.org"]))
        self.assertEqual(result, 1)
        (message,) = outbox.outbox
        self.assertEqual(
            (message.subject, message.body, message.to), ("Tandem: hello", "A body", ["someone@example.org"])
        )

    def test_no_recipient_sends_nothing_and_opens_no_connection(self):
        # A mail server nobody could reach: a message with no recipient never tries.
        smtp = {"host": "192.0.2.1", "port": 25, "timeout": 1}
        with override_settings(
            MAILERS={"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": smtp}}
        ):
            self.assertEqual(mail.send_email.call(mail.seal("s", "b", [])), 0)

    def test_a_sealed_message_opens_only_as_a_queued_message(self):
        sealed = mail.seal("s", "b", ["someone@example.org"])
        self.assertNotIn("someone", sealed)
        with self.assertRaises(crypto.EncryptionError):
            crypto.decrypt(sealed, "accounts.user.pronouns")

    def test_a_failed_send_is_retried_a_few_times_then_given_up(self):
        sealed = mail.seal("s", "b", ["someone@example.org"])
        with (
            mock.patch.object(mail, "send_now", side_effect=ConnectionRefusedError("someone@example.org refused")),
            self.captureOnCommitCallbacks(execute=True),
        ):
            with self.assertRaises(mail.NotSent) as failed:
                mail.send_email.call(sealed)
            self.assertNotIn("someone", str(failed.exception))
            self.assertEqual(DBTaskResult.objects.get().args_kwargs["args"], [sealed, 2])
            with self.assertRaisesMessage(mail.NotSent, "giving up"):
                mail.send_email.call(sealed, len(mail.RETRY_AFTER) + 1)
        self.assertEqual(DBTaskResult.objects.count(), 1)  # the last attempt queues nothing more
