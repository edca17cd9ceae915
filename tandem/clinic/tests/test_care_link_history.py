"""A new therapist sees only what was shared with them (issue 21).

Link 1 (Theo) ends and the couple links Nia (link 2). Everything the
partners shared with Theo -- care-team check-ins, rapid check-ins, answers,
reflections, wins, thank-yous, the measures Theo planned, their scores and
risk flags -- stays with link 1: no page, export or FHIR download of Nia's
shows it. A partner may let Nia see their own earlier history (earlier
history); exactly that partner's appears, and it hides again the moment they
withdraw it. Risk flags stay with the link they were raised in.
"""

from __future__ import annotations

import json
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from tandem.checkins.models import CheckIn, RapidCheckIn
from tandem.clinic import caseload, services
from tandem.clinic.models import CareLink, HistoryConsent
from tandem.couples.visibility import Visibility
from tandem.homework.models import Debrief, Response
from tandem.measures import instruments
from tandem.measures.models import MeasurePlan, MeasureResponse, RiskFlag
from tandem.measures.tests.helpers import answers_for, fill
from tandem.privacy.export import build_export
from tandem.testkit.base import TandemTestCase, link_therapist, make_assignment, make_therapist
from tandem.wins.models import GratitudeNote, Win

CARE = Visibility.CARE_TEAM


def checked(response) -> list[str]:
    """The earlier-history answers a page has ticked."""
    return re.findall(
        r'<input type="radio" name="share_history" value="(\w+)"[^>]*\bchecked\b', response.content.decode()
    )


def plant(test, who, tag: str, days_ago: int = 2) -> set[str]:
    """One care-team entry of every kind by ``who``, each with a marker; the markers."""
    couple = test.couple
    assignment = make_assignment(couple)
    markers = {f"{tag}-{kind}" for kind in ("checkin", "rapid", "answer", "debrief", "win", "thanks")}
    CheckIn.objects.create(
        couple=couple,
        author=who,
        visibility=CARE,
        local_date=who.today() - timezone.timedelta(days=days_ago),
        mood=3,
        energy=3,
        stress=3,
        closeness=3,
        note=f"{tag}-checkin",
    )
    RapidCheckIn.objects.create(
        couple=couple, author=who, visibility=CARE, local_date=who.today(), colour="amber", need=f"{tag}-rapid"
    )
    Response.objects.create(
        couple=couple, author=who, visibility=CARE, assignment=assignment, step="answer", body=f"{tag}-answer"
    )
    Debrief.objects.create(
        couple=couple, author=who, visibility=CARE, assignment=assignment, feeling=4, note=f"{tag}-debrief"
    )
    Win.objects.create(couple=couple, author=who, visibility=CARE, text=f"{tag}-win")
    GratitudeNote.objects.create(couple=couple, author=who, visibility=CARE, text=f"{tag}-thanks")
    return markers


class HistoryCase(TandemTestCase):
    """Link 1 with Theo, ended; link 2 with Nia, active."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.link1 = cls.link
        cls.alice_earlier = plant(cls, cls.alice, "alice-one")
        cls.bo_earlier = plant(cls, cls.bo, "bo-one")
        phq9 = instruments.INSTRUMENTS["phq9"]
        # Alice's PHQ-9 with item 9 answered: a risk flag raised to Theo in link 1.
        cls.alice_phq9 = fill(cls.couple, cls.alice, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 1], cls.theo)
        cls.bo_csi4 = fill(cls.couple, cls.bo, "csi4", [3, 3, 3, 3], cls.theo)
        assert RiskFlag.objects.filter(response=cls.alice_phq9).exists()
        assert cls.alice_phq9.answers == answers_for(phq9, [2, 2, 2, 2, 2, 2, 2, 2, 1])
        services.end_link(cls.link1)
        cls.nia = make_therapist("nia@example.org", "Nia", practice="Second Rooms")
        cls.link2 = link_therapist(cls.couple, cls.nia)

    def setUp(self):
        self.login(self.nia)

    # --- what Nia's pages show ---------------------------------------------------------

    def therapist_pages(self) -> dict[str, str]:
        """Every page, download and export Nia has for this couple, as text."""
        couple_id = self.couple.pk
        pages = {}
        for name, url in {
            "caseload": reverse("clinic:caseload"),
            "caseload by name": reverse("clinic:caseload") + "?sort=name",
            "caseload attention": reverse("clinic:caseload") + "?show=attention",
            "couple": reverse("clinic:couple", args=[couple_id]),
            "measures": reverse("measures:clinic", args=[couple_id]),
            "safety": reverse("safety:clinic", args=[couple_id]),
        }.items():
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, name)
            pages[name] = response.content.decode()
        for response in MeasureResponse.objects.filter(couple=self.couple):
            got = self.client.get(reverse("measures:clinic_fhir", args=[couple_id, response.pk]))
            pages[f"fhir {response.pk}"] = got.content.decode() if got.status_code == 200 else ""
        # A form that fails shows the couple page again: with no more than a GET.
        invalid = self.client.post(reverse("clinic:note_add", args=[couple_id]), {"body": " "})
        pages["couple after a refused note"] = invalid.content.decode()
        refused = self.client.post(reverse("measures:clinic_plan", args=[couple_id]), {"instrument": "nope"})
        pages["measures after a refused plan"] = refused.content.decode()
        pages["export"] = json.dumps(build_export(self.nia), cls=DjangoJSONEncoder, ensure_ascii=False)
        return pages

    def assert_nowhere(self, markers: set[str]):
        for name, text in self.therapist_pages().items():
            for marker in sorted(markers):
                with self.subTest(page=name, marker=marker):
                    self.assertNotIn(marker, text)

    def assert_everywhere_on_the_couple_page(self, markers: set[str]):
        text = self.client.get(reverse("clinic:couple", args=[self.couple.pk])).content.decode()
        for marker in sorted(markers):
            with self.subTest(marker=marker):
                self.assertIn(marker, text)

    def fhir_status(self, response: MeasureResponse) -> int:
        return self.client.get(reverse("measures:clinic_fhir", args=[self.couple.pk, response.pk])).status_code

    def measure_people(self) -> dict[str, list[str]]:
        """Per partner, the measures the therapist's measures page charts."""
        page = self.client.get(reverse("measures:clinic", args=[self.couple.pk]))
        return {person.display_name: [c.measure.code for c in charts] for person, charts in page.context["people"]}

    def nia_row(self) -> caseload.Row:
        return next(row for row in caseload.rows(self.nia.therapist) if row.couple_id == self.couple.pk)

    def opt_in(self, who):
        services.set_history_shared(self.link2, who, True)

    def withdraw(self, who):
        services.set_history_shared(self.link2, who, False)


class NewTherapistStartsEmptyTests(HistoryCase):
    def test_no_page_partial_export_or_download_shows_link_1s_entries(self):
        self.assert_nowhere(self.alice_earlier | self.bo_earlier)

    def test_no_measure_score_or_flag_of_link_1(self):
        self.assertEqual(self.measure_people(), {"Alice": [], "Bo": []})
        page = self.client.get(reverse("measures:clinic", args=[self.couple.pk]))
        self.assertEqual(list(page.context["flags"]), [])
        self.assertEqual(list(page.context["plans"]), [])
        self.assertEqual(self.fhir_status(self.alice_phq9), 404)
        self.assertEqual(self.fhir_status(self.bo_csi4), 404)
        row = self.nia_row()
        self.assertEqual((row.scores, row.flags, row.needs_attention), ([], 0, False))

    def test_the_timeline_and_the_caseload_row_start_empty(self):
        page = self.client.get(reverse("clinic:couple", args=[self.couple.pk]))
        self.assertEqual(page.context["timeline"], [])
        self.assertEqual(page.context["trends"], [])
        self.assertIsNone(self.nia_row().last_activity)

    def test_entries_shared_during_link_2_are_nias_and_not_theos(self):
        now = plant(self, self.alice, "alice-two", days_ago=0)
        self.assert_everywhere_on_the_couple_page(now)
        links = dict(CheckIn.objects.filter(author=self.alice).values_list("local_date", "care_link"))
        today = self.alice.today()
        self.assertEqual(links, {today: self.link2.pk, today - timezone.timedelta(days=2): self.link1.pk})

    def test_measures_planned_by_theo_are_not_due_under_nia(self):
        # Theo's every-few-weeks plan stays with link 1: Alice isn't asked to fill it for Nia.
        from tandem.measures import services as measures

        MeasurePlan.objects.filter(couple=self.couple).update(active=False)
        theo_plan = MeasurePlan.objects.create(
            couple=self.couple,
            person=self.alice,
            instrument="gad7",
            cadence="once",
            next_due=self.alice.today(),
            created_by=self.theo,
            care_link=self.link1,
        )
        self.assertEqual(measures.due_for(self.alice, self.couple, self.alice.today()), [])
        theo_plan.refresh_from_db()
        nia_plan = measures.schedule(self.couple, self.alice, "gad7", "once", created_by=self.nia, link=self.link2)
        self.assertEqual(nia_plan.care_link, self.link2)
        self.assertEqual(measures.due_for(self.alice, self.couple, self.alice.today()), [nia_plan])
        response = measures.record(nia_plan, answers_for(instruments.INSTRUMENTS["gad7"], [1] * 7))
        self.assertEqual(response.care_link, self.link2)
        self.assertEqual(self.measure_people(), {"Alice": ["gad7"], "Bo": []})

    def test_a_risk_flag_raised_under_nia_is_hers(self):
        response = fill(self.couple, self.bo, "phq9", [0, 0, 0, 0, 0, 0, 0, 0, 2], self.nia)
        flag = RiskFlag.objects.get(response=response)
        self.assertEqual(flag.care_link, self.link2)
        self.assertEqual(self.nia_row().flags, 1)

    def test_theo_relinked_later_starts_empty_too(self):
        # Visibility follows the link, not the person: a later link of the
        # same therapist is a new link, and asks the same question.
        services.end_link(self.link2)
        link_therapist(self.couple, self.theo)
        self.login(self.theo)
        text = self.client.get(reverse("clinic:couple", args=[self.couple.pk])).content.decode()
        for marker in sorted(self.alice_earlier | self.bo_earlier):
            self.assertNotIn(marker, text)
        self.assertEqual(self.fhir_status(self.alice_phq9), 404)


class EarlierHistoryTests(HistoryCase):
    def test_exactly_the_partner_who_opted_in_appears(self):
        self.opt_in(self.alice)
        self.assert_everywhere_on_the_couple_page(self.alice_earlier)
        self.assert_nowhere(self.bo_earlier)
        self.assertEqual(self.measure_people(), {"Alice": ["phq9"], "Bo": []})
        self.assertEqual(self.fhir_status(self.alice_phq9), 200)
        self.assertEqual(self.fhir_status(self.bo_csi4), 404)
        self.assertEqual([s.person_id for s in self.nia_row().scores], [self.alice.pk])

    def test_risk_flags_stay_with_the_link_they_were_raised_in(self):
        self.opt_in(self.alice)
        page = self.client.get(reverse("measures:clinic", args=[self.couple.pk]))
        self.assertEqual(list(page.context["flags"]), [])
        self.assertEqual(self.nia_row().flags, 0)
        flag = RiskFlag.objects.get(response=self.alice_phq9)
        seen = self.client.post(reverse("measures:clinic_flag_seen", args=[self.couple.pk, flag.pk]))
        self.assertEqual(seen.status_code, 404)

    def test_withdrawal_hides_it_again_at_once(self):
        self.opt_in(self.alice)
        self.opt_in(self.bo)
        self.assert_everywhere_on_the_couple_page(self.alice_earlier | self.bo_earlier)
        self.withdraw(self.alice)
        self.assert_nowhere(self.alice_earlier)
        self.assert_everywhere_on_the_couple_page(self.bo_earlier)
        self.assertEqual(self.fhir_status(self.alice_phq9), 404)
        self.assertEqual(self.measure_people(), {"Alice": [], "Bo": ["csi4"]})

    def test_opting_in_to_link_2_shows_nothing_to_anyone_else(self):
        self.opt_in(self.alice)
        self.opt_in(self.bo)
        self.login(self.una)
        self.assertEqual(self.client.get(reverse("clinic:couple", args=[self.couple.pk])).status_code, 404)
        self.assertFalse(CheckIn.objects.readable_by(self.theo).exists())
        self.assertFalse(CheckIn.objects.readable_by(self.una).exists())

    def test_the_therapist_is_never_told_who_said_no(self):
        self.opt_in(self.alice)
        for name, text in self.therapist_pages().items():
            for words in ("earlier history", "Earlier history", "did not share", "didn't share", "opted"):
                with self.subTest(page=name, words=words):
                    self.assertNotIn(words, text)

    def test_the_audit_log_names_which_therapist_read_what(self):
        self.login(self.theo)
        # Theo read during link 1 (his couple page), before it ended: made here by hand.
        from tandem.clinic.models import AuditEntry

        AuditEntry.objects.create(therapist=self.theo, couple=self.couple, path="/x/", object_type="couples.couple")
        self.opt_in(self.alice)
        self.login(self.nia)
        self.client.get(reverse("clinic:couple", args=[self.couple.pk]))
        self.login(self.alice)
        log = self.client.get(reverse("clinic:audit_log", args=[self.couple.pk]))
        whos = {(e.therapist.display_name if e.therapist else None) for e in log.context["entries"]}
        self.assertEqual(whos, {"Theo", "Nia"})
        self.assertContains(log, "Second Rooms")
        self.assertContains(log, "Harbour Practice")


class PerLinkExportAndErasureTests(HistoryCase):
    def test_a_partners_export_says_which_link_each_row_was_shared_under_and_only_their_own_answer(self):
        self.opt_in(self.bo)
        couple = build_export(self.alice)["couples"][0]
        links = {link["id"]: link for link in couple["care"]["links"]}
        self.assertEqual(set(links), {self.link1.pk, self.link2.pk})
        self.assertEqual([link["my_earlier_history_shared"] for link in links.values()], [False, False])
        self.assertEqual({c["care_link_id"] for c in couple["entries"]["checkins"]}, {self.link1.pk})
        self.assertEqual([m["care_link_id"] for m in couple["measures"]["mine"]], [self.link1.pk])
        bo = build_export(self.bo)["couples"][0]["care"]["links"]
        self.assertEqual(
            {link["id"]: link["my_earlier_history_shared"] for link in bo}, {self.link1.pk: False, self.link2.pk: True}
        )

    def test_erasing_the_first_therapist_leaves_the_rows_to_their_authors_and_still_hidden(self):
        from tandem.privacy.services import erase_person

        erase_person(self.theo)
        self.assertEqual(CheckIn.objects.filter(couple=self.couple).count(), 2)
        self.assertEqual(MeasureResponse.objects.filter(couple=self.couple).count(), 2)
        self.assert_nowhere(self.alice_earlier | self.bo_earlier)
        self.opt_in(self.alice)  # rows of a link that is gone are earlier history too
        self.assert_everywhere_on_the_couple_page(self.alice_earlier)

    def test_erasing_a_partner_takes_their_answer_with_them(self):
        from tandem.privacy.services import erase_person

        self.opt_in(self.bo)
        erase_person(self.bo)
        self.assertFalse(HistoryConsent.objects.exists())


class OptInAtLinkingTests(TandemTestCase):
    """The question at linking: each partner answers it for their own entries; no is the default."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.alice_earlier = plant(cls, cls.alice, "alice-one")
        cls.bo_earlier = plant(cls, cls.bo, "bo-one")
        services.end_link(cls.link)
        cls.nia = make_therapist("nia@example.org", "Nia", practice="Second Rooms")

    def code(self) -> str:
        from tandem.core.invites import normalize_code
        from tandem.testkit.base import shown_invite

        self.login(self.nia)
        _token, code = shown_invite(self.client.post(reverse("clinic:invite_create"), {"label": ""}))
        return normalize_code(code)

    def test_the_question_is_asked_with_no_as_the_default(self):
        code = self.code()
        self.login(self.alice)
        page = self.client.post(reverse("clinic:link_code"), {"code": code})
        self.assertEqual(checked(page), ["no"])

    def test_the_question_is_not_asked_without_an_earlier_link(self):
        CareLink.objects.filter(couple=self.couple).delete()
        code = self.code()
        self.login(self.alice)
        page = self.client.post(reverse("clinic:link_code"), {"code": code})
        self.assertContains(page, "Link with your therapist?")
        self.assertNotContains(page, 'name="share_history"')

    def test_each_partner_answers_for_themselves(self):
        code = self.code()
        self.login(self.alice)
        self.client.post(reverse("clinic:link_code"), {"code": code, "accept": "1", "share_history": "yes"})
        link = CareLink.objects.current().get(couple=self.couple)
        self.login(self.bo)
        home = self.client.get(reverse("home:couple", args=[self.couple.pk]))
        self.assertContains(home, 'name="share_history"')
        self.client.post(reverse("clinic:link_consent", args=[self.couple.pk, link.pk]), {"share_history": "no"})
        link.refresh_from_db()
        self.assertTrue(link.is_active)
        self.assertEqual(
            list(HistoryConsent.objects.filter(link=link).values_list("partner", flat=True)), [self.alice.pk]
        )
        self.login(self.nia)
        text = self.client.get(reverse("clinic:couple", args=[self.couple.pk])).content.decode()
        for marker in self.alice_earlier:
            self.assertIn(marker, text)
        for marker in self.bo_earlier:
            self.assertNotIn(marker, text)

    def test_a_bad_answer_is_refused_and_nothing_is_linked(self):
        code = self.code()
        self.login(self.alice)
        page = self.client.post(reverse("clinic:link_code"), {"code": code, "accept": "1", "share_history": "maybe"})
        self.assertContains(page, "Choose yes or no", status_code=400)
        self.assertFalse(CareLink.objects.current().filter(couple=self.couple).exists())

    def test_a_partner_changes_their_answer_later(self):
        link = link_therapist(self.couple, self.nia)
        url = reverse("clinic:history", args=[self.couple.pk, link.pk])
        self.login(self.bo)
        page = self.client.get(url)
        self.assertEqual(checked(page), ["no"])
        self.client.post(url, {"share_history": "yes"})
        self.assertTrue(HistoryConsent.objects.filter(link=link, partner=self.bo).exists())
        self.assertEqual(checked(self.client.get(url)), ["yes"])
        self.client.post(url, {"share_history": "no"})
        self.assertFalse(HistoryConsent.objects.filter(link=link, partner=self.bo).exists())
        refused = self.client.post(url, {"share_history": ""})
        self.assertContains(refused, "Choose yes or no", status_code=400)

    def test_the_history_page_is_the_partners_own(self):
        link = link_therapist(self.couple, self.nia)
        url = reverse("clinic:history", args=[self.couple.pk, link.pk])
        for person in (self.nia, *self.outsiders):
            self.login(person)
            with self.subTest(person=person.display_name):
                self.assertEqual(self.client.get(url).status_code, 404)
                self.assertEqual(self.client.post(url, {"share_history": "yes"}).status_code, 404)
        self.assertFalse(HistoryConsent.objects.exists())
