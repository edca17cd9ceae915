"""Calendar feeds: valid RFC 5545, neutral by default, revocable at once."""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zoneinfo

import icalendar
from dateutil import rrule as du
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.blocks import recurrence
from tandem.blocks.models import Block, CalendarSettings, Feed, Skip
from tandem.couples.models import Membership
from tandem.couples.services import leave_couple
from tandem.testkit.base import TandemTestCase, make_assignment

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = dt.UTC
KIND_LABELS = ["Conversation", "Shared activity", "Closeness", "Check-in", "Homework"]


def last_sunday_of(year: int, month: int) -> dt.date:
    day = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return day - dt.timedelta(days=(day.weekday() - 6) % 7)


def make_block(couple, by, **fields) -> Block:
    plan = {
        "couple": couple,
        "proposed_by": by,
        "status": Block.Status.ACTIVE,
        "start_date": timezone.now().date() + dt.timedelta(days=10),
        "start_time": dt.time(19, 30),
        "duration_minutes": 60,
        "time_zone": "Europe/Berlin",
        "weekdays": "",
        "interval": 1,
        "until": None,
        "count": None,
    }
    plan.update(fields)
    return Block.objects.create(**plan)


def events(body: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


class FeedCase(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # A start two weeks before the spring-forward Sunday: eight weeks of
        # a fortnightly Monday/Wednesday block cross the change.
        cls.dst_change = last_sunday_of(timezone.now().year + 1, 3)
        cls.first_monday = cls.dst_change - dt.timedelta(days=6 + 14)
        cls.weekly = make_block(
            cls.couple,
            cls.alice,
            kind=Block.Kind.CLOSENESS,
            start_date=cls.first_monday,
            weekdays="MO,WE",
            interval=2,
            until=cls.first_monday + dt.timedelta(days=70),
        )
        cls.skips = [cls.first_monday + dt.timedelta(days=2), cls.first_monday + dt.timedelta(days=14)]
        for day in cls.skips:
            Skip.objects.create(block=cls.weekly, occurrence_date=day, skipped_by=cls.bo)
        cls.assignment = make_assignment(cls.couple)
        cls.once = make_block(
            cls.couple, cls.bo, kind=Block.Kind.HOMEWORK, assignment=cls.assignment, start_time=dt.time(8, 15)
        )
        cls.counted = make_block(
            cls.couple, cls.alice, kind=Block.Kind.CONVERSATION, weekdays="FR", count=6, time_zone="America/New_York"
        )
        # Never in the feed: not planned, or not this couple's.
        cls.absent = [
            make_block(cls.couple, cls.alice, status=Block.Status.PROPOSED),
            make_block(cls.couple, cls.alice, status=Block.Status.SET_ASIDE),
            make_block(cls.couple, cls.alice, status=Block.Status.ENDED),
            make_block(cls.couple, cls.alice, status=Block.Status.WITHDRAWN),
            make_block(cls.other_couple, cls.olga),
        ]

    def setUp(self):
        self.feed, self.token = Feed.issue(self.alice, self.couple)

    def url(self, token: str | None = None) -> str:
        return reverse("blocks:feed", args=[token or self.token])

    def get_feed(self, token: str | None = None, **headers):
        return self.client.get(self.url(token), **headers)

    def by_uid(self, body: bytes) -> dict[str, icalendar.Event]:
        return {str(event["UID"]): event for event in events(body)}


class FeedValidityTests(FeedCase):
    def test_calendar_headers_and_properties(self):
        response = self.get_feed()
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
        self.assertEqual(response["Cache-Control"], "private, max-age=300")
        self.assertEqual(response["X-Robots-Tag"], "noindex")
        self.assertEqual(response["Content-Disposition"], 'inline; filename="tandem.ics"')
        cal = icalendar.Calendar.from_ical(response.content)
        self.assertEqual(str(cal["PRODID"]), "-//Tandem//Tandem//EN")
        self.assertEqual(str(cal["VERSION"]), "2.0")
        self.assertEqual(str(cal["CALSCALE"]), "GREGORIAN")
        self.assertEqual(str(cal["METHOD"]), "PUBLISH")
        self.assertEqual(str(cal["X-WR-CALNAME"]), "Tandem")
        self.assertIn(b"\r\nX-PUBLISHED-TTL:PT1H\r\n", response.content)
        for component in cal.walk():
            self.assertEqual(component.errors, [], component.name)
        # CRLF line ends and folded lines, as RFC 5545 requires.
        self.assertTrue(all(len(line) <= 75 for line in response.content.split(b"\r\n")))

    def test_only_the_couples_planned_blocks(self):
        uids = set(self.by_uid(self.get_feed().content))
        self.assertEqual(uids, {f"{b.pk}@tandem" for b in (self.weekly, self.once, self.counted)})

    def test_every_event_has_its_required_properties_and_a_vtimezone(self):
        cal = icalendar.Calendar.from_ical(self.get_feed().content)
        zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
        self.assertEqual(zones, {"Europe/Berlin", "America/New_York"})
        self.assertEqual(cal.get_missing_tzids(), set())
        for event in cal.walk("VEVENT"):
            for name in ("UID", "DTSTAMP", "DTSTART", "DURATION", "SEQUENCE", "LAST-MODIFIED", "SUMMARY"):
                self.assertIn(name, event, name)
            # The length, not a wall-clock end (test_feed_timezones: a fall-back night).
            self.assertNotIn("DTEND", event)
            self.assertEqual(event.decoded("DTSTAMP").utcoffset(), dt.timedelta(0))
            self.assertIn(event["DTSTART"].params["TZID"], zones)
            for exdate in event.get("EXDATE", []):
                self.assertIn(exdate.params["TZID"], zones)
            # Nothing intimate and nobody's address.
            for name in ("DESCRIPTION", "LOCATION", "URL", "ATTENDEE", "ORGANIZER", "CONTACT", "COMMENT"):
                self.assertNotIn(name, event)

    def test_weekly_rule_and_exceptions(self):
        event = self.by_uid(self.get_feed().content)[f"{self.weekly.pk}@tandem"]
        start = event.decoded("DTSTART")
        self.assertEqual(start.replace(tzinfo=None), dt.datetime.combine(self.first_monday, dt.time(19, 30)))
        self.assertEqual(event["DTSTART"].params["TZID"], "Europe/Berlin")
        self.assertEqual(event.decoded("DURATION"), dt.timedelta(minutes=60))
        self.assertEqual(event.decoded("SEQUENCE"), 0)
        rule = event["RRULE"]
        self.assertEqual(rule["FREQ"], ["WEEKLY"])
        self.assertEqual(rule["BYDAY"], ["MO", "WE"])
        self.assertEqual(rule["INTERVAL"], [2])
        self.assertNotIn("COUNT", rule)
        until = rule["UNTIL"][0]
        self.assertEqual(until.utcoffset(), dt.timedelta(0))
        expected_until = dt.datetime.combine(self.weekly.until, dt.time(23, 59, 59), BERLIN).astimezone(UTC)
        self.assertEqual(until, expected_until)
        self.assertIn(b"UNTIL=" + expected_until.strftime("%Y%m%dT%H%M%SZ").encode(), event.to_ical())
        exdates = [value.dt for line in event["EXDATE"] for value in line.dts]
        self.assertEqual(exdates, [dt.datetime.combine(day, dt.time(19, 30), BERLIN) for day in self.skips])
        self.assertTrue(all(str(line.dts[0].params["TZID"]) == "Europe/Berlin" for line in event["EXDATE"]))

    def test_count_rule_and_once_only_block(self):
        found = self.by_uid(self.get_feed().content)
        counted = found[f"{self.counted.pk}@tandem"]
        self.assertEqual(counted["RRULE"]["COUNT"], [6])
        self.assertNotIn("UNTIL", counted["RRULE"])
        self.assertNotIn("INTERVAL", counted["RRULE"])
        self.assertEqual(counted["DTSTART"].params["TZID"], "America/New_York")
        once = found[f"{self.once.pk}@tandem"]
        self.assertNotIn("RRULE", once)
        self.assertNotIn("EXDATE", once)
        self.assertEqual(once.decoded("DTSTART"), dt.datetime.combine(self.once.start_date, dt.time(8, 15), BERLIN))
        self.assertEqual(once.decoded("DURATION"), dt.timedelta(hours=1))

    def expand(self, event, start: dt.datetime, end: dt.datetime) -> list[dt.datetime]:
        """The event's occurrences as an RFC 5545 reader computes them."""
        rules = du.rruleset()
        rules.rrule(du.rrulestr(event["RRULE"].to_ical().decode(), dtstart=event.decoded("DTSTART")))
        for line in event.get("EXDATE", []):
            for value in line.dts:
                rules.exdate(value.dt)
        return [each for each in rules if start <= each < end]

    def test_the_feed_expands_to_the_same_occurrences_across_daylight_saving(self):
        event = self.by_uid(self.get_feed().content)[f"{self.weekly.pk}@tandem"]
        start = dt.datetime.combine(self.first_monday, dt.time.min, BERLIN)
        end = start + dt.timedelta(weeks=8)
        from_feed = self.expand(event, start, end)
        ours = [each.start for each in recurrence.occurrences(self.weekly, start, end)]
        self.assertEqual(from_feed, ours)
        self.assertEqual(len(ours), 8 - len(self.skips))
        # Same wall-clock time on both sides of the change; the UTC instant moves.
        self.assertEqual({each.astimezone(BERLIN).time() for each in from_feed}, {dt.time(19, 30)})
        self.assertEqual({each.utcoffset() for each in from_feed}, {dt.timedelta(hours=1), dt.timedelta(hours=2)})
        self.assertTrue(any(each.date() < self.dst_change for each in from_feed))
        self.assertTrue(any(each.date() > self.dst_change for each in from_feed))

    def test_a_first_date_off_the_weekdays_does_not_add_an_occurrence(self):
        # RFC 5545 always counts DTSTART; the rule does not. The feed starts
        # at the rule's first occurrence so both agree.
        friday = self.first_monday + dt.timedelta(days=4)
        block = make_block(self.couple, self.alice, start_date=friday, weekdays="MO", count=3)
        event = self.by_uid(self.get_feed().content)[f"{block.pk}@tandem"]
        start = dt.datetime.combine(friday, dt.time.min, BERLIN)
        end = start + dt.timedelta(weeks=6)
        self.assertEqual(
            self.expand(event, start, end), [each.start for each in recurrence.occurrences(block, start, end)]
        )
        self.assertEqual(event.decoded("DTSTART").weekday(), 0)

    def test_the_database_refuses_both_until_and_count(self):
        # RFC 5545 allows only one of them; the form never sends both.
        from django.db import IntegrityError, transaction

        with self.assertRaises(IntegrityError), transaction.atomic(), warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # dateutil agrees: it will refuse both
            make_block(
                self.couple,
                self.alice,
                start_date=self.first_monday,
                weekdays="MO",
                count=10,
                until=self.first_monday + dt.timedelta(days=15),
            )

    def test_a_utc_block_is_written_in_utc(self):
        block = make_block(self.couple, self.alice, time_zone="UTC", weekdays="TU", count=2)
        event = self.by_uid(self.get_feed().content)[f"{block.pk}@tandem"]
        self.assertEqual(event.decoded("DTSTART").utcoffset(), dt.timedelta(0))
        self.assertIn(b"DTSTART:", event.to_ical())

    def test_a_feed_without_blocks_is_still_a_valid_calendar(self):
        self.absent[-1].delete()
        _feed, token = Feed.issue(self.olga, self.other_couple)
        cal = icalendar.Calendar.from_ical(self.get_feed(token).content)
        self.assertEqual(cal.walk("VEVENT"), [])
        self.assertEqual([str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")], ["UTC"])  # RFC 5545: 1*component

    def test_head_and_other_methods(self):
        response = self.client.head(self.url())
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"")
        self.assertEqual(self.client.post(self.url()).status_code, 405)


class WordingTests(FeedCase):
    def assert_neutral(self, body: bytes) -> None:
        text = body.decode()
        for event in events(body):
            self.assertEqual(str(event["SUMMARY"]), "Time together")
        for label in [*KIND_LABELS, self.assignment.exercise.title]:
            self.assertNotIn(label, text)

    def test_neutral_by_default_in_every_feed(self):
        self.assert_neutral(self.get_feed().content)
        _feed, bo_token = Feed.issue(self.bo, self.couple)
        self.assert_neutral(self.get_feed(bo_token).content)
        self.login(self.alice)
        for block in (self.weekly, self.once, self.counted):
            self.assert_neutral(self.client.get(reverse("blocks:block_ics", args=[self.couple.pk, block.pk])).content)

    def test_detailed_when_the_person_opted_in(self):
        CalendarSettings.objects.create(user=self.alice, detailed_wording=True)
        found = self.by_uid(self.get_feed().content)
        self.assertEqual(str(found[f"{self.weekly.pk}@tandem"]["SUMMARY"]), "Closeness")
        self.assertEqual(str(found[f"{self.counted.pk}@tandem"]["SUMMARY"]), "Conversation")
        self.assertEqual(str(found[f"{self.once.pk}@tandem"]["SUMMARY"]), f"Homework: {self.assignment.exercise.title}")
        # Only for the person who chose it.
        _feed, bo_token = Feed.issue(self.bo, self.couple)
        self.assert_neutral(self.get_feed(bo_token).content)

    def test_no_addresses_or_names(self):
        CalendarSettings.objects.create(user=self.alice, detailed_wording=True)
        text = self.get_feed().content.decode()
        self.assertNotIn("@example.org", text)
        self.assertIsNone(re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text))
        for person in (self.alice, self.bo, self.theo):
            self.assertIsNone(re.search(rf"\b{person.display_name}\b", text), person.display_name)


class QueryTests(FeedCase):
    def test_constant_number_of_queries(self):
        with CaptureQueriesContext(connection) as few:
            self.assertEqual(self.get_feed().status_code, 200)
        for n in range(200):
            block = make_block(
                self.couple,
                self.alice,
                kind=Block.Kind.HOMEWORK if n % 2 else Block.Kind.ACTIVITY,
                assignment=self.assignment if n % 2 else None,
                start_date=self.first_monday,
                weekdays="MO,TH",
                count=n % 9 + 1,
            )
            Skip.objects.create(block=block, occurrence_date=self.first_monday, skipped_by=self.alice)
        with self.assertNumQueries(len(few.captured_queries)):
            response = self.get_feed()
        self.assertEqual(len(events(response.content)), 203)
        self.assertLessEqual(len(few.captured_queries), 4)


class RevocationTests(FeedCase):
    def test_unknown_token_is_404(self):
        self.assertEqual(self.get_feed("x" * 43).status_code, 404)
        self.assertEqual(self.get_feed(self.token[:-1]).status_code, 404)

    def test_revoking_on_the_page_ends_the_old_url_at_once(self):
        self.assertEqual(self.get_feed().status_code, 200)
        self.login(self.alice)
        response = self.client.post(reverse("blocks:feed_settings", args=[self.couple.pk]), {"action": "revoke"})
        self.assertRedirects(response, reverse("blocks:feed_settings", args=[self.couple.pk]))
        self.client.logout()
        self.assertEqual(self.get_feed().status_code, 404)
        self.assertFalse(Feed.objects.live().filter(user=self.alice).exists())

    def test_a_new_token_replaces_the_old_one(self):
        _feed, new_token = Feed.issue(self.alice, self.couple)
        self.assertEqual(self.get_feed().status_code, 404)
        self.assertEqual(self.get_feed(new_token).status_code, 200)

    def test_a_partner_whose_membership_ended_gets_404(self):
        Membership.objects.filter(user=self.alice, couple=self.couple).update(active=False)
        self.assertEqual(self.get_feed().status_code, 404)

    def test_a_closed_space_gets_404(self):
        leave_couple(self.couple)
        self.assertEqual(self.get_feed().status_code, 404)

    def test_a_feed_is_only_its_own_couples(self):
        # Olga's feed shows only her couple's block.
        _feed, token = Feed.issue(self.olga, self.other_couple)
        self.assertEqual(set(self.by_uid(self.get_feed(token).content)), {f"{self.absent[-1].pk}@tandem"})


class ConditionalTests(FeedCase):
    def test_validators_and_304(self):
        response = self.get_feed()
        etag, modified = response["ETag"], response["Last-Modified"]
        self.assertRegex(etag, r'^"[0-9a-f]{40}"$')  # strong
        again = self.get_feed(HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(again.status_code, 304)
        self.assertEqual(again.content, b"")
        self.assertEqual(again["ETag"], etag)
        self.assertEqual(self.get_feed(HTTP_IF_MODIFIED_SINCE=modified).status_code, 304)
        self.assertEqual(self.get_feed(HTTP_IF_NONE_MATCH='"other"').status_code, 200)
        # The same data gives the same bytes.
        self.assertEqual(self.get_feed().content, response.content)

    def test_last_modified_is_the_latest_change(self):
        response = self.get_feed()
        # Any of the couple's blocks (an ended one leaves the feed: that is a change too) or the feed itself.
        latest = max([b.updated_at for b in Block.objects.filter(couple=self.couple)] + [self.feed.created_at])
        self.assertEqual(response["Last-Modified"], latest.strftime("%a, %d %b %Y %H:%M:%S GMT"))

    def test_a_changed_block_changes_the_etag(self):
        etag = self.get_feed()["ETag"]
        self.weekly.start_time = dt.time(20, 0)
        self.weekly.sequence += 1
        self.weekly.save()
        response = self.get_feed(HTTP_IF_NONE_MATCH=etag)
        self.assertEqual(response.status_code, 200)
        self.assertNotEqual(response["ETag"], etag)

    def test_a_new_skip_changes_the_etag(self):
        etag = self.get_feed()["ETag"]
        Skip.objects.create(block=self.weekly, occurrence_date=self.first_monday, skipped_by=self.alice)
        self.assertEqual(self.get_feed(HTTP_IF_NONE_MATCH=etag).status_code, 200)

    def test_an_ended_block_moves_last_modified(self):
        modified = self.get_feed()["Last-Modified"]
        Block.objects.filter(pk=self.once.pk).update(
            status=Block.Status.ENDED, updated_at=timezone.now() + dt.timedelta(seconds=5)
        )
        self.assertEqual(self.get_feed(HTTP_IF_MODIFIED_SINCE=modified).status_code, 200)


class BlockIcsTests(FeedCase):
    def url_for(self, block: Block) -> str:
        return reverse("blocks:block_ics", args=[self.couple.pk, block.pk])

    def test_a_partner_downloads_one_block(self):
        for partner in (self.alice, self.bo):
            self.login(partner)
            response = self.client.get(self.url_for(self.weekly))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(response["Content-Type"], "text/calendar; charset=utf-8")
            self.assertEqual(response["Content-Disposition"], 'attachment; filename="tandem.ics"')
            self.assertIn("ETag", response)
            self.assertIn("Last-Modified", response)
            self.assertEqual(set(self.by_uid(response.content)), {f"{self.weekly.pk}@tandem"})
            self.assertEqual(
                self.client.get(self.url_for(self.weekly), HTTP_IF_NONE_MATCH=response["ETag"]).status_code, 304
            )

    def test_outsiders_and_the_therapist_get_404(self):
        for person in [*self.outsiders, self.theo]:
            with self.subTest(person=person.display_name):
                self.login(person)
                self.assertEqual(self.client.get(self.url_for(self.weekly)).status_code, 404)

    def test_signed_out_is_sent_to_log_in(self):
        response = self.client.get(self.url_for(self.weekly))
        self.assertEqual(response.status_code, 302)

    def test_unplanned_or_other_couples_blocks_are_404(self):
        self.login(self.alice)
        for block in self.absent:
            with self.subTest(status=block.status):
                self.assertEqual(self.client.get(self.url_for(block)).status_code, 404)


class FeedSettingsTests(FeedCase):
    def page_url(self) -> str:
        return reverse("blocks:feed_settings", args=[self.couple.pk])

    def post(self, action: str | None):
        return self.client.post(self.page_url(), {"action": action} if action else {}, follow=True)

    def test_outsiders_and_the_therapist_get_404(self):
        for person in [*self.outsiders, self.theo]:
            with self.subTest(person=person.display_name):
                self.login(person)
                self.assertEqual(self.client.get(self.page_url()).status_code, 404)
                self.assertEqual(self.client.post(self.page_url(), {"action": "issue"}).status_code, 404)
        self.assertEqual(Feed.objects.count(), 1)

    def test_the_page_never_shows_a_stored_token(self):
        self.login(self.alice)
        response = self.client.get(self.page_url())
        self.assertEqual(response.status_code, 200)
        self.assertNotContains(response, self.token)
        self.assertNotContains(response, self.feed.token_hash)
        self.assertNotRegex(response.content.decode(), r"/calendar/feed/[\w-]+\.ics")
        self.assertContains(response, "You have a calendar link")

    def test_making_a_link_shows_it_once(self):
        self.login(self.alice)
        response = self.post("issue")
        self.assertEqual(response.status_code, 200)
        token = re.search(r'value="http://testserver/calendar/feed/([\w-]+)\.ics"', response.content.decode())[1]
        self.assertContains(response, f"webcal://testserver/calendar/feed/{token}.ics")
        self.assertContains(response, "shown only once")
        self.assertEqual(Feed.objects.live().get(user=self.alice).token_hash, Feed.hash(token))
        later = self.client.get(self.page_url())
        self.assertNotContains(later, token)
        self.client.logout()
        self.assertEqual(self.get_feed(token).status_code, 200)
        self.assertEqual(self.get_feed().status_code, 404)  # the one before

    def test_turning_it_off(self):
        self.login(self.alice)
        response = self.post("revoke")
        self.assertContains(response, "turned off")
        self.assertContains(response, "You have no calendar link right now.")
        self.assertEqual(self.get_feed().status_code, 404)
        self.assertContains(self.post("revoke"), "You have no calendar link to turn off.")

    def test_an_unknown_action_changes_nothing(self):
        self.login(self.alice)
        for action in ("delete", None):
            with self.subTest(action=action):
                response = self.post(action)
                self.assertContains(response, "Nothing was changed.")
                self.assertEqual(self.get_feed().status_code, 200)
        self.assertEqual(Feed.objects.count(), 1)

    def test_a_closed_space_shows_but_does_not_make_links(self):
        leave_couple(self.couple)
        self.login(self.alice)
        self.assertEqual(self.client.get(self.page_url()).status_code, 200)
        self.assertEqual(self.client.post(self.page_url(), {"action": "issue"}).status_code, 404)
        self.assertEqual(Feed.objects.count(), 1)


class SkippedOnceTests(TandemTestCase):
    def test_a_one_time_block_whose_time_was_skipped_leaves_the_feed(self):
        from tandem.blocks import services

        block = make_block(self.couple, self.alice)
        kept = make_block(self.couple, self.alice, start_date=block.start_date + dt.timedelta(days=4))
        services.skip(block, self.bo, block.start_date)
        _feed, token = Feed.issue(self.alice, self.couple)
        cal = icalendar.Calendar.from_ical(self.client.get(reverse("blocks:feed", args=[token])).content)
        uids = [str(event["UID"]) for event in cal.walk("VEVENT")]
        self.assertEqual(uids, [f"{kept.pk}@tandem"])
