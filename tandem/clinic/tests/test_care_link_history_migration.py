"""The data migration that gives each stored care-team row its care link (issue 21)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tandem.testkit.base import make_person
from tandem.testkit.migrations_case import MigrationTestCase

SCHEMA = [
    ("clinic", "0008_history_consent"),
    ("checkins", "0005_entry_care_link"),
    ("wins", "0004_entry_care_link"),
    ("homework", "0006_entry_care_link"),
    ("measures", "0002_measures_belong_to_a_care_link"),
]


class CareTeamRowsMigrationTests(MigrationTestCase):
    before = SCHEMA
    after = [("clinic", "0009_care_team_rows_to_their_link")]

    def test_each_row_goes_to_the_link_in_force_when_it_was_written(self):
        alice, theo_user, nia_user = (make_person(f"{n}@example.org", n) for n in ("alice", "theo", "nia"))
        old = self.migrate(self.before)
        now = timezone.now()

        def ago(days: int):
            return now - dt.timedelta(days=days)

        couple = old.get_model("couples", "Couple").objects.create()
        Therapist = old.get_model("clinic", "Therapist")
        CareLink = old.get_model("clinic", "CareLink")
        theo = Therapist.objects.create(user_id=theo_user.pk, practice_name="Harbour")
        nia = Therapist.objects.create(user_id=nia_user.pk, practice_name="Second")
        link1 = CareLink.objects.create(
            couple=couple, therapist=theo, status="ended", activated_at=ago(60), ended_at=ago(30)
        )
        link2 = CareLink.objects.create(couple=couple, therapist=nia, status="active", activated_at=ago(10))
        CheckIn = old.get_model("checkins", "CheckIn")

        def checkin(days: int, visibility: str = "care_team"):
            return CheckIn.objects.create(
                couple=couple, author_id=alice.pk, visibility=visibility, created_at=ago(days),
                local_date=ago(days).date(), mood=3, energy=3, stress=3, closeness=3,
            )  # fmt: skip

        before_any = checkin(90)  # before link 1: it became care team under link 1
        during_1 = checkin(45)
        between = checkin(20)  # between the links: it went to the next one
        during_2 = checkin(5)
        private = checkin(44, "private")
        Assignment = old.get_model("homework", "Assignment")
        Exercise = old.get_model("homework", "Exercise")
        exercise = Exercise.objects.create(
            slug="x", version=1, kind="write_then_share", title="X", intimacy_level=0, data={}, content_hash="0"
        )
        assignment = Assignment.objects.create(couple=couple, exercise=exercise)
        sealed = old.get_model("homework", "Response").objects.create(
            couple=couple, author_id=alice.pk, assignment=assignment, step="answer", body="b",
            visibility="sealed", reveal_as="care_team", created_at=ago(40),
        )  # fmt: skip
        Plan = old.get_model("measures", "MeasurePlan")
        plan = Plan.objects.create(
            couple=couple, person_id=alice.pk, instrument="phq9", created_by_id=theo_user.pk, created_at=ago(15)
        )  # made by Theo after his link ended: still his link's
        response = old.get_model("measures", "MeasureResponse").objects.create(
            couple=couple, person_id=alice.pk, plan=plan, instrument="phq9", answers={}, total=3,
            completed_at=ago(1), local_date=ago(1).date(),
        )  # fmt: skip
        flag = old.get_model("measures", "RiskFlag").objects.create(
            couple=couple, person_id=alice.pk, therapist_id=theo_user.pk, response=response, answer=1,
            created_at=ago(1),
        )  # fmt: skip

        new = self.migrate(self.after)

        def link_of(model: str, pk: int):
            app, name = model.split(".")
            return new.get_model(app, name).objects.get(pk=pk).care_link_id

        self.assertEqual(link_of("checkins.CheckIn", before_any.pk), link1.pk)
        self.assertEqual(link_of("checkins.CheckIn", during_1.pk), link1.pk)
        self.assertEqual(link_of("checkins.CheckIn", between.pk), link2.pk)
        self.assertEqual(link_of("checkins.CheckIn", during_2.pk), link2.pk)
        self.assertIsNone(link_of("checkins.CheckIn", private.pk))
        self.assertEqual(link_of("homework.Response", sealed.pk), link1.pk)
        self.assertEqual(link_of("measures.MeasurePlan", plan.pk), link1.pk)
        self.assertEqual(link_of("measures.MeasureResponse", response.pk), link1.pk)
        self.assertEqual(link_of("measures.RiskFlag", flag.pk), link1.pk)
