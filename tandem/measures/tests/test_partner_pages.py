"""Filling measures, what is due, and what each partner sees."""

from datetime import timedelta

from django.urls import reverse

from tandem.clinic.models import CareLink
from tandem.measures import services
from tandem.measures.instruments import CSI4, GAD7
from tandem.measures.models import MeasurePlan, MeasureResponse
from tandem.measures.tests.helpers import answers_for, fill, plan, post_data
from tandem.testkit.base import TandemTestCase


class FillTests(TandemTestCase):
    def url(self, code="csi4"):
        return reverse("measures:fill", args=[self.couple.pk, code])

    def test_fill_a_due_measure(self):
        plan(self.couple, self.alice, "csi4", self.theo)
        self.login(self.alice)
        page = self.client.get(self.url())
        self.assertContains(page, "Please indicate the degree of happiness")
        self.assertContains(page, "Funk")  # the citation
        response = self.client.post(self.url(), post_data(CSI4, [4, 3, 3, 4]))
        self.assertRedirects(response, reverse("measures:overview", args=[self.couple.pk]))
        saved = MeasureResponse.objects.get()
        self.assertEqual((saved.person, saved.total, saved.shared_with_partner), (self.alice, 14, False))
        self.assertEqual(saved.answers, {"csi4-1": 4, "csi4-2": 3, "csi4-3": 3, "csi4-4": 4})
        # Once: done now.
        self.assertEqual(services.due_for(self.alice, self.couple, self.alice.today()), [])

    def test_each_missing_item_is_named_and_the_given_answers_are_kept(self):
        plan(self.couple, self.alice, "gad7", self.theo)
        self.login(self.alice)
        response = self.client.post(self.url("gad7"), post_data(GAD7, [2, None, 1, 0, None, 3, 1]))
        self.assertContains(
            response, "Please answer item 2: “Not being able to stop or control worrying”.", status_code=400
        )
        self.assertContains(
            response, "Please answer item 5: “Being so restless that it&#x27;s hard to sit still”.", status_code=400
        )
        self.assertNotContains(response, "Please answer item 1", status_code=400)
        # The answers already chosen are still checked.
        self.assertContains(response, 'value="2" id="id_q_69725-0_2" required checked', status_code=400)
        self.assertFalse(MeasureResponse.objects.exists())

    def test_a_value_outside_the_options_is_refused(self):
        plan(self.couple, self.alice, "csi4", self.theo)
        self.login(self.alice)
        response = self.client.post(self.url(), post_data(CSI4, [4, 6, 3, 4]))
        self.assertContains(response, "Please choose one of the answers to item 2.", status_code=400)
        self.assertFalse(MeasureResponse.objects.exists())

    def test_a_measure_not_due_is_not_filled(self):
        self.login(self.alice)
        response = self.client.post(self.url(), post_data(CSI4, [4, 3, 3, 4]))
        self.assertRedirects(response, reverse("measures:overview", args=[self.couple.pk]))
        self.assertFalse(MeasureResponse.objects.exists())

    def test_filling_twice_keeps_one_response(self):
        plan(self.couple, self.alice, "csi4", self.theo)
        self.login(self.alice)
        self.client.post(self.url(), post_data(CSI4, [4, 3, 3, 4]))
        self.client.post(self.url(), post_data(CSI4, [1, 1, 1, 1]))
        self.assertEqual(MeasureResponse.objects.get().total, 14)

    def test_a_closed_space_takes_no_answers(self):
        plan(self.couple, self.alice, "csi4", self.theo)
        self.couple.closed_at = self.couple.created_at
        self.couple.save()
        self.login(self.alice)
        self.assertEqual(self.client.post(self.url(), post_data(CSI4, [4, 3, 3, 4])).status_code, 404)


class DueTests(TandemTestCase):
    def test_once_from_its_start_date(self):
        today = self.alice.today()
        plan(self.couple, self.alice, "csi4", self.theo, start=today + timedelta(days=2))
        self.assertEqual(services.due_for(self.alice, self.couple, today), [])
        self.assertEqual(len(services.due_for(self.alice, self.couple, today + timedelta(days=2))), 1)
        self.assertEqual(services.due_for(self.bo, self.couple, today + timedelta(days=2)), [])  # per partner

    def test_every_n_weeks_moves_on_from_the_day_it_was_filled(self):
        p = plan(self.couple, self.alice, "gad7", self.theo, cadence="every_n_weeks", every_weeks=2)
        services.record(p, answers_for(GAD7, [1] * 7))
        p.refresh_from_db()
        self.assertTrue(p.active)
        self.assertEqual(p.next_due, self.alice.today() + timedelta(weeks=2))
        self.assertEqual(services.due_for(self.alice, self.couple, self.alice.today()), [])
        self.assertEqual(len(services.due_for(self.alice, self.couple, p.next_due)), 1)

    def test_before_each_session_once_per_session(self):
        today = self.alice.today()
        p = plan(self.couple, self.alice, "csi4", self.theo, cadence="before_session")
        self.assertEqual(services.due_for(self.alice, self.couple, today), [])  # no session date yet
        CareLink.objects.filter(pk=self.link.pk).update(next_session=today + timedelta(days=5))
        self.assertEqual(services.due_for(self.alice, self.couple, today), [])  # too early
        self.assertEqual(len(services.due_for(self.alice, self.couple, today + timedelta(days=2))), 1)
        CareLink.objects.filter(pk=self.link.pk).update(next_session=today + timedelta(days=1))
        self.assertEqual(len(services.due_for(self.alice, self.couple, today)), 1)
        services.record(p, answers_for(CSI4, [3, 3, 3, 3]))
        self.assertEqual(services.due_for(self.alice, self.couple, today), [])  # done for this session
        CareLink.objects.filter(pk=self.link.pk).update(next_session=today + timedelta(days=14))
        self.assertEqual(len(services.due_for(self.alice, self.couple, today + timedelta(days=12))), 1)

    def test_nothing_is_due_without_an_active_care_link(self):
        plan(self.couple, self.alice, "csi4", self.theo)
        CareLink.objects.filter(pk=self.link.pk).update(status=CareLink.Status.ENDED)
        self.assertEqual(services.due_for(self.alice, self.couple, self.alice.today()), [])


class SharingTests(TandemTestCase):
    def overview(self, person):
        self.login(person)
        return self.client.get(reverse("measures:overview", args=[self.couple.pk]))

    def test_the_partner_sees_nothing_until_shared(self):
        response = fill(self.couple, self.bo, "gad7", [3, 3, 3, 3, 3, 3, 3], self.theo)  # 21, severe
        page = self.overview(self.alice).content.decode()
        partner_part = page.split("What Bo shared with you")[1]
        self.assertNotIn("GAD-7", partner_part)
        self.assertNotIn("21", partner_part.split("If things feel")[0])
        self.assertIn("Nothing shared.", partner_part)
        # Bo shares it.
        self.login(self.bo)
        self.client.post(reverse("measures:share", args=[self.couple.pk, response.pk]), {"share": "1"})
        response.refresh_from_db()
        self.assertTrue(response.shared_with_partner)
        partner_part = self.overview(self.alice).content.decode().split("What Bo shared with you")[1]
        self.assertIn("Generalized Anxiety Disorder", partner_part)
        self.assertIn("severe", partner_part)
        # And takes it back.
        self.login(self.bo)
        self.client.post(reverse("measures:share", args=[self.couple.pk, response.pk]), {"share": "0"})
        partner_part = self.overview(self.alice).content.decode().split("What Bo shared with you")[1]
        self.assertIn("Nothing shared.", partner_part)

    def test_my_own_page_shows_my_scores_chart_and_table(self):
        fill(self.couple, self.alice, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], self.theo)
        page = self.overview(self.alice)
        self.assertContains(page, '<svg class="chart"', count=1)
        self.assertContains(page, "cut-off 10")
        self.assertContains(page, "<table", count=1)
        self.assertContains(page, "Share this score")

    def test_the_chart_and_summary_come_first_the_table_behind_show_as_table(self):
        fill(self.couple, self.alice, "phq9", [1, 1, 1, 1, 1, 1, 1, 1, 0], self.theo)
        page = self.overview(self.alice).content.decode()
        mine = page.split('id="mine-heading"')[1]
        order = [
            mine.index(part) for part in ("<svg", 'class="chart-summary"', "<summary>Show as table</summary>", "<table")
        ]
        self.assertEqual(order, sorted(order))
        self.assertIn('<details class="show-table">', mine)  # folded on a phone
        # The sharing choice for the latest score is not folded away with the table.
        self.assertLess(mine.index("Share this score"), mine.index("<details"))
        self.assertIn("Your partner doesn't see your latest score.", mine)


class PlanFormTests(TandemTestCase):
    def url(self):
        return reverse("measures:clinic_plan", args=[self.couple.pk])

    def test_the_therapist_plans_a_measure(self):
        self.login(self.theo)
        response = self.client.post(
            self.url(), {"person": self.bo.pk, "instrument": "gad7", "cadence": "every_n_weeks", "every_weeks": 3}
        )
        self.assertRedirects(response, reverse("measures:clinic", args=[self.couple.pk]))
        p = MeasurePlan.objects.get()
        self.assertEqual((p.person, p.instrument, p.every_weeks, p.created_by), (self.bo, "gad7", 3, self.theo))
        self.assertEqual(len(services.due_for(self.bo, self.couple, self.bo.today())), 1)

    def test_bad_input_says_why_and_saves_nothing(self):
        self.login(self.theo)
        cases = [
            ({"person": self.bo.pk, "instrument": "gad7", "cadence": "every_n_weeks"}, "Say every how many weeks"),
            ({"person": self.olga.pk, "instrument": "gad7", "cadence": "once"}, "Select a valid choice"),
            ({"person": self.bo.pk, "instrument": "bdi", "cadence": "once"}, "Select a valid choice"),
            (
                {"person": self.bo.pk, "instrument": "gad7", "cadence": "once", "start": "2026-02-30"},
                "2026-02-30 isn&#x27;t a real date: February 2026 has 28 days.",
            ),
            (
                {"person": self.bo.pk, "instrument": "gad7", "cadence": "once", "start": "soon"},
                "Enter the date as YYYY-MM-DD.",
            ),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self.client.post(self.url(), data)
                self.assertContains(response, message, status_code=400)
        self.assertFalse(MeasurePlan.objects.exists())

    def test_a_new_plan_replaces_the_old_one(self):
        plan(self.couple, self.bo, "gad7", self.theo)
        plan(self.couple, self.bo, "gad7", self.theo, cadence="every_n_weeks", every_weeks=4)
        self.assertEqual(MeasurePlan.objects.active().count(), 1)
        self.assertEqual(MeasurePlan.objects.active().get().every_weeks, 4)


class TherapistPageTests(TandemTestCase):
    def test_scores_with_reliable_change_vs_previous_and_first(self):
        fill(self.couple, self.alice, "phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0], self.theo)  # 24
        fill(self.couple, self.alice, "phq9", [2, 2, 2, 2, 2, 2, 2, 2, 1], self.theo)  # 17: 7 points, improved
        fill(self.couple, self.alice, "phq9", [2, 2, 2, 2, 1, 1, 1, 1, 1], self.theo)  # 13: 4 points, not reliable
        fill(self.couple, self.alice, "phq9", [1, 1, 1, 1, 1, 1, 0, 0, 0], self.theo)  # 6: recovered vs first
        fill(self.couple, self.bo, "gad7", [3, 3, 3, 2, 2, 2, 0], self.theo)  # 15
        fill(self.couple, self.bo, "gad7", [2, 2, 2, 1, 1, 1, 0], self.theo)  # 9: RC -3.02 recovered
        self.login(self.theo)
        page = self.client.get(reverse("measures:clinic", args=[self.couple.pk]))
        self.assertContains(page, "recovered")
        self.assertContains(page, "improved")
        # PHQ-9 by the clinical criterion (6 points), in points; GAD-7 by RC.
        self.assertContains(page, "-7 points; reliable from 6")
        self.assertContains(page, "no reliable change")
        self.assertContains(page, "-4 points; reliable from 6")
        self.assertContains(page, "RC -3.02")
        self.assertContains(page, "cut-off 10")
        self.assertContains(page, "stroke-dasharray")

    def test_at_the_desk_the_table_is_open_below_the_chart(self):
        fill(self.couple, self.alice, "phq9", [3, 3, 3, 3, 3, 3, 3, 3, 0], self.theo)
        self.login(self.theo)
        page = self.client.get(reverse("measures:clinic", args=[self.couple.pk])).content.decode()
        self.assertIn('<details class="show-table" open><summary>Show as table</summary>', page)
        self.assertLess(page.index('<svg class="chart"'), page.index("Show as table"))
        self.assertLess(page.index("Show as table"), page.index("Since the first"))

    def test_measures_without_norms_say_not_available(self):
        fill(self.couple, self.bo, "csi4", [2, 2, 2, 2], self.theo)
        fill(self.couple, self.bo, "csi4", [5, 5, 5, 5], self.theo)
        self.login(self.theo)
        page = self.client.get(reverse("measures:clinic", args=[self.couple.pk]))
        self.assertContains(page, "not available")
        self.assertContains(page, "cut-off 13.5")
