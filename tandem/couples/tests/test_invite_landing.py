"""A partner invited by link, still signed out: who invited them, what Tandem
is, and a way to sign up or log in that comes back to the invite."""

from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from tandem.couples.models import Couple, Invite, Membership
from tandem.couples.tests.test_pairing import PairingTestCase
from tandem.security.models import Attempt


class InviteLandingTests(PairingTestCase):
    def setUp(self):
        self.couple, self.invite = self.start_space()
        self.client.logout()
        self.url = reverse("couples:join", args=[self.invite.token])

    def test_shows_who_invited_and_what_tandem_is(self):
        page = self.client.get(self.url)
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "Nadia")
        self.assertContains(page, "Tandem is a private space for two partners")
        next_ = quote(self.url, safe="")
        self.assertContains(page, f'href="{reverse("accounts:signup")}?next={next_}"')
        self.assertContains(page, f'href="{reverse("accounts:login")}?next={next_}"')

    def test_says_no_more_than_the_inviters_display_name(self):
        body = self.client.get(self.url).content.decode()
        for secret in (self.nadia.email, str(self.couple.pk), self.invite.code, "expires"):
            self.assertNotIn(secret, body)
        # The token appears only in the links back to this very page.
        self.assertEqual(body.count(self.invite.token), 2)

    def test_looking_joins_nothing(self):
        self.client.get(self.url)
        self.assertEqual(self.couple.memberships.count(), 1)
        self.invite.refresh_from_db()
        self.assertIsNone(self.invite.used_at)

    def test_a_signed_out_post_joins_nothing(self):
        response = self.client.post(self.url)
        self.assertEqual(response.status_code, 401)
        self.assertEqual(self.couple.memberships.count(), 1)

    def test_a_bad_token_says_so_neutrally(self):
        page = self.client.get(reverse("couples:join", args=["not-a-real-token"]))
        self.assertContains(page, "Check that you copied all of it", status_code=404)

    def test_an_expired_used_or_withdrawn_invite_says_so_without_the_name(self):
        cases = (
            ({"expires_at": timezone.now() - timedelta(seconds=1)}, "This invite has expired"),
            ({"revoked_at": timezone.now()}, "This invite was withdrawn"),
            ({"used_at": timezone.now()}, "This invite has already been used"),
        )
        for change, message in cases:
            with self.subTest(message):
                fresh = {"expires_at": self.invite.expires_at, "revoked_at": None, "used_at": None}
                Invite.objects.filter(pk=self.invite.pk).update(**{**fresh, **change})
                page = self.client.get(self.url)
                self.assertContains(page, message)
                self.assertNotContains(page, "Nadia")

    def test_a_closed_space_is_not_revealed(self):
        Couple.objects.filter(pk=self.couple.pk).update(closed_at=timezone.now())
        page = self.client.get(self.url)
        self.assertContains(page, escape("This invite can't be used any more. Ask for a new one."))
        self.assertNotContains(page, "closed")
        self.assertNotContains(page, "Nadia")

    def test_lookups_stay_throttled(self):
        limit = settings.THROTTLES["invite"]["address"]
        for n in range(limit):
            self.client.get(reverse("couples:join", args=[f"wrong-{n}"]))
        page = self.client.get(self.url)  # even the right link, once over the limit
        self.assertContains(page, "Too many tries", status_code=429)
        self.assertNotContains(page, "Nadia", status_code=429)

    def test_a_found_invite_does_not_count_against_the_visitor(self):
        self.client.get(self.url)
        self.assertFalse(Attempt.objects.filter(kind="invite").exists())

    def test_sign_up_comes_back_to_the_invite_then_joins(self):
        signup = f"{reverse('accounts:signup')}?next={quote(self.url, safe='')}"
        form = self.client.get(signup)
        # "Already have an account?" keeps the way back too.
        self.assertContains(form, f"{reverse('accounts:login')}?next={quote(self.url, safe='')}")
        response = self.client.post(
            signup,
            {
                "email": "kit@example.org",
                "display_name": "Kit",
                "time_zone": "Europe/Berlin",
                "password": "a long and unusual passphrase",
                "next": self.url,
            },
        )
        self.assertRedirects(response, self.url)
        page = self.client.get(self.url)
        self.assertContains(page, "Join")
        self.client.post(self.url)
        self.assertTrue(Membership.objects.filter(couple=self.couple, user__email="kit@example.org").exists())

    def test_log_in_comes_back_to_the_invite(self):
        response = self.client.post(
            f"{reverse('accounts:login')}?next={quote(self.url, safe='')}",
            {"username": self.kai.email, "password": "correct horse battery staple"},
        )
        self.assertRedirects(response, self.url, fetch_redirect_response=False)
