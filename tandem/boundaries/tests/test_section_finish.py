"""Nothing tapped on a section page is lost: each answer is kept as it is
tapped (htmx), "I've finished" saves what is on the form first, and a
section nobody answered in is never called "no matches"."""

import re

from django.urls import reverse

from tandem.boundaries import services
from tandem.boundaries.models import Answer, AnswerChange, CustomItem, SectionDone
from tandem.testkit.base import TandemTestCase

HTMX = {"HX-Request": "true"}


def answer(couple, user, section, **values):
    services.save_answers(couple, user, section, {k.replace("_", "-"): (v, "") for k, v in values.items()})


class SectionPage(TandemTestCase):
    section = "affection"

    def page_url(self, section=None):
        return reverse("boundaries:section", args=[self.couple.pk, section or self.section])

    def finish_url(self, section=None):
        return reverse("boundaries:finish", args=[self.couple.pk, section or self.section])

    def answer_url(self, section=None):
        return reverse("boundaries:answer", args=[self.couple.pk, section or self.section])

    def mine(self, user) -> dict[str, tuple[str, str]]:
        return {a.item_key: (a.value, a.note) for a in Answer.objects.filter(couple=self.couple, author=user)}

    def finished(self, user) -> bool:
        return SectionDone.objects.filter(couple=self.couple, author=user, section=self.section).exists()

    def matches_card(self, user) -> str:
        """The reveal part of ``user``'s section page, as they see it."""
        self.login(user)
        body = self.client.get(self.page_url()).content.decode()
        card = re.search(r'<section class="card"[^>]*data-testid="matches".*?</section>', body, re.S)
        return card.group(0) if card else ""


class FinishSavesTheFormTests(SectionPage):
    def test_finishing_without_pressing_save_keeps_the_answers(self):
        # The tester's case: tap answers, press "I've finished", never "Save".
        for user, cuddling in ((self.alice, "yes"), (self.bo, "maybe")):
            self.login(user)
            response = self.client.post(
                self.finish_url(),
                {
                    "value-kissing": "yes",
                    "note-kissing": "slowly",
                    "value-cuddling": cuddling,
                    "value-hugging-long": "",
                },
            )
            self.assertRedirects(response, self.page_url())
            self.assertTrue(self.finished(user))
        self.assertEqual(self.mine(self.alice), {"kissing": ("yes", "slowly"), "cuddling": ("yes", "")})
        card = self.matches_card(self.alice)
        self.assertIn("Kissing", card)
        self.assertIn("Cuddling", card)
        self.assertNotIn("No shared yes or maybe", card)

    def test_the_finish_button_belongs_to_the_answers_form(self):
        self.login(self.alice)
        body = self.client.get(self.page_url()).content.decode()
        form = re.search(r"<form[^>]*>(?:(?!</form>).)*I've finished this section", body, re.S)
        self.assertIsNotNone(form, "the finish button is not in a form")
        self.assertIn('name="value-kissing"', form.group(0))  # so the browser sends the answers with it

    def test_a_refused_finish_keeps_what_was_saved_and_gives_back_what_was_typed(self):
        answer(self.couple, self.alice, self.section, kissing="yes", cuddling="maybe")
        self.login(self.alice)
        response = self.client.post(
            self.finish_url(),
            {"value-kissing": "no", "note-kissing": "n" * 301, "value-cuddling": "sometimes", "note-cuddling": "mine"},
        )
        self.assertContains(response, "Keep the note under 300 characters (it has 301).", status_code=400)
        self.assertContains(response, "Choose yes, maybe, no, or leave it unanswered.", status_code=400)
        self.assertContains(response, "the section isn&#x27;t finished yet", status_code=400)
        self.assertContains(response, 'value="mine"', status_code=400)  # the typed note comes back
        self.assertContains(response, 'id="v-kissing-no" name="value-kissing" value="no" checked', status_code=400)
        self.assertEqual(self.mine(self.alice), {"kissing": ("yes", ""), "cuddling": ("maybe", "")})
        self.assertFalse(self.finished(self.alice))

    def test_items_not_on_the_form_are_left_as_they_are(self):
        # A form that doesn't carry an item (added meanwhile, another tab) must not unanswer it.
        answer(self.couple, self.alice, self.section, kissing="yes", cuddling="maybe")
        self.login(self.alice)
        self.client.post(self.finish_url(), {"value-kissing": "maybe"})
        self.assertEqual(self.mine(self.alice), {"kissing": ("maybe", ""), "cuddling": ("maybe", "")})

    def test_opening_it_again_keeps_the_answers_on_the_form_too(self):
        answer(self.couple, self.alice, self.section, kissing="yes")
        services.finish(self.couple, self.alice, self.section)
        self.login(self.alice)
        self.client.post(self.finish_url(), {"reopen": "1", "value-kissing": "maybe", "value-cuddling": "yes"})
        self.assertFalse(self.finished(self.alice))
        self.assertEqual(self.mine(self.alice), {"kissing": ("maybe", ""), "cuddling": ("yes", "")})

    def test_finishing_with_nothing_answered_asks_first(self):
        self.login(self.alice)
        response = self.client.post(self.finish_url(), {"value-kissing": "", "value-cuddling": ""})
        self.assertContains(response, "You haven't answered any item in this section yet.")
        self.assertContains(response, "Finish without answering")
        self.assertFalse(self.finished(self.alice))
        # A note alone is not an answer either, but it is kept.
        response = self.client.post(self.finish_url(), {"value-kissing": "", "note-kissing": "ask me later"})
        self.assertContains(response, "Finish without answering")
        self.assertEqual(self.mine(self.alice), {"kissing": ("", "ask me later")})
        self.assertFalse(self.finished(self.alice))
        # Confirmed: finished, with nothing answered.
        response = self.client.post(self.finish_url(), {"empty": "ok", "value-kissing": ""})
        self.assertRedirects(response, self.page_url())
        self.assertTrue(self.finished(self.alice))

    def test_the_save_button_still_saves_and_a_note_without_an_answer_is_kept(self):
        answer(self.couple, self.alice, self.section, kissing="yes")
        self.login(self.alice)
        self.client.post(self.page_url(), {"value-kissing": "", "note-kissing": "not tonight", "value-cuddling": "no"})
        self.assertEqual(self.mine(self.alice), {"kissing": ("", "not tonight"), "cuddling": ("no", "")})
        self.assertContains(self.client.get(self.page_url()), 'value="not tonight"')
        self.assertFalse(self.finished(self.alice))


class AnswerOneItemTests(SectionPage):
    def post_item(self, data, user=None):
        self.login(user or self.alice)
        return self.client.post(self.answer_url(), data, headers=HTMX)

    def test_one_tapped_answer_is_saved_at_once_and_says_so(self):
        answer(self.couple, self.alice, self.section, cuddling="maybe")
        response = self.post_item({"item": "kissing", "value-kissing": "yes", "note-kissing": " gently "})
        self.assertContains(response, "Saved")
        self.assertNotContains(response, "<html")  # a fragment for the item's status, not a page
        self.assertEqual(self.mine(self.alice), {"kissing": ("yes", "gently"), "cuddling": ("maybe", "")})
        # Changing it, or taking it back, is one tap too; the other item stays.
        self.post_item({"item": "kissing", "value-kissing": "", "note-kissing": ""})
        self.assertEqual(self.mine(self.alice), {"cuddling": ("maybe", "")})
        self.assertEqual(AnswerChange.objects.filter(author=self.alice, item_key="kissing").count(), 2)

    def test_custom_items_are_saved_one_by_one_too(self):
        self.login(self.bo)
        self.client.post(reverse("boundaries:add_item", args=[self.couple.pk, self.section]), {"label": "Slow dance"})
        key = services.section_items(self.couple, self.section)[-1].key
        self.assertContains(self.post_item({"item": key, f"value-{key}": "yes"}), "Saved")
        self.assertEqual(self.mine(self.alice), {key: ("yes", "")})

    def test_bad_input_says_what_is_wrong_and_loses_nothing(self):
        answer(self.couple, self.alice, self.section, kissing="yes")
        before = self.mine(self.alice)
        cases = [
            ({"item": "kissing", "value-kissing": "sometimes"}, "Choose yes, maybe, no, or leave it unanswered."),
            ({"item": "nope", "value-nope": "yes"}, "That item isn&#x27;t in this section"),
            ({"value-kissing": "no"}, "That item isn&#x27;t in this section"),
            ({"item": "kissing", "value-kissing": "no", "note-kissing": "a\x00b"}, "Null characters are not allowed."),
            (
                {"item": "kissing", "value-kissing": "no", "note-kissing": "n" * 301},
                "Keep the note under 300 characters (it has 301).",
            ),
        ]
        for data, message in cases:
            with self.subTest(data=data):
                response = self.post_item(data)
                self.assertContains(response, message, status_code=422)
                self.assertNotContains(response, "Saved", status_code=422)
                self.assertEqual(self.mine(self.alice), before)

    def test_an_unknown_section_is_not_found(self):
        self.login(self.alice)
        url = reverse("boundaries:answer", args=[self.couple.pk, "nope"])
        self.assertEqual(self.client.post(url, {"item": "kissing", "value-kissing": "yes"}).status_code, 404)
        self.assertFalse(Answer.objects.exists())

    def test_outsiders_and_the_therapist_get_404_and_write_nothing(self):
        for user in [*self.outsiders, self.theo]:
            with self.subTest(user=user.email):
                response = self.post_item({"item": "kissing", "value-kissing": "yes"}, user=user)
                self.assertEqual(response.status_code, 404)
        self.assertFalse(Answer.objects.exists())

    def test_get_writes_nothing(self):
        self.login(self.alice)
        response = self.client.get(self.answer_url(), {"item": "kissing", "value-kissing": "yes"}, headers=HTMX)
        self.assertEqual(response.status_code, 405)
        self.assertFalse(Answer.objects.exists())
        self.assertFalse(AnswerChange.objects.exists())

    def test_the_page_saves_each_item_on_change_and_has_a_polite_status_per_item(self):
        self.login(self.alice)
        body = self.client.get(self.page_url()).content.decode()
        fieldset = re.search(r'<fieldset[^>]*id="item-kissing"[^>]*>', body).group(0)
        self.assertIn(f'hx-post="{self.answer_url()}"', fieldset)
        self.assertIn('hx-trigger="change"', fieldset)
        self.assertIn("value-kissing,note-kissing", fieldset)  # only this item is sent
        self.assertRegex(body, r'<p[^>]*id="saved-kissing"[^>]*role="status"')
        # The page itself still posts to a real URL: it works without JavaScript.
        self.assertRegex(body, rf'<form method="post" action="{self.page_url()}"')


class NothingAnsweredIsNotNoMatchTests(SectionPage):
    def finish_both(self):
        services.finish(self.couple, self.alice, self.section)
        services.finish(self.couple, self.bo, self.section)

    def test_a_section_nobody_answered_is_not_called_no_matches(self):
        self.finish_both()
        for user in (self.alice, self.bo):
            card = self.matches_card(user)
            self.assertIn("You haven't answered any item in this section yet", card)
            self.assertNotIn("No shared yes or maybe", card)
            self.assertNotIn("your partner", card.lower())  # nothing is said about the other one

    def test_what_i_see_never_tells_whether_my_partner_answered(self):
        answer(self.couple, self.alice, self.section, kissing="yes")
        self.finish_both()
        # Bo answered nothing: Bo is told so about himself ...
        self.assertIn("You haven't answered any item", self.matches_card(self.bo))
        # ... while Alice sees exactly what she would see after a "no" from Bo.
        alice_when_bo_answered_nothing = self.matches_card(self.alice)
        self.assertIn("No shared yes or maybe", alice_when_bo_answered_nothing)
        answer(self.couple, self.bo, self.section, kissing="no")
        self.assertEqual(self.matches_card(self.alice), alice_when_bo_answered_nothing)
        # Only a "no", and Bo's page speaks of no matches like Alice's does.
        self.assertIn("No shared yes or maybe", self.matches_card(self.bo))

    def test_answering_later_fills_the_reveal(self):
        self.finish_both()
        answer(self.couple, self.alice, self.section, kissing="yes")
        answer(self.couple, self.bo, self.section, kissing="maybe")
        self.assertIn("Kissing", self.matches_card(self.alice))


class AddItemKeepsTheFormTests(TandemTestCase):
    """The "Add" box belongs to the answers form: without JavaScript, adding
    an item must not drop answers tapped but not saved, nor a refused label."""

    section = "affection"

    def setUp(self):
        self.login(self.alice)
        self.add = reverse("boundaries:add_item", args=[self.couple.pk, self.section])
        self.page = reverse("boundaries:section", args=[self.couple.pk, self.section])

    def mine(self) -> dict:
        return {a.item_key: (a.value, a.note) for a in Answer.objects.filter(author=self.alice)}

    def test_adding_an_item_saves_the_answers_on_the_form_first(self):
        response = self.client.post(self.add, {"value-kissing": "yes", "note-kissing": "slowly", "label": "Slow dance"})
        self.assertRedirects(response, self.page)
        self.assertEqual(self.mine(), {"kissing": ("yes", "slowly")})
        self.assertEqual(list(CustomItem.objects.values_list("label", flat=True)), ["Slow dance"])

    def test_a_refused_label_comes_back_with_its_reason_and_the_answers_are_kept(self):
        response = self.client.post(self.add, {"value-kissing": "maybe", "label": "x" * 121})
        self.assertContains(response, "Describe the item in 1 to 120 characters (it has 121).", status_code=400)
        self.assertContains(response, 'value="' + "x" * 121 + '"', status_code=400)
        self.assertEqual(self.mine(), {"kissing": ("maybe", "")})
        self.assertFalse(CustomItem.objects.exists())

    def test_a_wrong_answer_keeps_both_the_answers_and_the_label_unsaved_on_the_page(self):
        response = self.client.post(
            self.add, {"value-kissing": "sometimes", "note-kissing": "mine", "label": "Candles"}
        )
        self.assertContains(response, "the item isn&#x27;t added yet", status_code=400)
        self.assertContains(response, 'value="Candles"', status_code=400)
        self.assertContains(response, 'value="mine"', status_code=400)
        self.assertEqual(self.mine(), {})
        self.assertFalse(CustomItem.objects.exists())

    def test_enter_in_the_new_item_box_saves_answers_and_adds_it(self):
        # Enter sends the form by its first button: the section's own save.
        response = self.client.post(self.page, {"value-kissing": "no", "label": "Candles"})
        self.assertRedirects(response, self.page)
        self.assertEqual(self.mine(), {"kissing": ("no", "")})
        self.assertEqual(list(CustomItem.objects.values_list("label", flat=True)), ["Candles"])

    def test_the_add_button_and_box_belong_to_the_answers_form(self):
        page = self.client.get(self.page).content.decode()
        self.assertIn('name="label" form="answers"', page)
        self.assertRegex(page, r'<button[^>]*form="answers"[^>]*formaction="[^"]*/add')
