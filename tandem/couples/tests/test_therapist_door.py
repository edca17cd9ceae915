"""The therapist door: who gets through, what it returns, and what it audits.

``therapist_access_or_404`` is the only way a therapist reaches a couple;
every therapist couple page (the couple page and its actions, measures,
safety) goes through it. Whether the couple sees an audit entry follows the
object read, not the URL the read came through.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone

from tandem.clinic.models import AuditEntry, CareLink, CaseNote, HomeworkSchedule
from tandem.couples.access import (
    TherapistAccess,
    couple_access_or_404,
    is_one_partners,
    therapist_access_or_404,
)
from tandem.couples.models import Couple
from tandem.homework.content import library
from tandem.homework.models import Assignment, Exercise, Response
from tandem.measures import services as measures
from tandem.measures.instruments import PHQ9
from tandem.measures.models import MeasurePlan, MeasureResponse, RiskFlag
from tandem.safety import services as safety
from tandem.safety.models import SafetyMessage, SafetyThread
from tandem.security.models import TwoFactor
from tandem.security.twofactor import TwoFactorRequired
from tandem.testkit.base import (
    TandemTestCase,
    link_therapist,
    make_assignment,
    make_couple,
    make_person,
    make_therapist,
    signed_in_session,
)
from tandem.wins.models import Win


class DoorCase(TandemTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # Olga and Omar's therapist: a therapist with a link, but not to this couple.
        cls.otto = make_therapist("otto@example.org", "Otto", practice="Across Town")
        link_therapist(cls.other_couple, cls.otto)
        cls.homework = make_assignment(cls.couple, "appreciations")
        cls.shared = Response.objects.create(
            assignment=cls.homework,
            couple=cls.couple,
            author=cls.bo,
            step="answer",
            body="ours",
            visibility="care_team",
        )
        cls.response = measures.record(
            measures.schedule(cls.couple, cls.alice, "phq9", "once", created_by=cls.theo),
            {item.link_id: 1 for item in PHQ9.items},
        )
        cls.flag = RiskFlag.objects.get()
        cls.thread = safety.send(cls.couple, cls.alice, "A private word").thread
        cls.schedule = HomeworkSchedule.objects.create(
            therapist=cls.theo.therapist, couple=cls.couple, slug="appreciations", title="Appreciations",
            next_on=cls.alice.today() + dt.timedelta(days=3),
        )  # fmt: skip
        touch = Exercise.objects.snapshot(library().exercise("sensate-focus-1"))
        cls.stage = Assignment.objects.create(
            couple=cls.couple, exercise=touch, status=Assignment.Status.COMPLETED, completed_at=timezone.now()
        )

    def request(self, user, url: str = "/probe/"):
        """A request as the view would get it: signed in, past two-factor when set up, resolved."""
        request = RequestFactory().get(url)
        request.user = user
        request.session = signed_in_session(user)
        if url != "/probe/":
            request.resolver_match = resolve(url)
        return request

    def gets(self) -> list[str]:
        c = self.couple.pk
        return [
            reverse("clinic:couple", args=[c]),
            reverse("measures:clinic", args=[c]),
            reverse("measures:clinic_fhir", args=[c, self.response.pk]),
            reverse("safety:clinic", args=[c]),
            reverse("safety:thread", args=[c, self.thread.pk]),
        ]

    def posts(self) -> list[tuple[str, dict]]:
        """Every therapist action on a couple, with data it accepts."""
        c = self.couple.pk
        return [
            (
                reverse("clinic:assign", args=[c]),
                {"item": "exercise:appreciations", "cadence": "once", "due_days": "5"},
            ),
            (reverse("clinic:schedule_cancel", args=[c, self.schedule.pk]), {}),
            (reverse("clinic:note_add", args=[c]), {"body": "Pacing, next time"}),
            (reverse("clinic:care_settings", args=[c]), {"stages_need_approval": "on"}),
            (reverse("clinic:approve_stage", args=[c, self.stage.pk]), {}),
            (
                reverse("measures:clinic_plan", args=[c]),
                {"person": self.bo.pk, "instrument": "gad7", "cadence": "once"},
            ),
            (reverse("measures:clinic_flag_seen", args=[c, self.flag.pk]), {}),
            (reverse("safety:reply", args=[c, self.thread.pk]), {"body": "I read you."}),
        ]

    def state(self) -> tuple:
        return (
            AuditEntry.objects.count(),
            Assignment.objects.filter(couple=self.couple).count(),
            HomeworkSchedule.objects.filter(active=True).count(),
            CaseNote.objects.count(),
            MeasurePlan.objects.count(),
            RiskFlag.objects.open().count(),
            SafetyMessage.objects.count(),
            Assignment.objects.filter(approved_at__isnull=False).count(),
        )


class WhoGetsThroughTests(DoorCase):
    def assert_404_everywhere(self, user) -> None:
        self.login(user)
        before = self.state()
        for url in self.gets():
            with self.subTest(user=user.display_name, get=url):
                self.assertEqual(self.client.get(url).status_code, 404)
        for url, data in self.posts():
            with self.subTest(user=user.display_name, post=url):
                self.assertEqual(self.client.post(url, data).status_code, 404)
        self.assertEqual(self.state(), before)  # nothing read, nothing audited, nothing changed

    def test_a_therapist_linked_to_another_couple_gets_404(self):
        self.assert_404_everywhere(self.otto)

    def test_a_therapist_with_no_link_gets_404(self):
        self.assert_404_everywhere(self.una)

    def test_partners_get_404_on_therapist_pages(self):
        for partner in (self.alice, self.bo, self.olga):
            self.assert_404_everywhere(partner)

    def test_an_ended_or_pending_link_is_no_link(self):
        for status in (CareLink.Status.ENDED, CareLink.Status.PENDING):
            CareLink.objects.filter(pk=self.link.pk).update(status=status)
            with self.subTest(status=status):
                self.assert_404_everywhere(self.theo)

    def test_a_partner_who_is_also_the_linked_therapist_gets_404(self):
        pat = make_therapist("pat@example.org", "Pat", practice="Home Rooms")
        own = make_couple(pat, make_person("quinn@example.org", "Quinn"))
        link_therapist(own, pat)
        with self.assertRaises(Http404):
            therapist_access_or_404(self.request(pat), own.pk)
        self.assertFalse(AuditEntry.objects.exists())

    def test_the_linked_therapist_without_two_factor_is_sent_to_set_it_up(self):
        TwoFactor.objects.filter(user=self.theo).delete()
        self.login(self.theo)
        before = self.state()
        setup = reverse("security:two_factor")
        for url in self.gets():
            with self.subTest(get=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(setup + "?next="))
        for url, data in self.posts():
            with self.subTest(post=url):
                self.assertEqual(self.client.post(url, data).status_code, 403)
        self.assertEqual(self.state(), before)

    def test_the_door_itself_asks_for_two_factor_before_any_read(self):
        # Even called without the decorator, from a session that did not pass two-factor.
        request = self.request(self.theo)
        request.session = signed_in_session(self.una)  # a session mark that is not Theo's
        with self.assertRaises(TwoFactorRequired):
            therapist_access_or_404(request, self.couple.pk)
        self.assertFalse(AuditEntry.objects.exists())

    def test_ids_that_are_not_couples_are_404(self):
        for couple_id in ("not-a-uuid", "00000000-0000-0000-0000-000000000000", None, 7):
            with self.subTest(couple_id=couple_id), self.assertRaises(Http404):
                therapist_access_or_404(self.request(self.theo), couple_id)

    def test_write_refuses_a_closed_space_and_reading_still_works(self):
        Couple.objects.filter(pk=self.couple.pk).update(closed_at=timezone.now())
        with self.assertRaises(Http404):
            therapist_access_or_404(self.request(self.theo), self.couple.pk, write=True)
        self.assertEqual(therapist_access_or_404(self.request(self.theo), self.couple.pk).couple, self.couple)

    def test_it_returns_the_access_and_the_active_link_in_one_query(self):
        request = self.request(self.theo)
        request._two_factor_ok = True  # asked once per request, tested above
        with self.assertNumQueries(2):  # the couple with its link, and the audit entry
            access = therapist_access_or_404(request, self.couple.pk)
        self.assertIsInstance(access, TherapistAccess)
        self.assertTrue(access.is_therapist)
        self.assertEqual((access.couple, access.link, access.user), (self.couple, self.link, self.theo))
        with self.assertNumQueries(0):
            self.assertTrue(access.has_therapist)

    def test_the_partner_door_sends_a_therapist_on_to_the_therapist_door(self):
        self.assertIsInstance(couple_access_or_404(self.request(self.theo), self.couple.pk), TherapistAccess)
        with self.assertRaises(Http404):
            couple_access_or_404(self.request(self.una), self.couple.pk)
        with self.assertRaises(Http404):
            couple_access_or_404(self.request(self.theo), self.couple.pk, partners_only=True)


class LinkedTherapistTests(DoorCase):
    def test_every_therapist_couple_page_opens(self):
        self.login(self.theo)
        for url in self.gets():
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)

    def test_every_therapist_action_on_a_couple_works(self):
        self.login(self.theo)
        for url, data in self.posts():
            with self.subTest(url=url):
                response = self.client.post(url, data)
                self.assertEqual(response.status_code, 302, response.content[:300])
        self.assertTrue(Assignment.objects.filter(couple=self.couple, exercise__slug="appreciations").count() >= 2)
        self.assertFalse(HomeworkSchedule.objects.get(pk=self.schedule.pk).active)
        self.assertTrue(CaseNote.objects.filter(couple=self.couple, therapist=self.theo.therapist).exists())
        self.assertIsNotNone(Assignment.objects.get(pk=self.stage.pk).approved_at)
        self.assertTrue(MeasurePlan.objects.filter(person=self.bo, instrument="gad7", active=True).exists())
        self.assertIsNotNone(RiskFlag.objects.get(pk=self.flag.pk).seen_at)
        self.assertEqual([m.body for m in self.thread.messages.filter(from_therapist=True)], ["I read you."])

    def test_actions_on_a_closed_space_are_404_but_its_pages_still_read(self):
        Couple.objects.filter(pk=self.couple.pk).update(closed_at=timezone.now())
        self.login(self.theo)
        self.assertEqual(self.client.get(reverse("clinic:couple", args=[self.couple.pk])).status_code, 200)
        for url, data in self.posts():
            if "notes" in url or "flags" in url:
                continue  # a private note and "seen" change the therapist's own records, not the space
            with self.subTest(url=url):
                self.assertEqual(self.client.post(url, data).status_code, 404)


class AuditTests(DoorCase):
    def entries(self):
        return list(AuditEntry.objects.order_by("pk").values_list("object_type", "subject_id", "hidden"))

    def test_each_page_writes_one_entry_per_read_with_the_right_flag(self):
        couple = ("couples.couple", None)
        expected = {
            # Care-team data: the couple sees the read.
            "clinic:couple": [(*couple, False)],
            # One partner's data: the couple-level read is listed to neither, each partner's own to them.
            "measures:clinic": [(*couple, True), ("measures.series", self.alice.pk, True),
                                ("measures.series", self.bo.pk, True)],
            "measures:clinic_fhir": [(*couple, True), ("measures.measureresponse", self.alice.pk, True)],
            "safety:clinic": [(*couple, True)],
            "safety:thread": [(*couple, True), ("safety.safetythread", self.alice.pk, True)],
        }  # fmt: skip
        self.login(self.theo)
        for url in self.gets():
            AuditEntry.objects.all().delete()
            name = resolve(url).view_name
            with self.subTest(page=name):
                self.assertEqual(self.client.get(url).status_code, 200)
                self.assertEqual(self.entries(), expected[name])

    def test_what_each_partner_is_shown_after_the_therapist_read_alices_measure(self):
        self.login(self.theo)
        self.client.get(reverse("measures:clinic_fhir", args=[self.couple.pk, self.response.pk]))
        self.assertEqual(AuditEntry.objects.shown_to(self.bo).count(), 0)
        self.assertEqual(
            list(AuditEntry.objects.shown_to(self.alice).values_list("object_type", flat=True)),
            ["measures.measureresponse"],
        )

    def read(self, url: str, queryset, pk) -> AuditEntry:
        AuditEntry.objects.all().delete()
        access = therapist_access_or_404(self.request(self.theo, url), self.couple.pk)
        access.object_or_404(queryset, pk=pk)
        door, read = AuditEntry.objects.order_by("pk")
        self.assertFalse(door.hidden)  # the door was not told the page reads one partner's data
        return read

    def test_the_flag_follows_the_object_whatever_url_it_came_through(self):
        c = self.couple.pk
        urls = {
            "clinic": reverse("clinic:couple", args=[c]),
            "measures": reverse("measures:clinic", args=[c]),
            "safety": reverse("safety:clinic", args=[c]),
        }
        for app, url in urls.items():
            with self.subTest(read="measure", through=app):
                entry = self.read(url, MeasureResponse.objects.all(), self.response.pk)
                self.assertEqual((entry.subject_id, entry.hidden), (self.alice.pk, True))
            with self.subTest(read="safety thread", through=app):
                entry = self.read(url, SafetyThread.objects.all(), self.thread.pk)
                self.assertEqual((entry.subject_id, entry.hidden), (self.alice.pk, True))
            with self.subTest(read="shared entry", through=app):
                # An answer Bo shared with the care team is the couple's to see, on a safety or measures URL too.
                entry = self.read(url, Response.objects.all(), self.shared.pk)
                self.assertEqual(
                    (entry.object_type, entry.subject_id, entry.hidden), ("homework.response", None, False)
                )
                self.assertEqual(AuditEntry.objects.shown_to(self.alice).count(), 2)

    def test_the_couple_level_read_is_hidden_only_when_the_page_says_it_reads_one_partners_data(self):
        clinic_url = reverse("clinic:couple", args=[self.couple.pk])
        safety_url = reverse("safety:clinic", args=[self.couple.pk])
        cases = [
            (clinic_url, MeasureResponse, True),
            (clinic_url, SafetyThread, True),
            (safety_url, None, False),
            (safety_url, Win, False),
        ]
        for url, reads, hidden in cases:
            AuditEntry.objects.all().delete()
            with self.subTest(url=url, reads=reads):
                therapist_access_or_404(self.request(self.theo, url), self.couple.pk, reads=reads)
                entry = AuditEntry.objects.get()
                self.assertEqual((entry.object_type, entry.subject_id, entry.hidden), ("couples.couple", None, hidden))

    def test_the_models_of_one_partners_data_say_so(self):
        for model in (MeasurePlan, MeasureResponse, RiskFlag, SafetyThread):
            with self.subTest(model=model.__name__):
                self.assertTrue(is_one_partners(model))
        for model in (Couple, Assignment, Response, Win, HomeworkSchedule):
            with self.subTest(model=model.__name__):
                self.assertFalse(is_one_partners(model))
