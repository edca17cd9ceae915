"""Finding time when both are free, without showing either one's free times."""

import datetime as dt

from django.urls import reverse

from tandem.blocks import finding
from tandem.blocks.models import FreeTime
from tandem.testkit.base import TandemTestCase, make_block

UTC = dt.UTC
NOW = dt.datetime(2030, 1, 1, 12, 0, tzinfo=UTC)  # a Tuesday in winter: no DST change in the next two weeks


class SuggestTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alice.time_zone = "Europe/Berlin"  # UTC+1 in January
        cls.alice.save()
        cls.bo.time_zone = "America/New_York"  # UTC-5 in January
        cls.bo.save()

    def free(self, person, weekday, start, end):
        FreeTime.objects.create(user=person, weekday=weekday, start_time=start, end_time=end)

    def test_slots_where_both_are_free_in_their_own_zones(self):
        self.free(self.alice, 0, dt.time(18), dt.time(22))  # Monday evening in Berlin: 17-21 UTC
        self.free(self.bo, 0, dt.time(13), dt.time(17))  # Monday afternoon in New York: 18-22 UTC
        slots = finding.suggest(self.couple, self.alice, self.bo, 60, now=NOW)
        self.assertEqual(
            [(s.start, s.end) for s in slots],
            [
                # Both free 18-21 UTC: a start on the hour in the middle, not at the window's edge.
                (dt.datetime(2030, 1, 7, 19, tzinfo=UTC), dt.datetime(2030, 1, 7, 20, tzinfo=UTC)),
                (dt.datetime(2030, 1, 14, 19, tzinfo=UTC), dt.datetime(2030, 1, 14, 20, tzinfo=UTC)),
            ],
        )
        # The same answer whoever asks.
        self.assertEqual(finding.suggest(self.couple, self.bo, self.alice, 60, now=NOW), slots)

    def test_too_short_an_overlap_gives_nothing(self):
        self.free(self.alice, 0, dt.time(18), dt.time(19, 30))  # 17:00-18:30 UTC
        self.free(self.bo, 0, dt.time(13), dt.time(17))  # 18:00-22:00 UTC: 30 minutes overlap
        self.assertEqual(finding.suggest(self.couple, self.alice, self.bo, 60, now=NOW), [])
        self.assertEqual(len(finding.suggest(self.couple, self.alice, self.bo, 30, now=NOW)), 2)

    def test_planned_blocks_are_taken_out(self):
        self.free(self.alice, 0, dt.time(18), dt.time(22))
        self.free(self.bo, 0, dt.time(13), dt.time(17))
        # Already planned: Monday 7 January, 19:00-20:00 Berlin (18-19 UTC).
        make_block(
            self.couple, self.alice, start_date=dt.date(2030, 1, 7), start_time=dt.time(19), time_zone="Europe/Berlin"
        )
        slots = finding.suggest(self.couple, self.alice, self.bo, 60, now=NOW)
        self.assertEqual(slots[0].start, dt.datetime(2030, 1, 7, 20, tzinfo=UTC))  # 19-21 left: 19 or 20

    def test_a_slot_never_starts_at_the_edge_of_a_long_shared_window(self):
        self.free(self.alice, 0, dt.time(6), dt.time(23))
        self.free(self.bo, 0, dt.time(8, 10), dt.time(16, 50))  # 13:10-21:50 UTC
        (first, *_rest) = finding.suggest(self.couple, self.alice, self.bo, 60, now=NOW)
        self.assertEqual(first.start, dt.datetime(2030, 1, 7, 17, tzinfo=UTC))  # starts 14..20: the middle
        self.assertNotEqual(first.start.minute, 10)

    def test_windows_of_the_other_couple_do_not_count(self):
        self.free(self.alice, 0, dt.time(18), dt.time(22))
        self.free(self.olga, 0, dt.time(0), dt.time(23, 59))
        self.assertEqual(finding.suggest(self.couple, self.alice, self.bo, 60, now=NOW), [])


class FindPageTests(TandemTestCase):
    def url(self, minutes="60"):
        return reverse("blocks:find", args=[self.couple.pk]) + f"?minutes={minutes}"

    def test_no_overlap_gives_a_clear_message(self):
        FreeTime.objects.create(user=self.alice, weekday=0, start_time=dt.time(8), end_time=dt.time(9))
        FreeTime.objects.create(user=self.bo, weekday=3, start_time=dt.time(20), end_time=dt.time(21))
        self.login(self.alice)
        page = self.client.get(self.url())
        self.assertContains(page, 'data-testid="no-overlap"')
        self.assertContains(page, "No time in the next two weeks suits you both")

    def test_without_my_own_free_times_it_asks_for_them_first(self):
        self.login(self.alice)
        self.assertContains(self.client.get(self.url()), "First add the times you're usually free")

    def test_the_partners_free_times_never_appear(self):
        FreeTime.objects.create(user=self.alice, weekday=0, start_time=dt.time(6), end_time=dt.time(23))
        FreeTime.objects.create(user=self.bo, weekday=0, start_time=dt.time(17, 10), end_time=dt.time(21, 50))
        self.login(self.alice)
        page = self.client.get(self.url()).content.decode()
        self.assertNotIn("21:50", page)
        self.assertIn('data-testid="slot"', page)
        mine = self.client.get(reverse("blocks:free_times")).content.decode()
        self.assertNotIn("17:10", mine)
        self.assertIn("06:00", mine)

    def test_bad_length_gives_a_clear_message(self):
        FreeTime.objects.create(user=self.alice, weekday=0, start_time=dt.time(6), end_time=dt.time(23))
        self.login(self.alice)
        self.assertContains(self.client.get(self.url("7")), "Choose how long from the list")


class FreeTimeFormTests(TandemTestCase):
    def post(self, **data):
        self.login(self.alice)
        return self.client.post(reverse("blocks:free_times"), data)

    def test_adding_and_removing(self):
        response = self.post(weekday="2", start_time="18:00", end_time="21:00")
        self.assertRedirects(response, reverse("blocks:free_times"))
        window = FreeTime.objects.get(user=self.alice)
        self.assertEqual((window.weekday, window.start_time), (2, dt.time(18)))
        self.post(action="remove", id=str(window.pk))
        self.assertFalse(FreeTime.objects.exists())

    def test_bad_input_gives_a_clear_message_and_keeps_what_was_saved(self):
        kept = FreeTime.objects.create(user=self.alice, weekday=1, start_time=dt.time(7), end_time=dt.time(8))
        for data, message in [
            ({"weekday": "2", "start_time": "21:00", "end_time": "18:00"}, "The end is not after the start"),
            ({"weekday": "9", "start_time": "18:00", "end_time": "21:00"}, "Choose a day of the week"),
            ({"weekday": "2", "start_time": "six", "end_time": "21:00"}, "Enter the start as HH:MM"),
            ({"weekday": "2", "start_time": "18:00"}, "Choose an end time"),
        ]:
            with self.subTest(data=data):
                self.assertContains(self.post(**data), message)
        self.assertEqual(list(FreeTime.objects.all()), [kept])

    def test_no_one_can_remove_someone_elses_free_time(self):
        theirs = FreeTime.objects.create(user=self.bo, weekday=1, start_time=dt.time(7), end_time=dt.time(8))
        response = self.client.post(reverse("blocks:free_times"), {"action": "remove", "id": str(theirs.pk)})
        self.assertEqual(response.status_code, 401)  # signed out: "not saved yet", nothing removed
        self.login(self.alice)
        response = self.client.post(
            reverse("blocks:free_times"), {"action": "remove", "id": str(theirs.pk)}, follow=True
        )
        self.assertContains(response, "already gone")
        self.assertTrue(FreeTime.objects.filter(pk=theirs.pk).exists())
