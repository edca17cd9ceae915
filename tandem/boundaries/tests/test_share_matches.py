from django.urls import reverse

from tandem.boundaries import services
from tandem.boundaries.models import MatchSharing
from tandem.testkit.base import TandemTestCase


class ShareMatchesTests(TandemTestCase):
    def setUp(self):
        services.save_answers(
            self.couple, self.alice, "affection", {"kissing": ("yes", "alice note"), "cuddling": ("no", "")}
        )
        services.save_answers(self.couple, self.bo, "affection", {"kissing": ("maybe", ""), "cuddling": ("yes", "")})
        services.finish(self.couple, self.alice, "affection")
        services.finish(self.couple, self.bo, "affection")

    def therapist_page(self):
        self.login(self.theo)
        return self.client.get(reverse("clinic:couple", args=[self.couple.pk]))

    def share(self, user, stop=False):
        self.login(user)
        self.client.post(reverse("boundaries:share_matches", args=[self.couple.pk]), {"stop": "1"} if stop else {})

    def test_therapist_sees_matches_only_after_both_agree_and_never_answers(self):
        self.assertNotContains(self.therapist_page(), "Kissing")
        self.share(self.alice)
        self.assertNotContains(self.therapist_page(), "Kissing")
        self.share(self.bo)
        page = self.therapist_page()
        self.assertContains(page, "Kissing")
        self.assertContains(page, "yes and maybe")
        self.assertNotContains(page, "Cuddling")  # one "no": no match, and no trace of whose
        self.assertNotContains(page, "alice note")

    def test_either_partner_can_stop_sharing_at_once(self):
        self.share(self.alice)
        self.share(self.bo)
        self.share(self.bo, stop=True)
        self.assertNotContains(self.therapist_page(), "Kissing")
        self.assertEqual(MatchSharing.objects.count(), 1)

    def test_the_overview_offers_sharing_only_with_a_linked_therapist(self):
        self.login(self.alice)
        url = reverse("boundaries:overview", args=[self.couple.pk])
        self.assertContains(self.client.get(url), "Share our matches with our therapist")
        self.link.status = "ended"
        self.link.save()
        self.assertNotContains(self.client.get(url), "Share our matches")
