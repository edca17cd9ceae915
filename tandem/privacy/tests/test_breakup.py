"""The break-up timeline (issue 8, point 5), on a frozen clock.

Day 0 the space closes; until day 30 both partners read and export what
they could before; from day 31 each keeps only what they wrote; after the
closed-space retention the space is emptied.
"""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.test import override_settings
from django.urls import reverse

from tandem.blocks.models import Block
from tandem.boundaries.models import Agreement, SectionDone
from tandem.clinic.models import AuditEntry, CaseNote
from tandem.couples.models import Couple, Membership
from tandem.couples.services import leave_couple
from tandem.measures.models import MeasureResponse
from tandem.privacy import retention, tasks
from tandem.privacy.export import build_export, entry_models
from tandem.privacy.models import ErasureRecord
from tandem.privacy.tests.seeding import seed
from tandem.testkit.base import TandemTestCase
from tandem.wins.models import Win

DAY = dt.timedelta(days=1)


def frozen(moment: dt.datetime):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def export_text(user, now) -> str:
    with frozen(now):
        return json.dumps(build_export(user, now=now), cls=DjangoJSONEncoder)


@override_settings(BREAKUP_READ_DAYS=30, CLOSED_SPACE_RETENTION_DAYS=365)
class BreakUpTimelineTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.markers = seed(cls)
        AuditEntry.objects.create(therapist=cls.theo, couple=cls.couple, path="/clinic/", object_type="couples.couple")
        cls.day0 = dt.datetime(2027, 3, 1, 12, 0, tzinfo=dt.UTC)
        with frozen(cls.day0):
            leave_couple(cls.couple)

    def readable_authors(self, reader, now) -> set[str]:
        with frozen(now):
            found = set()
            for model in entry_models():
                rows = model.objects.filter(couple=self.couple).readable_by(reader)
                found |= {("me" if r.author_id == reader.pk else "partner", r.visibility) for r in rows}
            return found

    def test_until_the_deadline_both_read_and_export_what_they_could_before(self):
        for day in (0, 29, 30):
            now = self.day0 + day * DAY
            with self.subTest(day=day):
                self.assertEqual(retention.purge_due(now=now), {"narrowed": 0, "emptied": 0})
                self.assertIn(("partner", "shared"), self.readable_authors(self.alice, now))
                self.assertIn(("partner", "care_team"), self.readable_authors(self.bo, now))
                text = export_text(self.alice, now)
                for marker in self.markers.alice_own | self.markers.shared_with_alice:
                    self.assertIn(marker, text)
                for marker in self.markers.ids["shared_together"]:
                    self.assertIn(marker, text)
                for marker in self.markers.never_for_alice:
                    self.assertNotIn(marker.lower(), text.lower())

    def test_after_the_deadline_each_reads_only_what_they_wrote_even_before_the_purge(self):
        now = self.day0 + 31 * DAY
        for person in (self.alice, self.bo):
            self.assertEqual({who for who, _v in self.readable_authors(person, now)}, {"me"})
            with frozen(now):
                # Not even that a sealed entry exists.
                self.assertFalse(Win.objects.visible_to(person).exclude(author=person).exists())
        text = export_text(self.alice, now)
        for marker in self.markers.shared_with_alice | self.markers.never_for_alice:
            self.assertNotIn(marker.lower(), text.lower())
        for marker in self.markers.alice_own:
            self.assertIn(marker, text)
        for marker in self.markers.ids["shared_together"]:
            self.assertNotIn(marker, text)

    def test_the_purge_removes_what_they_held_together_and_keeps_their_own(self):
        now = self.day0 + 31 * DAY
        self.assertEqual(retention.purge_due(now=now), {"narrowed": 1, "emptied": 0})
        self.assertFalse(Block.objects.filter(couple=self.couple).exists())
        self.assertFalse(Agreement.objects.filter(couple=self.couple).exists())
        self.assertFalse(SectionDone.objects.filter(couple=self.couple).exists())
        self.assertFalse(MeasureResponse.objects.filter(couple=self.couple, shared_with_partner=True).exists())
        # Each partner's own words stay.
        for person in (self.alice, self.bo):
            self.assertEqual(Win.objects.filter(couple=self.couple, author=person).count(), 4)
        record = ErasureRecord.objects.get(kind="shared_space")
        self.assertEqual(record.space, self.couple.pk)
        self.assertEqual(record.summary["blocks.block"], 1)
        # Done once: a second run finds nothing to do.
        self.assertEqual(retention.purge_due(now=now + DAY), {"narrowed": 0, "emptied": 0})

    def test_pages_show_only_my_own_entries_after_the_deadline(self):
        url = reverse("wins:celebrate", args=[self.couple.pk])
        with frozen(self.day0 + 29 * DAY):
            self.login(self.alice)  # inside the frozen clock, or the session has expired
            self.assertContains(self.client.get(url), "MARK-BO-SHARED-WIN")
        with frozen(self.day0 + 31 * DAY):
            self.login(self.alice)
            page = self.client.get(url)
            self.assertNotContains(page, "MARK-BO-SHARED-WIN")
            self.assertContains(page, "MARK-ALICE-SHARED-WIN")

    def test_shared_space_pages_and_export_narrow_at_the_deadline_without_the_purge(self):
        from tandem.homework.models import Assignment
        from tandem.testkit.base import make_assignment

        # Homework given before the break-up (a closed space takes none).
        closed_at = Couple.objects.get(pk=self.couple.pk).closed_at
        Couple.objects.filter(pk=self.couple.pk).update(closed_at=None)
        assignment = make_assignment(self.couple, "mirror-of-desire", by=self.bo)
        Couple.objects.filter(pk=self.couple.pk).update(closed_at=closed_at)
        Assignment.objects.filter(pk=assignment.pk).update(message="MARK-BO-HOMEWORK-MESSAGE")
        agreements = reverse("boundaries:agreements", args=[self.couple.pk])
        with frozen(self.day0 + 29 * DAY):
            self.login(self.alice)
            self.assertContains(self.client.get(agreements), "MARK-AGREEMENT-TEXT")
            self.assertIn("MARK-BO-HOMEWORK-MESSAGE", export_text(self.alice, self.day0 + 29 * DAY))
        # No purge job has run: the first access after the deadline narrows.
        with frozen(self.day0 + 31 * DAY):
            self.login(self.alice)
            self.assertNotContains(self.client.get(agreements), "MARK-AGREEMENT-TEXT")
        self.assertNotIn("MARK-BO-HOMEWORK-MESSAGE", export_text(self.bo, self.day0 + 31 * DAY))
        self.assertEqual(ErasureRecord.objects.filter(kind="shared_space").count(), 1)
        self.assertFalse(Block.objects.filter(couple=self.couple).exists())
        # The purge then finds it done.
        self.assertEqual(retention.purge_due(now=self.day0 + 32 * DAY), {"narrowed": 0, "emptied": 0})

    def test_export_after_the_deadline_narrows_first(self):
        self.assertTrue(Agreement.objects.filter(couple=self.couple).exists())
        text = export_text(self.alice, self.day0 + 31 * DAY)
        self.assertNotIn("MARK-AGREEMENT-TEXT", text)
        self.assertFalse(Agreement.objects.filter(couple=self.couple).exists())

    def test_after_the_retention_the_closed_space_is_emptied_but_the_trail_stays(self):
        retention.purge_due(now=self.day0 + 31 * DAY)
        self.assertEqual(retention.purge_due(now=self.day0 + 365 * DAY), {"narrowed": 0, "emptied": 0})
        self.assertEqual(retention.purge_due(now=self.day0 + 366 * DAY), {"narrowed": 0, "emptied": 1})
        for model in entry_models():
            self.assertFalse(model.objects.filter(couple=self.couple).exists(), model)
        self.assertFalse(Membership.objects.filter(couple=self.couple).exists())
        self.assertTrue(Couple.objects.filter(pk=self.couple.pk).exists())
        self.assertTrue(AuditEntry.objects.filter(couple=self.couple).exists())
        self.assertTrue(CaseNote.objects.filter(couple=self.couple).exists())
        self.assertEqual(build_export(self.alice)["couples"], [])
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("home:couple", args=[self.couple.pk])).status_code, 404)
        # The other couple is untouched.
        self.assertTrue(Membership.objects.filter(couple=self.other_couple).exists())

    @override_settings(CLOSED_SPACE_RETENTION_DAYS=0)
    def test_a_retention_of_zero_keeps_closed_spaces(self):
        self.assertEqual(retention.purge_due(now=self.day0 + 3650 * DAY), {"narrowed": 1, "emptied": 0})

    def test_the_task_and_the_command_run_the_same_purge(self):
        with frozen(self.day0 + 31 * DAY):
            result = tasks.purge_due.call()
        self.assertEqual(result, {"narrowed": 1, "emptied": 0})
        out = StringIO()
        with frozen(self.day0 + 400 * DAY):
            call_command("purge_expired", stdout=out)
        self.assertIn("emptied 1", out.getvalue())

    @override_settings(BREAKUP_READ_DAYS=7)
    def test_the_read_window_is_a_setting(self):
        self.assertEqual({w for w, _v in self.readable_authors(self.alice, self.day0 + 8 * DAY)}, {"me"})
        self.assertEqual(retention.purge_due(now=self.day0 + 8 * DAY)["narrowed"], 1)

    def test_a_space_past_both_deadlines_is_emptied_at_once_and_open_couples_never(self):
        self.assertEqual(retention.purge_due(now=self.day0 + 5000 * DAY), {"narrowed": 0, "emptied": 1})
        self.assertTrue(Membership.objects.filter(couple=self.other_couple, active=True).exists())


@override_settings(BREAKUP_READ_DAYS=30)
class ReadWindowEdgeTests(TandemTestCase):
    """The visibility rule itself, at the second the window ends."""

    def test_shared_entries_are_readable_through_the_last_second_of_the_window(self):
        win = Win.objects.create(couple=self.couple, author=self.bo, visibility="shared", text="ours")
        sealed = Win.objects.create(couple=self.couple, author=self.bo, visibility="sealed", text="mine")
        closed = dt.datetime(2027, 5, 1, 8, 0, tzinfo=dt.UTC)
        with frozen(closed):
            leave_couple(self.couple)
        with frozen(closed + 30 * DAY):
            self.assertTrue(win.is_readable_by(self.alice))
            self.assertTrue(sealed.is_visible_to(self.alice))
            self.assertFalse(sealed.is_readable_by(self.alice))
        with frozen(closed + 30 * DAY + dt.timedelta(seconds=1)):
            self.assertFalse(win.is_readable_by(self.alice))
            self.assertFalse(sealed.is_visible_to(self.alice))
            self.assertTrue(win.is_readable_by(self.bo))
            self.assertTrue(sealed.is_readable_by(self.bo))

    def test_an_open_couple_is_never_past_a_window(self):
        win = Win.objects.create(couple=self.couple, author=self.bo, visibility="shared", text="ours")
        with frozen(dt.datetime(2099, 1, 1, tzinfo=dt.UTC)):
            self.assertTrue(win.is_readable_by(self.alice))
