"""Planning blocks together: propose, accept, change, skip, end; bad input."""

import datetime as dt
import re

from django.urls import reverse
from django.utils import timezone

from tandem.blocks import recurrence, services
from tandem.blocks.models import Block, Skip
from tandem.testkit.base import TandemTestCase, make_assignment, make_block


def future(days: int = 5) -> dt.date:
    return timezone.now().date() + dt.timedelta(days=days)


def form_data(**changes) -> dict:
    data = {
        "kind": "conversation",
        "date": future().isoformat(),
        "start": "19:30",
        "end": "20:15",
        "time_zone": "Europe/Berlin",
        "repeat": "none",
        "interval": "1",
        "ends": "never",
    }
    data.update(changes)
    return data


class ProposeAcceptTests(TandemTestCase):
    def plan_url(self):
        return reverse("blocks:plan", args=[self.couple.pk])

    def act(self, user, block, action, **data):
        self.login(user)
        return self.client.post(reverse("blocks:act", args=[self.couple.pk, block.pk, action]), data)

    def test_a_proposal_becomes_active_only_when_the_other_partner_accepts(self):
        self.login(self.alice)
        response = self.client.post(self.plan_url(), form_data())
        self.assertRedirects(response, reverse("blocks:agenda", args=[self.couple.pk]))
        block = Block.objects.get(couple=self.couple)
        self.assertEqual(block.status, Block.Status.PROPOSED)
        self.assertEqual(block.duration_minutes, 45)
        self.assertEqual(block.proposed_by, self.alice)

        self.act(self.alice, block, "accept")  # the proposer can't accept their own
        block.refresh_from_db()
        self.assertEqual(block.status, Block.Status.PROPOSED)

        self.act(self.bo, block, "accept")
        block.refresh_from_db()
        self.assertEqual(block.status, Block.Status.ACTIVE)
        self.assertIsNotNone(block.accepted_at)

    def test_the_partner_can_decline_and_the_proposer_withdraw(self):
        declined = make_block(self.couple, self.alice, status="proposed")
        self.act(self.alice, declined, "decline")
        declined.refresh_from_db()
        self.assertEqual(declined.status, Block.Status.PROPOSED)
        self.act(self.bo, declined, "decline")
        declined.refresh_from_db()
        self.assertEqual(declined.status, Block.Status.SET_ASIDE)

        withdrawn = make_block(self.couple, self.alice, status="proposed")
        self.act(self.bo, withdrawn, "withdraw")
        withdrawn.refresh_from_db()
        self.assertEqual(withdrawn.status, Block.Status.PROPOSED)
        self.act(self.alice, withdrawn, "withdraw")
        withdrawn.refresh_from_db()
        self.assertEqual(withdrawn.status, Block.Status.WITHDRAWN)

    def test_a_proposal_whose_time_has_passed_cannot_be_accepted(self):
        old = make_block(self.couple, self.alice, status="proposed", days_ahead=1)
        later = timezone.now() + dt.timedelta(days=3)
        with self.assertRaisesMessage(services.BlockError, "already passed"):
            services.accept(old, self.bo, now=later)

    def test_a_change_takes_effect_only_when_accepted_and_keeps_the_block_id(self):
        block = make_block(self.couple, self.alice, weekdays="MO,TU,WE,TH,FR,SA,SU")
        self.login(self.bo)
        response = self.client.post(
            reverse("blocks:change", args=[self.couple.pk, block.pk]),
            form_data(start="20:00", end="21:00", repeat="weekly", weekdays=["MO", "TU", "WE", "TH", "FR", "SA", "SU"]),
        )
        self.assertRedirects(response, reverse("blocks:block", args=[self.couple.pk, block.pk]))
        change = block.changes.get()
        block.refresh_from_db()
        self.assertEqual(block.start_time, dt.time(19, 30))  # unchanged until accepted
        self.assertEqual(block.sequence, 0)

        self.act(self.bo, change, "accept")  # the proposer of the change can't accept it
        self.assertTrue(Block.objects.filter(pk=change.pk).exists())
        self.act(self.alice, change, "accept")
        block.refresh_from_db()
        self.assertEqual(block.start_time, dt.time(20, 0))
        self.assertEqual(block.time_zone, "Europe/Berlin")
        self.assertEqual(block.sequence, 1)
        self.assertEqual(block.status, Block.Status.ACTIVE)
        self.assertFalse(Block.objects.filter(pk=change.pk).exists())

    def test_either_partner_ends_a_block_at_once(self):
        block = make_block(self.couple, self.alice)
        self.act(self.bo, block, "end")
        block.refresh_from_db()
        self.assertEqual(block.status, Block.Status.ENDED)

    def test_unknown_action_is_404_and_get_is_405(self):
        block = make_block(self.couple, self.alice)
        self.assertEqual(self.act(self.alice, block, "delete").status_code, 404)
        self.assertEqual(
            self.client.get(reverse("blocks:act", args=[self.couple.pk, block.pk, "end"])).status_code, 405
        )

    def test_a_single_partner_cannot_plan(self):
        from tandem.testkit.base import make_couple, make_person

        solo = make_person("solo@example.org", "Sol")
        couple = make_couple(solo)
        self.login(solo)
        response = self.client.post(reverse("blocks:plan", args=[couple.pk]), form_data(), follow=True)
        self.assertContains(response, "invite your partner first")
        self.assertFalse(Block.objects.filter(couple=couple).exists())


class SkipTests(TandemTestCase):
    def setUp(self):
        self.block = make_block(self.couple, self.alice, weekdays="MO,TU,WE,TH,FR,SA,SU")
        self.day = self.block.start_date + dt.timedelta(days=1)

    def post(self, user, action, day):
        self.login(user)
        return self.client.post(
            reverse("blocks:act", args=[self.couple.pk, self.block.pk, action]), {"date": str(day)}, follow=True
        )

    def test_skipping_one_occurrence_keeps_the_series(self):
        response = self.post(self.bo, "skip", self.day)
        self.assertContains(response, "Skipped this time")
        skip = Skip.objects.get(block=self.block)
        self.assertEqual(skip.occurrence_date, self.day)
        self.block.refresh_from_db()
        self.assertEqual(self.block.status, Block.Status.ACTIVE)
        start = timezone.now()
        listed = recurrence.occurrences(self.block, start, start + dt.timedelta(days=10))
        self.assertNotIn(self.day, [o.local_date for o in listed])
        self.assertIn(self.day + dt.timedelta(days=1), [o.local_date for o in listed])

    def test_skip_asks_no_reason_and_the_partner_sees_no_name(self):
        self.post(self.bo, "skip", self.day)
        self.login(self.alice)
        page = self.client.get(reverse("blocks:block", args=[self.couple.pk, self.block.pk]))
        self.assertContains(page, "skipped this time")
        self.assertNotContains(page, "Bo skipped")
        self.assertNotContains(page, "Bring it back")  # only Bo can

    def test_only_the_person_who_skipped_can_bring_it_back(self):
        self.post(self.bo, "skip", self.day)
        response = self.post(self.alice, "unskip", self.day)
        self.assertContains(response, "Only the person who skipped")
        self.assertTrue(Skip.objects.filter(block=self.block).exists())
        self.post(self.bo, "unskip", self.day)
        self.assertFalse(Skip.objects.filter(block=self.block).exists())

    def test_bad_skip_dates_give_a_clear_message_and_save_nothing(self):
        once = make_block(self.couple, self.alice)
        self.login(self.alice)
        for day, message in [
            ("not-a-date", "That date isn&#x27;t valid"),
            ("", "That date isn&#x27;t valid"),
            (str(once.start_date + dt.timedelta(days=1)), "doesn&#x27;t happen on that day"),
            (str(once.start_date - dt.timedelta(days=30)), "doesn&#x27;t happen on that day"),
        ]:
            with self.subTest(day=day):
                response = self.client.post(
                    reverse("blocks:act", args=[self.couple.pk, once.pk, "skip"]), {"date": day}, follow=True
                )
                self.assertContains(response, message)
        self.assertFalse(Skip.objects.exists())

    def test_a_past_occurrence_cannot_be_skipped(self):
        later = timezone.now() + dt.timedelta(days=10)
        with self.assertRaisesMessage(services.BlockError, "already passed"):
            services.skip(self.block, self.bo, self.day, now=later)


class BadInputTests(TandemTestCase):
    def post(self, **changes):
        self.login(self.alice)
        return self.client.post(reverse("blocks:plan", args=[self.couple.pk]), form_data(**changes))

    def test_bad_input_gives_a_clear_message_and_saves_nothing(self):
        past = (timezone.now().date() - dt.timedelta(days=2)).isoformat()
        monday = future(7 - future(0).weekday() + 7)  # a Monday at least a week ahead
        cases = [
            ({"end": "19:00"}, "The end is not after the start"),
            ({"end": "19:30"}, "The end is not after the start"),
            ({"end": "19:32"}, "at least 5 minutes"),
            ({"start": "07:00", "end": "19:30"}, "under 8 hours"),
            ({"date": past}, "That time has already passed"),
            ({"date": "31/12/2030"}, "Enter the date as YYYY-MM-DD"),
            ({"date": "2026-02-30"}, "2026-02-30 isn&#x27;t a real date: February 2026 has 28 days"),
            ({"date": "2030-13-01"}, "2030-13-01 isn&#x27;t a real date: months go from 01 to 12"),
            ({"start": "25:00"}, "Enter the start as HH:MM"),
            ({"time_zone": "Mars/Olympus"}, "Choose a time zone from the list"),
            ({"kind": "secret"}, "Choose what the time is for"),
            ({"repeat": "daily"}, "just once"),
            ({"repeat": "weekly"}, "Choose the days it repeats on"),
            ({"repeat": "weekly", "weekdays": ["XX"]}, "isn&#x27;t a day of the week"),
            ({"repeat": "weekly", "date": str(monday), "weekdays": ["TU"]}, "The first date is a Monday"),
            ({"repeat": "weekly", "date": str(monday), "weekdays": ["MO"], "interval": "0"}, "every 1 to 4 weeks"),
            ({"repeat": "weekly", "date": str(monday), "weekdays": ["MO"], "interval": "9"}, "every 1 to 4 weeks"),
            ({"repeat": "weekly", "date": str(monday), "weekdays": ["MO"], "interval": "x"}, "whole number of weeks"),
            ({"repeat": "weekly", "date": str(monday), "weekdays": ["MO"], "ends": "until"}, "Choose the last date"),
            (
                {"repeat": "weekly", "date": str(monday), "weekdays": ["MO"], "ends": "until", "until": "2031-04-31"},
                "2031-04-31 isn&#x27;t a real date: April 2031 has 30 days",
            ),
            (
                {"repeat": "weekly", "date": str(monday), "weekdays": ["MO"], "ends": "until", "until": past},
                "The last date is before the first date",
            ),
            ({"repeat": "weekly", "date": str(monday), "weekdays": ["MO"], "ends": "count"}, "Say how many times"),
            (
                {"repeat": "weekly", "date": str(monday), "weekdays": ["MO"], "ends": "count", "count": "0"},
                "at least once",
            ),
            (
                {"repeat": "weekly", "date": str(monday), "weekdays": ["MO"], "ends": "sometime"},
                "how the repeating ends",
            ),
            ({"assignment": "999999"}, "isn&#x27;t one of your open assignments"),
        ]
        for changes, message in cases:
            with self.subTest(changes=changes):
                response = self.post(**changes)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, message)
        self.assertFalse(Block.objects.exists())

    def test_a_repeating_block_is_stored_as_a_valid_rule(self):
        monday = future(7 - future(0).weekday() + 7)
        response = self.post(
            repeat="weekly", date=str(monday), weekdays=["TH", "MO"], interval="2", ends="count", count="6"
        )
        self.assertEqual(response.status_code, 302)
        block = Block.objects.get()
        self.assertEqual(block.weekdays, "MO,TH")
        self.assertEqual((block.interval, block.count, block.until), (2, 6, None))

    def test_closeness_is_offered_only_when_both_opted_into_touch(self):
        self.login(self.alice)
        page = self.client.get(reverse("blocks:plan", args=[self.couple.pk]))
        self.assertNotContains(page, 'value="closeness"')
        self.assertContains(self.post(kind="closeness"), "Choose what the time is for")
        for person in (self.alice, self.bo):
            person.consent_level = 1
            person.save()
        page = self.client.get(reverse("blocks:plan", args=[self.couple.pk]))
        self.assertContains(page, 'value="closeness"')

    def test_find_time_prefills_the_plan_form(self):
        self.login(self.alice)
        page = self.client.get(reverse("blocks:plan", args=[self.couple.pk]) + "?date=2030-01-07&start=19:00&end=20:00")
        self.assertContains(page, 'value="2030-01-07"')
        self.assertContains(page, 'value="19:00"')


class AgendaTests(TandemTestCase):
    def test_agenda_shows_four_weeks_in_the_viewers_zone(self):
        self.alice.time_zone = "Europe/Berlin"
        self.alice.save()
        self.bo.time_zone = "America/New_York"
        self.bo.save()
        make_block(self.couple, self.alice, weekdays="MO,TU,WE,TH,FR,SA,SU")
        self.login(self.alice)
        page = self.client.get(reverse("blocks:agenda", args=[self.couple.pk]))
        self.assertContains(page, "19:30\u201320:30")
        self.login(self.bo)
        page = self.client.get(reverse("blocks:agenda", args=[self.couple.pk]))
        self.assertNotContains(page, "19:30\u201320:30")
        self.assertContains(page, ":30\u201314:30")  # 13:30 or 14:30 in New York, by the season

    def test_agenda_query_count_does_not_grow_with_blocks(self):
        self.login(self.alice)
        make_block(self.couple, self.alice, weekdays="MO,WE")
        url = reverse("blocks:agenda", args=[self.couple.pk])
        self.client.get(url)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as few:
            self.client.get(url)
        for n in range(20):
            make_block(self.couple, self.bo, days_ahead=n % 10 + 1, weekdays="MO,TU")
        with self.assertNumQueries(len(few)):
            self.client.get(url)

    def test_home_shows_the_week(self):
        make_block(self.couple, self.alice, days_ahead=2)
        self.login(self.bo)
        page = self.client.get("/")
        self.assertContains(page, 'data-testid="week"')
        self.assertContains(page, "Conversation")

    def test_therapist_and_outsiders_get_404_on_the_calendar(self):
        block = make_block(self.couple, self.alice)
        for person in [*self.outsiders, self.theo]:
            self.login(person)
            for url in (
                reverse("blocks:agenda", args=[self.couple.pk]),
                reverse("blocks:block", args=[self.couple.pk, block.pk]),
                reverse("blocks:find", args=[self.couple.pk]),
            ):
                with self.subTest(person=person.display_name, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_block_of_another_couple_is_404_through_my_couple(self):
        theirs = make_block(self.other_couple, self.olga)
        self.login(self.alice)
        url = reverse("blocks:block", args=[self.couple.pk, theirs.pk])
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertEqual(
            self.client.post(reverse("blocks:act", args=[self.couple.pk, theirs.pk, "end"])).status_code, 404
        )
        theirs.refresh_from_db()
        self.assertEqual(theirs.status, Block.Status.ACTIVE)


class ChangeFormTests(TandemTestCase):
    def test_a_change_to_a_series_under_way_starts_from_its_next_time(self):
        from tandem.blocks.forms import BlockForm

        block = make_block(self.couple, self.alice, weekdays="MO,TU,WE,TH,FR,SA,SU", count=10, days_ahead=1)
        later = block.first_start + dt.timedelta(days=3, hours=2)  # four times are over
        initial = BlockForm.initial_for(block, now=later)
        self.assertEqual(initial["date"], block.start_date + dt.timedelta(days=4))
        self.assertEqual(initial["count"], 6)


class PlanFormShowsWhatIsNeededTests(TandemTestCase):
    """The block form opens on what most blocks need; the zone and repeating are one tap away."""

    def setUp(self):
        self.login(self.alice)
        self.url = reverse("blocks:plan", args=[self.couple.pk])

    def details(self, page: str, testid: str) -> str:
        match = re.search(rf'<details class="more"( open)? data-testid="{testid}">', page)
        self.assertIsNotNone(match, testid)
        return "open" if match.group(1) else "closed"

    def test_a_new_block_opens_with_zone_and_repeat_closed_and_the_zone_is_mine(self):
        page = self.client.get(self.url).content.decode()
        self.assertEqual(self.details(page, "zone"), "closed")
        self.assertEqual(self.details(page, "repeat"), "closed")
        self.assertIn(f"Time zone: {self.alice.time_zone}", page)
        # A searchable box with the zones as suggestions, not a 600-line select.
        self.assertRegex(page, r'<input type="text" name="time_zone" value="[^"]+" list="time-zones"')
        self.assertIn('<datalist id="time-zones">', page)
        self.assertNotIn('<select name="time_zone"', page)

    def test_no_open_homework_no_homework_box(self):
        self.assertNotContains(self.client.get(self.url), "Homework (optional)")
        make_assignment(self.couple, "reflective-listening", by=self.alice)
        self.assertContains(self.client.get(self.url), "Homework (optional)")

    def test_a_refused_form_opens_what_holds_something_or_needs_a_look(self):
        day = (self.alice.today() + dt.timedelta(days=3)).isoformat()
        data = {
            "kind": "conversation",
            "date": day,
            "start": "19:00",
            "end": "20:00",
            "time_zone": "Nowhere/Atlantis",
            "ends": "never",
        }
        page = self.client.post(self.url, {**data, "repeat": "weekly"}).content.decode()
        self.assertEqual(self.details(page, "zone"), "open")
        self.assertEqual(self.details(page, "repeat"), "open")
        self.assertIn("Choose a time zone from the list.", page)
        self.assertIn("Choose the days it repeats on.", page)
        page = self.client.post(self.url, {**data, "time_zone": "Asia/Tokyo", "end": "18:00", "repeat": "none"})
        page = page.content.decode()
        self.assertEqual(self.details(page, "zone"), "open")  # not my own zone: shown as chosen
        self.assertEqual(self.details(page, "repeat"), "closed")
