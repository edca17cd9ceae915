from django.contrib.auth.hashers import identify_hasher
from django.test import override_settings
from django.urls import reverse

from tandem.accounts.models import User
from tandem.testkit.base import TandemTestCase

GOOD = {
    "email": "Nadia@Example.org",
    "display_name": "Nadia",
    "pronouns": "",
    "time_zone": "Europe/Berlin",
    "password": "a long and unusual passphrase",
}


class SignUpTests(TandemTestCase):
    def post(self, **changes):
        return self.client.post(reverse("accounts:signup"), {**GOOD, **changes})

    def test_sign_up_logs_in_and_lowercases_the_email(self):
        response = self.post()
        self.assertRedirects(response, reverse("home:home"))
        user = User.objects.get(email="nadia@example.org")
        self.assertEqual(user.time_zone, "Europe/Berlin")
        self.assertEqual(int(self.client.session["_auth_user_id"]), user.pk)

    def test_no_username_field_anywhere(self):
        body = self.client.get(reverse("accounts:signup")).content.decode()
        self.assertNotIn('name="username"', body)
        self.assertIn('name="email"', body)

    def test_next_is_followed_only_on_this_site(self):
        self.assertRedirects(
            self.client.post(reverse("accounts:signup") + "?next=/join/", GOOD), "/join/", fetch_redirect_response=False
        )

    def test_next_to_another_host_is_ignored(self):
        response = self.client.post(reverse("accounts:signup"), {**GOOD, "next": "https://evil.example/"})
        self.assertRedirects(response, reverse("home:home"))

    def assert_refused(self, response, message: str, keeps: dict):
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        for value in keeps.values():
            if value:
                self.assertContains(response, f'value="{value}"')
        self.assertNotContains(response, GOOD["password"])
        self.assertFalse(User.objects.filter(email="nadia@example.org").exists())

    def test_taken_email_in_any_case(self):
        self.assert_refused(self.post(email="ALICE@example.org"), "already exists", {"display_name": "Nadia"})

    def test_probing_taken_addresses_is_throttled_per_client_address(self):
        for n in range(5):
            with self.subTest(attempt=n + 1):
                self.assert_refused(self.post(email="ALICE@example.org"), "already exists", {"display_name": "Nadia"})
        # The sixth try is refused whatever the address, and keeps what was typed.
        self.assert_refused(self.post(email="bo@example.org"), "Too many tries", {"display_name": "Nadia"})
        self.assert_refused(self.post(), "Too many tries", {"email": "Nadia@Example.org"})
        # Another client address is not affected.
        response = self.client.post(reverse("accounts:signup"), GOOD, REMOTE_ADDR="198.51.100.20")
        self.assertRedirects(response, reverse("home:home"))

    def test_weak_passwords(self):
        self.assert_refused(self.post(password="short"), "too short", {"display_name": "Nadia"})
        self.assert_refused(self.post(password="password123"), "too common", {"display_name": "Nadia"})
        self.assert_refused(self.post(password="nadia@example.org"), "too similar", {"display_name": "Nadia"})

    def test_bad_time_zone(self):
        self.assert_refused(
            self.post(time_zone="Mars/Olympus"), "is not a time zone we know", {"display_name": "Nadia"}
        )

    def test_missing_fields_each_get_their_own_message(self):
        response = self.client.post(reverse("accounts:signup"), {})
        for message in ("Enter your e-mail address", "the name your partner knows you by", "Choose a password"):
            self.assertContains(response, message)

    def test_bad_email(self):
        self.assert_refused(
            self.post(email="nadia-at-example"), "Enter a whole e-mail address", {"display_name": "Nadia"}
        )

    def test_blank_display_name(self):
        self.assert_refused(self.post(display_name="   "), "the name your partner knows you by", {})

    @override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
    def test_passwords_are_hashed_with_argon2(self):
        self.post()
        self.assertEqual(identify_hasher(User.objects.get(email="nadia@example.org").password).algorithm, "argon2")

    def test_argon2_is_first_in_the_real_settings(self):
        from tandem import settings

        real = [h for h in settings.PASSWORD_HASHERS if "MD5" not in h]
        self.assertEqual(real[0], "django.contrib.auth.hashers.Argon2PasswordHasher")
