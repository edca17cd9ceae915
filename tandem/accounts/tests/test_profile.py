from django.urls import reverse

from tandem.testkit.base import TandemTestCase


class ProfileTests(TandemTestCase):
    def setUp(self):
        self.login(self.alice)

    def data(self, **changes):
        return {
            "display_name": "Alice",
            "pronouns": "she/they",
            "time_zone": "America/New_York",
            "language": "en",
            "consent_level": 0,
            **changes,
        }

    def test_update(self):
        response = self.client.post(reverse("accounts:profile"), self.data(pronouns="they/them"))
        self.assertRedirects(response, reverse("accounts:profile"))
        self.alice.refresh_from_db()
        self.assertEqual((self.alice.pronouns, self.alice.time_zone), ("they/them", "America/New_York"))

    def test_bad_time_zone_keeps_everything(self):
        response = self.client.post(
            reverse("accounts:profile"), self.data(time_zone="Atlantis/Capital", pronouns="xe/xem")
        )
        self.assertContains(response, "is not a time zone we know")
        self.assertContains(response, 'value="xe/xem"')
        self.alice.refresh_from_db()
        self.assertEqual((self.alice.pronouns, self.alice.time_zone), ("she/they", "UTC"))

    def test_empty_display_name(self):
        response = self.client.post(reverse("accounts:profile"), self.data(display_name=""))
        self.assertContains(response, "display name can&#x27;t be empty")
        self.alice.refresh_from_db()
        self.assertEqual(self.alice.display_name, "Alice")

    def test_unknown_language(self):
        response = self.client.post(reverse("accounts:profile"), self.data(language="xx"))
        self.assertContains(response, "Select a valid choice")

    def test_too_long_pronouns(self):
        response = self.client.post(reverse("accounts:profile"), self.data(pronouns="x" * 41))
        self.assertContains(response, "at most 40 characters")

    def test_times_are_shown_in_the_persons_zone(self):
        from datetime import UTC, datetime

        from tandem.couples.models import Invite
        from tandem.testkit.base import make_couple, make_person

        nadia = make_person("nadia@example.org", "Nadia", time_zone="Asia/Tokyo")
        couple = make_couple(nadia)
        Invite.objects.create(couple=couple, created_by=nadia, expires_at=datetime(2030, 1, 1, 20, 0, tzinfo=UTC))
        self.login(nadia)
        page = self.client.get(reverse("home:couple", args=[couple.pk]))
        from zoneinfo import ZoneInfo

        from django.utils import timezone

        from tandem.core.dates import show_moment

        with timezone.override(ZoneInfo("Asia/Tokyo")):
            expected = show_moment(datetime(2030, 1, 1, 20, 0, tzinfo=UTC))
        self.assertIn("2 Jan 2030, 05:00", expected)  # 20:00 UTC is 05:00 the next day in Tokyo
        self.assertContains(page, expected)

    def test_profile_needs_login(self):
        self.client.logout()
        self.assertEqual(self.client.get(reverse("accounts:profile")).status_code, 302)
