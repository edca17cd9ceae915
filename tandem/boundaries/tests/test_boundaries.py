import re

from django.urls import reverse

from tandem.boundaries import services
from tandem.boundaries.models import Answer, CustomItem
from tandem.homework import services as homework
from tandem.homework.content import library
from tandem.testkit.base import TandemTestCase
from tandem.testkit.urls import urls_with_params

SECRET = "ALICE-PRIVATE-NOTE-7731"


def answer(couple, user, section, **values):
    services.save_answers(couple, user, section, {k.replace("_", "-"): (v, "") for k, v in values.items()})


class MatchTests(TandemTestCase):
    def finish_both(self, section="affection"):
        services.finish(self.couple, self.alice, section)
        services.finish(self.couple, self.bo, section)

    def tiers(self, viewer, section="affection"):
        return {m.mine.key: m.tier for m in services.matches(self.couple, viewer, section)}

    def test_tiers_and_any_no_means_no_match(self):
        answer(
            self.couple,
            self.alice,
            "affection",
            kissing="yes",
            cuddling="yes",
            holding_hands="maybe",
            hugging_long="yes",
        )
        answer(
            self.couple, self.bo, "affection", kissing="yes", cuddling="maybe", holding_hands="maybe", hugging_long="no"
        )
        self.finish_both()
        self.assertEqual(
            self.tiers(self.alice), {"kissing": "both_yes", "cuddling": "yes_maybe", "holding-hands": "both_maybe"}
        )

    def test_unanswered_is_not_a_no_but_is_no_match(self):
        answer(self.couple, self.alice, "affection", kissing="yes")
        self.finish_both()
        self.assertEqual(self.tiers(self.alice), {})
        answer(self.couple, self.bo, "affection", kissing="yes")  # answering later makes the match
        self.assertEqual(self.tiers(self.alice), {"kissing": "both_yes"})

    def test_complementary_pairs_match_crosswise(self):
        answer(self.couple, self.alice, "affection", giving_massage="yes", receiving_massage="no")
        answer(self.couple, self.bo, "affection", receiving_massage="yes", giving_massage="maybe")
        self.finish_both()
        self.assertEqual(self.tiers(self.alice), {"giving-massage": "both_yes"})
        # From Bo's side the same agreement reads the other way round.
        self.assertEqual(self.tiers(self.bo), {"receiving-massage": "both_yes"})

    def test_nothing_until_both_finished_the_section(self):
        answer(self.couple, self.alice, "affection", kissing="yes")
        answer(self.couple, self.bo, "affection", kissing="yes")
        services.finish(self.couple, self.alice, "affection")
        self.assertIsNone(services.matches(self.couple, self.alice, "affection"))
        self.login(self.alice)
        self.assertNotContains(
            self.client.get(reverse("boundaries:section", args=[self.couple.pk, "affection"])), 'data-testid="matches"'
        )

    def test_withdrawing_a_yes_removes_the_match_at_once(self):
        answer(self.couple, self.alice, "affection", kissing="yes")
        answer(self.couple, self.bo, "affection", kissing="yes")
        self.finish_both()
        answer(self.couple, self.bo, "affection", kissing="")
        self.assertEqual(self.tiers(self.alice), {})


class PrivacyTests(TandemTestCase):
    def every_boundaries_body(self, viewer) -> str:
        self.login(viewer)
        bodies = []
        for name, params in urls_with_params().items():
            if not name.startswith("boundaries:") or "agreement_id" in params:
                continue
            for section in ("affection", "sensual", "sexual", "setting", "communication"):
                url = reverse(
                    name,
                    kwargs={"couple_id": self.couple.pk, "section": section}
                    if "section" in params
                    else {"couple_id": self.couple.pk},
                )
                bodies.append(self.client.get(url).content.decode())
        return "\n".join(bodies)

    def scrub(self, body: str) -> str:
        return re.sub(r'(csrfmiddlewaretoken" value=|X-CSRFToken": )"[^"]+"', "", body)

    def test_raw_answers_never_reach_the_partner_or_the_therapist(self):
        before_bo = self.scrub(self.every_boundaries_body(self.bo))
        alice = self.client_class()  # her own browser
        alice.force_login(self.alice)
        alice.post(
            reverse("boundaries:section", args=[self.couple.pk, "affection"]),
            {"value-kissing": "no", "note-kissing": SECRET, "value-cuddling": "yes"},
        )
        alice.post(reverse("boundaries:finish", args=[self.couple.pk, "sensual"]), {"empty": "ok"})
        alice.post(
            reverse("boundaries:answer", args=[self.couple.pk, "sexual"]),
            {"item": "giving-oral", "value-giving-oral": "no"},
        )
        after_bo = self.scrub(self.every_boundaries_body(self.bo))
        # Byte-identical for Bo: no per-item signal, not even that Alice answered.
        self.assertEqual(before_bo, after_bo)
        self.assertNotIn(SECRET, after_bo)
        # The therapist can't open any boundaries page at all.
        self.login(self.theo)
        for name, params in urls_with_params().items():
            if name.startswith("boundaries:") and "agreement_id" not in params:
                kwargs = {"couple_id": self.couple.pk, **({"section": "affection"} if "section" in params else {})}
                url = reverse(name, kwargs=kwargs)
                posts = ("finish", "answer", "add_item", "share_matches", "vocabulary")
                method = self.client.post if name.endswith(posts) else self.client.get
                self.assertEqual(method(url).status_code, 404, url)

    def test_my_history_is_mine(self):
        answer(self.couple, self.alice, "affection", kissing="no")
        self.login(self.bo)
        self.assertNotContains(self.client.get(reverse("boundaries:history", args=[self.couple.pk])), "Kissing")
        self.login(self.alice)
        self.assertContains(self.client.get(reverse("boundaries:history", args=[self.couple.pk])), "Kissing: no")

    def test_custom_items_are_anonymous(self):
        self.login(self.bo)
        self.client.post(reverse("boundaries:add_item", args=[self.couple.pk, "setting"]), {"label": "Candles"})
        item = CustomItem.objects.get()
        self.assertFalse(hasattr(item, "author_id"))
        self.login(self.alice)
        page = self.client.get(reverse("boundaries:section", args=[self.couple.pk, "setting"]))
        self.assertContains(page, "Candles")
        self.assertNotRegex(page.content.decode(), r"\bBo\b")  # her name, not "viewBox"

    def test_bad_input_saves_nothing(self):
        self.login(self.alice)
        url = reverse("boundaries:section", args=[self.couple.pk, "affection"])
        response = self.client.post(
            url, {"value-kissing": "yes", "value-cuddling": "sometimes", "note-kissing": "mine"}
        )
        self.assertContains(response, "Choose yes, maybe, no", status_code=400)
        self.assertContains(response, 'value="mine"', status_code=400)
        self.assertFalse(Answer.objects.exists())
        response = self.client.post(url, {"value-kissing": "yes", "note-kissing": "n" * 301})
        self.assertContains(response, "under 300 characters", status_code=400)
        self.assertFalse(Answer.objects.exists())
        self.assertEqual(self.client.get(reverse("boundaries:section", args=[self.couple.pk, "nope"])).status_code, 404)
        response = self.client.post(reverse("boundaries:add_item", args=[self.couple.pk, "setting"]), {"label": ""})
        self.assertContains(response, "Describe the item", status_code=400)

    def test_a_nul_byte_in_a_custom_item_is_refused_as_in_every_form(self):
        self.login(self.alice)
        url = reverse("boundaries:add_item", args=[self.couple.pk, "setting"])
        response = self.client.post(url, {"label": "Can\x00dles"})
        self.assertContains(response, "Null characters are not allowed.", status_code=400)
        self.assertFalse(CustomItem.objects.exists())
        # Too long says so as before, and a good label still goes in, trimmed.
        self.assertContains(
            self.client.post(url, {"label": "x" * 121}), "Describe the item in 1 to 120", status_code=400
        )
        self.client.post(url, {"label": "  Candles  "})
        self.assertEqual(CustomItem.objects.get().label, "Candles")


class ExclusionTests(TandemTestCase):
    def test_a_no_keeps_exercises_out_without_saying_whose(self):
        spec = library().exercise("tactile-game")
        self.assertIn("clothed-touch", spec.boundary_items)
        for user in (self.alice, self.bo):
            user.refresh_from_db()
            user.consent_level = 1
            user.save()
        answer(self.couple, self.bo, "affection", clothed_touch="no")
        self.login(self.alice)
        self.assertNotContains(self.client.get(reverse("homework:library", args=[self.couple.pk])), "Tactile")
        with self.assertRaisesMessage(homework.HomeworkError, "not in your current boundaries"):
            homework.propose(self.couple, spec, self.alice)
        # Like an exercise above the couple's level, it is as good as absent: no page, no form.
        self.assertEqual(
            self.client.get(reverse("homework:exercise", args=[self.couple.pk, "tactile-game"])).status_code, 404
        )
        response = self.client.post(reverse("homework:propose", args=[self.couple.pk, "tactile-game"]), {})
        self.assertEqual(response.status_code, 404)
        self.assertNotContains(response, "Bo said", status_code=404)


class CatalogueTests(TandemTestCase):
    def test_every_exercise_boundary_item_is_in_the_catalogue(self):
        from tandem.boundaries.catalogue import item_keys

        keys = item_keys()
        for spec in library().exercises.values():
            for item in spec.boundary_items:
                self.assertIn(item, keys, f"{spec.slug}: {item}")

    def test_broken_pairs_are_refused(self):
        import tempfile
        from pathlib import Path

        from tandem.boundaries.catalogue import load_catalogue
        from tandem.homework.content import ContentError

        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
            fh.write("sections:\n  - slug: a\n    title: A\n    items:\n      - {slug: x, label: X, pair: y}\n")
        with self.assertRaisesMessage(ContentError, "pairs must point at each other"):
            load_catalogue(Path(fh.name))

    def test_a_label_cut_by_an_unquoted_comma_is_refused(self):
        import tempfile
        from pathlib import Path

        from tandem.boundaries.catalogue import load_catalogue
        from tandem.homework.content import ContentError

        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as fh:
            fh.write("sections:\n  - slug: a\n    title: A\n    items:\n      - {slug: x, label: Long, slow hugs}\n")
        with self.assertRaisesMessage(ContentError, "unknown keys ['slow hugs'] (quote labels that hold a comma)"):
            load_catalogue(Path(fh.name))
        with open(fh.name, "w") as again:
            again.write("sections:\n  - slug: a\n    title: A\n    items:\n      - {slug: x, label: [1, 2]}\n")
        with self.assertRaisesMessage(ContentError, "needs a slug and a label"):
            load_catalogue(Path(fh.name))
        for item in ("just-a-word", "null"):
            with open(fh.name, "w") as again:
                again.write(f"sections:\n  - slug: a\n    title: A\n    items:\n      - {item}\n")
            with self.assertRaisesMessage(ContentError, "sections[1].items[1]: needs a slug and a label"):
                load_catalogue(Path(fh.name))
