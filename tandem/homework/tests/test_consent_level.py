from django.urls import reverse

from tandem.homework import services
from tandem.testkit.base import TandemTestCase


class EffectiveLevelTests(TandemTestCase):
    def set_level(self, user, level):
        self.login(user)
        self.client.post(
            reverse("accounts:profile"),
            {"display_name": user.display_name, "time_zone": "UTC", "language": "en", "consent_level": level},
        )

    def test_the_couples_level_is_the_lower_of_the_two(self):
        for a, b, expected in ((3, 1, 1), (0, 2, 0), (2, 2, 2)):
            self.set_level(self.alice, a)
            self.set_level(self.bo, b)
            self.couple.refresh_from_db()
            self.assertEqual(services.effective_level(self.couple), expected)

    def test_the_partners_level_is_never_shown(self):
        self.set_level(self.bo, 3)
        self.login(self.alice)
        for url in (
            "/",
            reverse("couples:detail", args=[self.couple.pk]),
            reverse("homework:library", args=[self.couple.pk]),
        ):
            self.assertNotContains(self.client.get(url), "Also sexual intimacy")
