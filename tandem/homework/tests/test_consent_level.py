from django.urls import reverse

from tandem.homework import services, steps
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
            self.assertEqual(steps.effective_level(self.couple), expected)

    def test_the_partners_level_is_never_shown(self):
        self.set_level(self.bo, 3)
        self.login(self.alice)
        for url in (
            "/",
            reverse("couples:detail", args=[self.couple.pk]),
            reverse("homework:library", args=[self.couple.pk]),
        ):
            self.assertNotContains(self.client.get(url), "Also sexual intimacy")


class TherapistWordingTests(TandemTestCase):
    def test_a_therapist_above_the_level_is_not_told_who(self):
        from tandem.homework.content import library

        self.alice.refresh_from_db()
        self.alice.consent_level = 3
        self.alice.save()
        with self.assertRaises(services.HomeworkError) as caught:
            services.propose(self.couple, library().exercise("mirror-of-desire"), self.theo, source="therapist")
        self.assertEqual(str(caught.exception), "Not available for this couple right now.")
