"""Every URL that names an object answers 404 to anyone outside the couple.

The walker reads the URL configuration itself, so a new URL with an id is
covered automatically -- or fails here until someone says which object its
parameters name.
"""

from django.urls import reverse

from tandem.authoring.tests.factories import make_practice_exercise
from tandem.boundaries import agreements
from tandem.boundaries.models import (
    AgreementConfirmation,
    Answer,
    ConsentVocabulary,
    CustomItem,
    MatchSharing,
    SectionDone,
)
from tandem.checkins.models import CheckIn, RapidCheckIn
from tandem.clinic.models import CareInvite, CareLink, HomeworkSchedule
from tandem.couples.models import Invite
from tandem.homework.content import library
from tandem.homework.programs import start as start_program
from tandem.measures import services as measures
from tandem.measures.instruments import PHQ9
from tandem.measures.models import RiskFlag
from tandem.seasons.models import HardSeason
from tandem.testkit.base import TandemTestCase, make_assignment, make_block
from tandem.testkit.urls import urls_with_params
from tandem.wins.models import GratitudeNote, Win

# Capability URLs: the secret in the path is the access check, and a wrong
# one is already a 404 (tested with the invites). They name no couple object.
CAPABILITY_URLS = {"accounts:reset_confirm", "couples:join", "clinic:link_join", "blocks:feed"}
CAPABILITY_URLS |= {"accounts:email_confirm"}  # signed for one account; anyone else sees "expired"


class OutsiderTests(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.invite = Invite.objects.create(couple=cls.couple, created_by=cls.alice)
        cls.care_invite = CareInvite.objects.create(therapist=cls.theo.therapist)
        cls.assignment = make_assignment(cls.couple)
        cls.program_run = start_program(cls.couple, library().programs["hard-season"], cls.alice)
        cls.agreement = agreements.create(cls.couple, cls.alice, "comfortable", "Agreed words", None)
        agreements.confirm(cls.agreement.versions.first(), cls.bo)
        cls.block = make_block(cls.couple, cls.alice)
        cls.practice_exercise = make_practice_exercise(cls.theo)
        cls.measure_response = measures.record(
            measures.schedule(cls.couple, cls.alice, "phq9", "once", created_by=cls.theo),
            {item.link_id: 1 for item in PHQ9.items},
        )
        cls.risk_flag = RiskFlag.objects.get()
        from tandem.safety import services as safety

        cls.safety_thread = safety.send(cls.couple, cls.alice, "A private word").thread
        cls.note = GratitudeNote.objects.create(couple=cls.couple, author=cls.alice, text="Thanks", visibility="shared")
        cls.schedule = HomeworkSchedule.objects.create(
            therapist=cls.theo.therapist, couple=cls.couple, slug="appreciations", title="Appreciations",
            next_on=cls.alice.today(),
        )  # fmt: skip

    def kwargs_for(self, name: str) -> dict:
        known = {
            "home:couple": {"couple_id": self.couple.pk},
            "couples:invite_create": {"couple_id": self.couple.pk},
            "couples:invite_revoke": {"couple_id": self.couple.pk, "invite_id": self.invite.pk},
            "couples:leave": {"couple_id": self.couple.pk},
            "couples:consent_question": {"couple_id": self.couple.pk},
            "clinic:couple": {"couple_id": self.couple.pk},
            "clinic:invite_revoke": {"invite_id": self.care_invite.pk},
            "clinic:invite_renew": {"invite_id": self.care_invite.pk},
            "clinic:link_consent": {"couple_id": self.couple.pk, "link_id": self.link.pk},
            "clinic:link_end": {"couple_id": self.couple.pk, "link_id": self.link.pk},
            "clinic:history": {"couple_id": self.couple.pk, "link_id": self.link.pk},
            "homework:this_week": {"couple_id": self.couple.pk},
            "homework:library": {"couple_id": self.couple.pk},
            "homework:history": {"couple_id": self.couple.pk},
            "homework:load": {"couple_id": self.couple.pk},
            "homework:exercise": {"couple_id": self.couple.pk, "slug": "mirror-of-desire"},
            "homework:propose": {"couple_id": self.couple.pk, "slug": "mirror-of-desire"},
        }
        known["homework:hint"] = {"couple_id": self.couple.pk}
        known["drafts:save"] = {"couple_id": self.couple.pk}
        known["boundaries:vocabulary"] = {"couple_id": self.couple.pk}
        known["seasons:season"] = {"couple_id": self.couple.pk}
        known["wins:celebrate"] = {"couple_id": self.couple.pk}
        known["wins:note_read"] = {"couple_id": self.couple.pk, "note_id": self.note.pk}
        known["boundaries:overview"] = {"couple_id": self.couple.pk}
        known["boundaries:history"] = {"couple_id": self.couple.pk}
        known["boundaries:agreements"] = {"couple_id": self.couple.pk}
        known["boundaries:share_matches"] = {"couple_id": self.couple.pk}
        known["boundaries:agreement_action"] = {
            "couple_id": self.couple.pk,
            "agreement_id": self.agreement.pk,
            "action": "withdraw",
        }
        for view in ("section", "finish", "answer", "add_item"):
            known[f"boundaries:{view}"] = {"couple_id": self.couple.pk, "section": "affection"}
        known["seasons:ready"] = {"couple_id": self.couple.pk}
        for view in ("agenda", "plan", "find", "reminders", "feed_settings"):
            known[f"blocks:{view}"] = {"couple_id": self.couple.pk}
        for view in ("block", "change", "block_ics"):
            known[f"blocks:{view}"] = {"couple_id": self.couple.pk, "block_id": self.block.pk}
        known["blocks:act"] = {"couple_id": self.couple.pk, "block_id": self.block.pk, "action": "end"}
        for view in ("today", "rapid", "recent", "progress", "week"):
            known[f"checkins:{view}"] = {"couple_id": self.couple.pk}
        known["homework:program_start"] = {"couple_id": self.couple.pk, "slug": "reconnect"}
        known["homework:program"] = {"couple_id": self.couple.pk, "run_id": self.program_run.pk}
        known["homework:program_stop"] = {"couple_id": self.couple.pk, "run_id": self.program_run.pk}
        known["homework:program_offer_again"] = {"couple_id": self.couple.pk, "run_id": self.program_run.pk}
        known["clinic:approve_stage"] = {"couple_id": self.couple.pk, "assignment_id": self.assignment.pk}
        known["turns:stamp"] = {"couple_id": self.couple.pk, "assignment_id": self.assignment.pk}
        for view in ("assign", "note_add", "care_settings", "audit_log"):
            known[f"clinic:{view}"] = {"couple_id": self.couple.pk}
        known["clinic:schedule_cancel"] = {"couple_id": self.couple.pk, "schedule_id": self.schedule.pk}
        for view in ("overview", "clinic", "clinic_plan"):
            known[f"measures:{view}"] = {"couple_id": self.couple.pk}
        known["measures:fill"] = {"couple_id": self.couple.pk, "code": "csi4"}
        known["measures:share"] = {"couple_id": self.couple.pk, "response_id": self.measure_response.pk}
        known["measures:clinic_fhir"] = {"couple_id": self.couple.pk, "response_id": self.measure_response.pk}
        known["measures:clinic_flag_seen"] = {"couple_id": self.couple.pk, "flag_id": self.risk_flag.pk}
        known["safety:channel"] = known["safety:clinic"] = {"couple_id": self.couple.pk}
        known["safety:channel_read"] = {"couple_id": self.couple.pk}
        known["safety:thread"] = known["safety:reply"] = known["safety:thread_read"] = {
            "couple_id": self.couple.pk,
            "thread_id": self.safety_thread.pk,
        }
        # Not couple data, but another practice's unshared exercise follows the same rule: 404.
        known["authoring:exercise"] = known["authoring:share"] = {"exercise_id": self.practice_exercise.pk}
        for view in (
            "assignment",
            "opt_in",
            "set_aside",
            "pause",
            "resume",
            "renew",
            "answer",
            "reply",
            "debrief",
            "step",
        ):
            known[f"homework:{view}"] = {"couple_id": self.couple.pk, "assignment_id": self.assignment.pk}
        if name not in known:
            self.fail(f"{name} takes an id: add it to the outsider walker.")
        return known[name]

    def object_urls(self) -> list[str]:
        from tandem.homework import kinds

        names = sorted(set(urls_with_params()) - CAPABILITY_URLS)
        self.assertGreaterEqual(len(names), 8)
        urls = []
        for name in names:
            kwargs = self.kwargs_for(name)
            if "action" in urls_with_params()[name]:
                # Every step of every exercise kind, one URL each.
                urls += [reverse(name, kwargs={**kwargs, "action": action}) for action in sorted(kinds.action_names())]
            else:
                urls.append(reverse(name, kwargs=kwargs))
        return urls

    def assert_404_for(self, person, url: str) -> None:
        self.login(person)
        statuses = {
            method: getattr(self.client, method)(url, {"confirm": "on"}).status_code for method in ("get", "post")
        }
        # 405 comes from the method check before any lookup, so it says nothing about the object.
        self.assertTrue(set(statuses.values()) <= {404, 405}, f"{person} on {url}: {statuses}")
        self.assertIn(404, statuses.values(), f"{person} on {url}: {statuses}")

    def test_outsiders_and_unlinked_therapist_get_404_everywhere(self):
        for url in self.object_urls():
            for person in self.outsiders:
                with self.subTest(url=url, person=person.display_name):
                    self.assert_404_for(person, url)
        # And nothing they sent changed anything.
        self.couple.refresh_from_db()
        self.invite.refresh_from_db()
        self.link.refresh_from_db()
        self.care_invite.refresh_from_db()
        self.assertTrue(self.couple.is_open)
        self.assertIsNone(self.invite.revoked_at)
        self.assertEqual(self.link.status, CareLink.Status.ACTIVE)
        self.assertIsNone(self.care_invite.revoked_at)
        self.assignment.refresh_from_db()
        self.assertEqual(self.assignment.status, "proposed")
        self.assertFalse(self.assignment.pauses.exists())
        self.assertEqual(self.assignment.responses.count(), 0)
        self.block.refresh_from_db()
        self.assertEqual(self.block.status, "active")
        self.assertFalse(self.block.skips.exists())
        self.assertEqual(self.couple.blocks.count(), 1)
        self.assertEqual(self.couple.assignments.count(), 2)  # the homework and the program's first step
        self.program_run.refresh_from_db()
        self.assertIsNone(self.program_run.stopped_at)
        self.assertEqual(self.couple.program_runs.count(), 1)
        self.assertFalse(ConsentVocabulary.objects.exists())
        self.assertFalse(CheckIn.objects.exists())
        self.assertFalse(RapidCheckIn.objects.exists())
        self.assertFalse(HardSeason.objects.exists())
        self.assertFalse(Win.objects.exists())
        self.assertFalse(Answer.objects.exists() or SectionDone.objects.exists() or CustomItem.objects.exists())
        self.assertEqual(AgreementConfirmation.objects.count(), 2)
        self.assertFalse(MatchSharing.objects.exists())
        self.assertEqual(self.agreement.versions.count(), 1)
        from tandem.measures.models import MeasurePlan, MeasureResponse
        from tandem.safety.models import SafetyMessage

        self.assertEqual(SafetyMessage.objects.count(), 1)
        self.assertEqual(MeasureResponse.objects.count(), 1)
        self.assertEqual(MeasurePlan.objects.count(), 1)
        self.risk_flag.refresh_from_db()
        self.assertIsNone(self.risk_flag.seen_at)
        self.practice_exercise.refresh_from_db()
        self.assertEqual((self.practice_exercise.version, self.practice_exercise.shared), (1, False))
        self.assertEqual(self.couple.homework_schedules.filter(active=True).count(), 1)

    def test_a_therapist_cannot_reach_partner_only_pages(self):
        partner_only = [u for u in self.object_urls() if not u.startswith("/clinic/")]
        for url in partner_only:
            with self.subTest(url=url):
                self.assert_404_for(self.theo, url)

    def test_partners_cannot_reach_therapist_pages(self):
        for url in (
            reverse("clinic:couple", args=[self.couple.pk]),
            reverse("clinic:invite_revoke", args=[self.care_invite.pk]),
            reverse("clinic:assign", args=[self.couple.pk]),
            reverse("measures:clinic", args=[self.couple.pk]),
            reverse("safety:clinic", args=[self.couple.pk]),
            reverse("authoring:list"),
        ):
            with self.subTest(url=url):
                self.assert_404_for(self.alice, url)

    def test_unknown_and_malformed_ids_are_404(self):
        self.login(self.alice)
        self.assertEqual(self.client.get("/couple/00000000-0000-0000-0000-000000000000/").status_code, 404)
        self.assertEqual(self.client.get("/couple/not-a-uuid/").status_code, 404)
        self.assertEqual(self.client.post(f"/couple/{self.couple.pk}/invites/999999/revoke/").status_code, 404)

    def test_the_rightful_people_do_get_through(self):
        # The 404s above are about who asks, not about broken URLs.
        self.login(self.alice)
        self.assertEqual(self.client.get(reverse("home:couple", args=[self.couple.pk])).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("clinic:link_end", args=[self.couple.pk, self.link.pk])).status_code, 200
        )
        self.login(self.theo)
        self.assertEqual(self.client.get(reverse("clinic:couple", args=[self.couple.pk])).status_code, 200)

    def test_another_couples_object_under_our_couple_id_is_404(self):
        other_invite = Invite.objects.create(couple=self.other_couple, created_by=self.olga)
        self.login(self.alice)
        url = reverse("couples:invite_revoke", args=[self.couple.pk, other_invite.pk])
        self.assertEqual(self.client.post(url).status_code, 404)
        other_invite.refresh_from_db()
        self.assertIsNone(other_invite.revoked_at)

    def test_the_404_page_says_nothing_about_the_object(self):
        self.login(self.olga)
        body = self.client.get(reverse("home:couple", args=[self.couple.pk])).content.decode()
        self.assertNotIn("Alice", body)
        self.assertNotIn("Bo<", body)


# Write URLs that carry a partner's words: refused in a closed space, words kept (see homework.holds).
KEEPS_THE_WORDS = {"homework:answer", "homework:reply", "homework:step", "homework:debrief"}


class ClosedSpaceTests(TandemTestCase):
    """A closed space is read-only: every write URL answers 404 to its own partners (or, where
    they carry typed words, refuses them with the reason and shows them back)."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.assignment = make_assignment(cls.couple)
        cls.program_run = start_program(cls.couple, library().programs["hard-season"], cls.alice)
        cls.agreement = agreements.create(cls.couple, cls.alice, "comfortable", "Agreed words", None)
        cls.invite = Invite.objects.create(couple=cls.couple, created_by=cls.alice)
        cls.block = make_block(cls.couple, cls.alice, status="proposed")
        from tandem.couples.services import leave_couple

        leave_couple(cls.couple)

    def test_every_write_url_is_closed(self):
        kwargs = {
            "couple_id": self.couple.pk,
            "invite_id": self.invite.pk,
            "link_id": self.link.pk,
            "assignment_id": self.assignment.pk,
            "slug": "mirror-of-desire",
            "action": "message",
            "run_id": self.program_run.pk,
            "section": "affection",
            "agreement_id": self.agreement.pk,
            "block_id": self.block.pk,
            "schedule_id": 1,
            "code": "csi4",
            "response_id": 1,
            "flag_id": 1,
            "thread_id": 1,
            "note_id": 1,
        }
        # Every couple URL but the read-only pages of a partner, which stay readable.
        writes = [
            name
            for name, params in urls_with_params().items()
            if "couple_id" in params and name not in {"home:couple", "clinic:couple", "homework:hint"}
        ]
        self.assertGreaterEqual(len(writes), 12)
        self.login(self.alice)
        for name in writes:
            url = reverse(name, kwargs={k: kwargs[k] for k in urls_with_params()[name]})
            with self.subTest(url=url):
                data = {
                    "confirm": "on",
                    "body": "late words",
                    "reveal_as": "shared",
                    "stop": "late words",
                    "reason": "work",
                    "expected_weeks": "2",
                    "win-text": "late win",
                    "feeling": "3",
                    "note": "late words",
                    "visibility": "private",
                }
                response = self.client.post(url, data)
                if name in KEEPS_THE_WORDS:
                    # Words sent from a page opened before the space closed are
                    # refused with the reason and shown back, not lost to a 404.
                    self.assertContains(response, "This space is closed.")
                    self.assertContains(response, "late words")
                    continue
                # 405: a read-only page, which takes no POST at all.
                self.assertIn(response.status_code, (404, 405))
        self.assertEqual(self.assignment.responses.count(), 0)
        self.assertFalse(self.assignment.pauses.exists())
        self.block.refresh_from_db()
        self.assertEqual(self.block.status, "proposed")
        # Reading stays possible.
        self.assertEqual(self.client.get(reverse("home:couple", args=[self.couple.pk])).status_code, 200)
        self.assertEqual(
            self.client.get(reverse("homework:assignment", args=[self.couple.pk, self.assignment.pk])).status_code, 200
        )
