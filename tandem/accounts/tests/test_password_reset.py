import re

from django.core import mail
from django.urls import reverse

from tandem.testkit.base import TandemTestCase


class PasswordResetTests(TandemTestCase):
    def test_reset_by_email_with_a_neutral_subject(self):
        with self.mail_from_worker():
            response = self.client.post(reverse("accounts:reset"), {"email": "alice@example.org"})
        self.assertRedirects(response, reverse("accounts:reset_sent"))
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.subject, "Tandem: your password reset link")
        link = re.search(r"http://testserver(/account/reset/\S+/)", message.body).group(1)
        form_page = self.client.get(link, follow=True)
        self.assertContains(form_page, "Choose a new password")
        response = self.client.post(
            form_page.redirect_chain[-1][0],
            {"new_password1": "another fine passphrase", "new_password2": "another fine passphrase"},
        )
        self.assertRedirects(response, reverse("accounts:reset_done"))
        self.alice.refresh_from_db()
        self.assertTrue(self.alice.check_password("another fine passphrase"))

    def test_unknown_address_looks_the_same(self):
        with self.mail_from_worker():
            response = self.client.post(reverse("accounts:reset"), {"email": "ghost@example.org"})
        self.assertRedirects(response, reverse("accounts:reset_sent"))
        self.assertEqual(len(mail.outbox), 0)

    def test_bad_email(self):
        self.assertContains(self.client.post(reverse("accounts:reset"), {"email": "nope"}), "valid email address")

    def test_bad_link(self):
        response = self.client.get(reverse("accounts:reset_confirm", args=["MQ", "bad-token"]))
        self.assertContains(response, "expired or was already used")
