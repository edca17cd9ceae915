"""The caseload's columns come from each app's own queryset methods.

Each test checks one method in the app that owns the idea and that the
caseload row says the same, so a rule changed in its app changes the
caseload with it (and a caseload that restated the filter would drift).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.checkins.models import CheckIn
from tandem.clinic import caseload
from tandem.clinic.models import CareLink
from tandem.homework import services as homework
from tandem.homework.models import Assignment, Part
from tandem.measures import services as measures
from tandem.measures.instruments import PHQ9
from tandem.measures.models import RiskFlag
from tandem.safety import services as safety
from tandem.safety.models import SafetyMessage, SafetyThread
from tandem.testkit.base import TandemTestCase, make_assignment, make_couple, make_person


class CaseloadSourceTests(TandemTestCase):
    def row(self) -> caseload.Row:
        (row,) = caseload.rows(self.theo.therapist)
        return row

    def test_given_is_homework_whose_time_has_come(self):
        now = timezone.now()
        made = {name: make_assignment(self.couple, "appreciations") for name in ("due", "later", "none", "done")}
        made["lapsed"] = make_assignment(self.couple, "appreciations")
        Assignment.objects.filter(pk=made["due"].pk).update(due_at=now - dt.timedelta(hours=1))
        Assignment.objects.filter(pk=made["later"].pk).update(due_at=now + dt.timedelta(days=6))
        Assignment.objects.filter(pk=made["none"].pk).update(due_at=None)
        Assignment.objects.filter(pk=made["done"].pk).update(status="completed", completed_at=now, due_at=None)
        Assignment.objects.filter(pk=made["lapsed"].pk).update(status="lapsed", due_at=None)
        counted = set(Assignment.objects.closed_or_overdue(now).values_list("pk", flat=True))
        self.assertEqual(counted, {made["due"].pk, made["done"].pk, made["lapsed"].pk})
        self.assertEqual((self.row().due, self.row().completed), (3, 1))
        # Shown on the page: everything given, and what is done.
        self.assertEqual((self.row().given, self.row().done), (5, 1))

    def test_activity_is_a_yes_homework_done_or_a_check_in_shared_with_the_care_team(self):
        self.assertIsNone(self.row().last_activity)
        day = self.alice.today()
        CheckIn.objects.create(
            couple=self.couple, author=self.alice, visibility="shared", local_date=day,
            mood=3, energy=3, stress=3, closeness=3,
        )  # fmt: skip
        self.assertFalse(CheckIn.objects.for_care_team(self.theo).exists())
        self.assertIsNone(self.row().last_activity)  # shared with the partner only: not the therapist's to know
        care = CheckIn.objects.create(
            couple=self.couple, author=self.bo, visibility="care_team", local_date=day,
            mood=3, energy=3, stress=3, closeness=3,
        )  # fmt: skip
        self.assertEqual(list(CheckIn.objects.for_care_team(self.theo)), [care])
        self.assertEqual(self.row().last_activity, care.created_at)

        assignment = make_assignment(self.couple, "appreciations")  # Alice proposes: her yes comes with it
        self.assertEqual([part.user for part in Part.objects.opted_in()], [self.alice])
        homework.opt_in(assignment, self.bo)
        said_yes = Part.objects.opted_in().get(user=self.bo)
        self.assertEqual(self.row().last_activity, said_yes.opted_in_at)

        later = timezone.now() + dt.timedelta(minutes=5)
        self.assertFalse(Assignment.objects.completed().exists())
        Assignment.objects.filter(pk=assignment.pk).update(status="completed", completed_at=later)
        self.assertEqual(list(Assignment.objects.completed()), [assignment])
        self.assertEqual(self.row().last_activity, later)

    def test_flags_counted_are_those_raised_in_this_link(self):
        plan = measures.schedule(self.couple, self.alice, "phq9", "once", created_by=self.theo)
        measures.record(plan, {item.link_id: 1 for item in PHQ9.items})
        flag = RiskFlag.objects.get()
        self.assertEqual(list(RiskFlag.objects.raised_to(self.theo)), [flag])
        self.assertEqual(list(RiskFlag.objects.raised_in(self.link)), [flag])
        self.assertEqual(self.row().flags, 1)
        # Raised in an earlier link, to Una: never counted (nor shown) for Theo.
        earlier = CareLink.objects.create(couple=self.couple, therapist=self.una.therapist, status="ended")
        RiskFlag.objects.filter(pk=flag.pk).update(therapist=self.una, care_link=earlier)
        self.assertFalse(RiskFlag.objects.raised_to(self.theo).exists())
        self.assertEqual(self.row().flags, 0)
        self.assertEqual(measures.open_flags([self.couple.pk], therapist=self.theo), {self.couple.pk: 0})

    def test_unread_counted_are_partners_messages_to_this_therapist(self):
        mine = safety.send(self.couple, self.alice, "to Theo")
        # A thread from an earlier care link, written to Una: not Theo's to read or count.
        earlier = SafetyThread.objects.create(couple=self.couple, author=self.bo, therapist=self.una.therapist)
        SafetyMessage.objects.create(thread=earlier, body="to Una")
        self.assertEqual(list(SafetyThread.objects.written_to(self.theo)), [mine.thread])
        self.assertEqual(list(SafetyMessage.objects.unread_by(self.theo)), [mine])
        self.assertEqual(self.row().unread, 1)
        self.assertEqual(safety.unread_counts(self.theo, [self.couple.pk]), {self.couple.pk: 1})
        safety.reply(mine.thread, "a reply is never unread by the therapist")
        safety.mark_read_by_therapist([mine.thread])
        self.assertFalse(SafetyMessage.objects.unread_by(self.theo).exists())
        self.assertEqual(self.row().unread, 0)

    def test_pending_links_are_those_waiting_for_consent(self):
        waiting = make_couple(make_person("p1@example.org", "P1"), make_person("p2@example.org", "P2"))
        pending = CareLink.objects.create(couple=waiting, therapist=self.theo.therapist)
        self.assertEqual(list(CareLink.objects.pending()), [pending])
        self.assertEqual(caseload.pending_links(self.theo.therapist, caseload.rows(self.theo.therapist)), 1)
        self.assertEqual(caseload.pending_links(self.theo.therapist, []), 1)  # read on its own when no row
