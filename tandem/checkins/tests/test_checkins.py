from datetime import UTC, datetime
from unittest import mock

from django.urls import reverse

from tandem.checkins.models import CheckIn, RapidCheckIn, Schedule
from tandem.testkit.base import TandemTestCase, signed_in_session

GOOD = {
    "mood": "4",
    "energy": "3",
    "stress": "2",
    "closeness": "4",
    "desire": "3",
    "capacity": ["talk", "affection"],
    "note": "A good walk at lunch",
    "changed": "",
    "visibility": "shared",
}


class CheckInTests(TandemTestCase):
    def url(self, name="today"):
        return reverse(f"checkins:{name}", args=[self.couple.pk])

    def check_in(self, user, **changes):
        self.login(user)
        return self.client.post(self.url(), {**GOOD, **changes})

    def test_check_in_and_partner_sees_it(self):
        response = self.check_in(self.alice)
        self.assertRedirects(response, self.url("recent"))
        checkin = CheckIn.objects.get()
        self.assertEqual((checkin.mood, checkin.capacity, checkin.visibility), (4, ["talk", "affection"], "shared"))
        self.login(self.bo)
        self.assertContains(self.client.get(self.url("recent")), "A good walk at lunch")

    def test_second_check_in_the_same_day_edits_the_first_and_says_so(self):
        self.check_in(self.alice)
        response = self.client.post(self.url(), {**GOOD, "mood": "2"}, follow=True)
        self.assertContains(response, "replace the earlier ones")
        self.assertEqual(CheckIn.objects.get().mood, 2)
        self.assertContains(self.client.get(self.url()), "You already checked in today")

    def test_the_day_is_the_authors_own(self):
        # 23:30 UTC on 1 March: still 1 March in New York, already 2 March in Tokyo.
        self.alice.time_zone = "America/New_York"
        self.alice.save()
        self.bo.time_zone = "Asia/Tokyo"
        self.bo.save()
        moment = datetime(2027, 3, 1, 23, 30, tzinfo=UTC)
        with mock.patch("django.utils.timezone.now", return_value=moment):
            self.check_in(self.alice)
            self.check_in(self.bo)
        days = dict(CheckIn.objects.values_list("author__display_name", "local_date"))
        self.assertEqual((days["Alice"].day, days["Bo"].day), (1, 2))
        # An hour later it is 2 March in New York too: a new check-in, not an edit.
        with mock.patch("django.utils.timezone.now", return_value=moment.replace(day=2, hour=6)):
            self.check_in(self.alice)
        self.assertEqual(CheckIn.objects.filter(author=self.alice).count(), 2)

    def test_private_check_ins_stay_private(self):
        self.check_in(self.alice, visibility="private", note="just for me")
        for viewer in (self.bo, self.theo):
            self.login(viewer)
            if viewer == self.bo:
                self.assertNotContains(self.client.get(self.url("recent")), "just for me")
        from django.test import RequestFactory

        from tandem.couples.access import couple_access_or_404

        request = RequestFactory().get("/")
        request.user = self.theo
        request.session = signed_in_session(self.theo)  # therapists need a session past two-factor
        self.assertFalse(couple_access_or_404(request, self.couple.pk).entries(CheckIn).exists())

    def test_care_team_only_with_a_linked_therapist(self):
        self.check_in(self.alice, visibility="care_team")
        self.assertEqual(CheckIn.objects.get().visibility, "care_team")
        self.link.status = "ended"
        self.link.save()
        response = self.check_in(self.bo, visibility="care_team")
        self.assertContains(response, "Choose who sees this check-in")
        self.assertFalse(CheckIn.objects.filter(author=self.bo).exists())

    def test_bad_input_saves_nothing_and_keeps_the_rest(self):
        cases = [
            ({"mood": "7"}, "“Mood” goes from 1 to 5"),
            ({"stress": ""}, "Pick a number from 1 to 5 for “Stress”"),
            ({"capacity": ["talk", "sleeping"]}, "isn&#x27;t one of the choices"),
            ({"note": "x" * 501}, "under 500 characters (it has 501)"),
            ({"changed": "weather"}, "Choose one of the listed changes"),
        ]
        for change, message in cases:
            with self.subTest(change=change):
                response = self.check_in(self.alice, **change)
                self.assertContains(response, message)
                self.assertContains(response, "A good walk at lunch" if "note" not in change else "x" * 501)
        self.assertFalse(CheckIn.objects.exists())

    def test_a_failed_edit_keeps_the_saved_check_in(self):
        self.check_in(self.alice)
        self.check_in(self.alice, mood="9", note="changed my mind")
        checkin = CheckIn.objects.get()
        self.assertEqual((checkin.mood, checkin.note), (4, "A good walk at lunch"))

    def test_desire_can_be_turned_off(self):
        Schedule.objects.create(user=self.alice, track_desire=False)
        self.login(self.alice)
        self.assertNotContains(self.client.get(self.url()), 'name="desire"')
        self.check_in(self.alice, desire="5")
        self.assertIsNone(CheckIn.objects.get().desire)


class CapacityOverlapTests(TandemTestCase):
    def check_in(self, user, capacity, visibility="shared"):
        self.login(user)
        self.client.post(
            reverse("checkins:today", args=[self.couple.pk]), {**GOOD, "capacity": capacity, "visibility": visibility}
        )

    def overlap_text(self, viewer):
        self.login(viewer)
        return self.client.get(reverse("checkins:recent", args=[self.couple.pk])).content.decode()

    def test_both_have_room_for(self):
        self.check_in(self.alice, ["talk", "affection", "play"])
        self.check_in(self.bo, ["affection", "talk"])
        text = self.overlap_text(self.alice)
        self.assertIn("You both have room for:", text)
        self.assertIn("<strong>talk, affection</strong>", text)

    def test_rest_never_reads_as_rejection(self):
        self.check_in(self.alice, ["talk", "intimacy"])
        self.check_in(self.bo, ["rest"])
        text = self.overlap_text(self.alice)
        self.assertIn("Rest is a good plan, never a rejection", text)
        self.assertIn("No shared room today, and that", text)

    def test_a_private_check_in_is_not_in_the_overlap(self):
        self.check_in(self.alice, ["talk"])
        self.check_in(self.bo, ["talk"], visibility="private")
        self.assertIn("hasn't shared a check-in today", self.overlap_text(self.alice))


class RapidTests(TandemTestCase):
    def test_one_tap_with_a_need(self):
        self.login(self.alice)
        url = reverse("checkins:rapid", args=[self.couple.pk])
        response = self.client.post(url, {"colour": "amber", "need": "a quiet evening", "visibility": "shared"})
        self.assertRedirects(response, reverse("checkins:recent", args=[self.couple.pk]))
        self.login(self.bo)
        self.assertContains(self.client.get(reverse("checkins:recent", args=[self.couple.pk])), "a quiet evening")

    def test_bad_input(self):
        self.login(self.alice)
        url = reverse("checkins:rapid", args=[self.couple.pk])
        self.assertContains(
            self.client.post(url, {"colour": "purple", "visibility": "shared"}), "Tap green, amber or red"
        )
        response = self.client.post(url, {"colour": "red", "need": "n" * 141, "visibility": "shared"})
        self.assertContains(response, "under 140 characters")
        self.assertFalse(RapidCheckIn.objects.exists())


class HistoryCardsTests(TandemTestCase):
    """Recent check-ins read as cards: scores in words' company, room for in words, the note whole."""

    def test_each_check_in_is_a_card_with_its_scores_room_and_note(self):
        CheckIn.objects.create(
            couple=self.couple,
            author=self.bo,
            local_date=self.bo.today(),
            mood=4,
            energy=3,
            stress=2,
            closeness=5,
            capacity=["rest", "talk"],
            note="Slept badly, be gentle",
            visibility="shared",
        )
        self.login(self.alice)
        page = self.client.get(reverse("checkins:recent", args=[self.couple.pk])).content.decode()
        self.assertNotIn("<table", page)
        self.assertEqual(page.count('data-testid="checkin"'), 1)
        self.assertIn("<dt>Closeness</dt><dd>5</dd>", page)
        # In the list's order and in words, "rest / space" rather than the stored "rest".
        self.assertIn("Room for: talk, rest / space", page)
        self.assertIn('<p class="checkin-note">Slept badly, be gentle</p>', page)
