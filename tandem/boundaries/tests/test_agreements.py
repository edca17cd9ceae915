from datetime import date, timedelta

from django.urls import reverse

from tandem.boundaries import agreements
from tandem.boundaries.models import Agreement, AgreementVersion
from tandem.boundaries.services import BoundaryError
from tandem.testkit.base import TandemTestCase


class AgreementTests(TandemTestCase):
    def state(self, user=None):
        return agreements.states(self.couple, user or self.alice, date(2027, 1, 1))[0]

    def test_active_only_when_both_confirm(self):
        agreement = agreements.create(self.couple, self.alice, "comfortable", "Massage on Sundays", None)
        self.assertIsNone(self.state().active)
        self.assertTrue(self.state().i_confirmed_proposed)
        agreements.confirm(agreement.versions.first(), self.bo)
        self.assertEqual(self.state().active.text, "Massage on Sundays")

    def test_an_edit_needs_both_and_the_old_version_stays_active_meanwhile(self):
        agreement = agreements.create(self.couple, self.alice, "comfortable", "v1", None)
        agreements.confirm(agreement.versions.first(), self.bo)
        agreements.edit(agreement, self.bo, "v2", None)
        state = self.state()
        self.assertEqual((state.active.text, state.proposed.text), ("v1", "v2"))
        agreements.confirm(agreement.versions.first(), self.alice)
        state = self.state()
        self.assertEqual(state.active.text, "v2")
        self.assertIsNone(state.proposed)

    def test_withdrawing_suspends_at_once(self):
        agreement = agreements.create(self.couple, self.alice, "off_limits", "No tickling", None)
        agreements.confirm(agreement.versions.first(), self.bo)
        agreements.withdraw(agreement, self.bo)
        self.assertIsNone(self.state().active)
        with self.assertRaisesMessage(BoundaryError, "nothing to withdraw"):
            agreements.withdraw(agreement, self.bo)

    def test_only_the_newest_version_can_be_confirmed(self):
        agreement = agreements.create(self.couple, self.alice, "comfortable", "v1", None)
        old = agreement.versions.first()
        agreements.edit(agreement, self.alice, "v2", None)
        with self.assertRaises(AgreementVersion.DoesNotExist):
            old.refresh_from_db()  # an unconfirmed proposal is replaced, not piled up
        newest = agreement.versions.first()
        self.assertEqual(newest.text, "v2")

    def test_revisit_date_reminder(self):
        agreements.create(self.couple, self.alice, "revisit", "Try a blindfold", date(2026, 12, 31))
        self.assertTrue(self.state().due_for_revisit)
        self.assertFalse(agreements.states(self.couple, self.alice, date(2026, 12, 30))[0].due_for_revisit)


class AgreementPageTests(TandemTestCase):
    def url(self):
        return reverse("boundaries:agreements", args=[self.couple.pk])

    def test_write_confirm_and_withdraw_through_the_pages(self):
        self.login(self.alice)
        self.client.post(self.url(), {"group": "comfortable", "text": "Slow mornings"})
        agreement = Agreement.objects.get()
        self.login(self.bo)
        page = self.client.get(self.url())
        self.assertContains(page, "Slow mornings")
        self.client.post(reverse("boundaries:agreement_action", args=[self.couple.pk, agreement.pk, "confirm"]))
        self.assertIsNotNone(agreements.states(self.couple, self.bo, date.today())[0].active)
        self.client.post(reverse("boundaries:agreement_action", args=[self.couple.pk, agreement.pk, "withdraw"]))
        self.assertIsNone(agreements.states(self.couple, self.bo, date.today())[0].active)
        response = self.client.post(
            reverse("boundaries:agreement_action", args=[self.couple.pk, agreement.pk, "shred"])
        )
        self.assertEqual(response.status_code, 404)

    def test_bad_input_keeps_the_text(self):
        self.login(self.alice)
        response = self.client.post(self.url(), {"group": "revisit", "text": "Talk about toys"})
        self.assertContains(response, "Pick the date you&#x27;ll look at this again", status_code=400)
        self.assertContains(response, "Talk about toys", status_code=400)
        response = self.client.post(self.url(), {"group": "someday", "text": ""})
        self.assertContains(response, "Choose comfortable, off-limits", status_code=400)
        self.assertContains(response, "Write the agreement", status_code=400)
        response = self.client.post(self.url(), {"group": "revisit", "text": "x", "revisit_on": "soon"})
        self.assertContains(response, "Enter a date like", status_code=400)
        response = self.client.post(self.url(), {"group": "revisit", "text": "Talk again", "revisit_on": "2027-02-29"})
        self.assertContains(response, "2027-02-29 isn&#x27;t a real date: February 2027 has 28 days", status_code=400)
        self.assertContains(response, "Talk again", status_code=400)
        self.assertFalse(Agreement.objects.exists())

    def test_vocabulary_is_shown_and_editable_here(self):
        from tandem.boundaries.models import ConsentVocabulary

        ConsentVocabulary.objects.create(couple=self.couple, stop="red light")
        self.login(self.bo)
        page = self.client.get(self.url())
        self.assertContains(page, "red light")
        self.assertContains(page, reverse("boundaries:vocabulary", args=[self.couple.pk]))

    def test_revisit_reminder_on_the_page(self):
        agreements.create(self.couple, self.alice, "revisit", "Look again", date.today() - timedelta(days=1))
        self.login(self.bo)
        self.assertContains(self.client.get(self.url()), "Time to revisit this one together")
