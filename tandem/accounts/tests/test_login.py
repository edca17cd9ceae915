from django.urls import reverse

from tandem.testkit.base import PASSWORD, TandemTestCase


class LoginTests(TandemTestCase):
    def test_log_in_with_email_in_any_case(self):
        response = self.client.post(reverse("accounts:login"), {"username": "Alice@EXAMPLE.org", "password": PASSWORD})
        self.assertRedirects(response, reverse("home:home"))

    def test_wrong_password_message_keeps_the_email(self):
        response = self.client.post(reverse("accounts:login"), {"username": "alice@example.org", "password": "nope"})
        self.assertContains(response, "don&#x27;t match an account")
        self.assertContains(response, 'value="alice@example.org"')

    def test_unknown_email_gets_the_same_message(self):
        response = self.client.post(reverse("accounts:login"), {"username": "ghost@example.org", "password": "nope"})
        self.assertContains(response, "don&#x27;t match an account")

    def test_logout_is_post_only(self):
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("accounts:logout")).status_code, 405)
        self.client.post(reverse("accounts:logout"))
        self.assertNotIn("_auth_user_id", self.client.session)

    def test_session_lasts_fourteen_days(self):
        from django.conf import settings

        self.assertEqual(settings.SESSION_COOKIE_AGE, 14 * 24 * 3600)
