"""Therapist-written exercises: the library's validation, privacy, versions."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from tandem.authoring import services
from tandem.authoring.models import PracticeExercise
from tandem.authoring.tests.factories import VALID, make_practice_exercise
from tandem.homework.content import ContentError, parse_exercise
from tandem.homework.models import Exercise
from tandem.homework.services import propose
from tandem.testkit.base import TandemTestCase, make_therapist


def library_error(slug: str, replace: tuple[str, str]) -> ContentError:
    """The library's own error for a library file with one line changed."""
    path = Path(settings.CONTENT_DIR) / "exercises" / f"{slug}.md"
    text = path.read_text(encoding="utf-8")
    assert replace[0] in text, replace[0]
    try:
        parse_exercise(path, text.replace(replace[0], replace[1], 1))
    except ContentError as error:
        return error
    raise AssertionError("the library accepted it")


class AuthoringTestCase(TandemTestCase):
    def create(self, therapist_user=None, **changes) -> PracticeExercise:
        return make_practice_exercise(therapist_user or self.theo, **changes)

    def post_new(self, **changes):
        self.login(self.theo)
        return self.client.post(reverse("authoring:new"), {**VALID, **changes})

    def field_errors(self, response, field: str) -> list[str]:
        return response.context["form"].errors.get(field, [])


class ValidationParityTests(AuthoringTestCase):
    def test_a_valid_form_saves_a_library_file(self):
        response = self.post_new()
        exercise = PracticeExercise.objects.get()
        self.assertRedirects(response, reverse("authoring:exercise", args=[exercise.pk]))
        # The stored source is a library file: the library's parser reads it as is.
        spec = parse_exercise(Path("evening-walk.md"), exercise.source)
        self.assertEqual(
            (spec.slug, spec.version, spec.kind, spec.minutes), ("evening-walk", 1, "write_then_share", 30)
        )
        self.assertEqual(spec.debrief, ("What surprised you?", "Would you walk again next week?"))
        self.assertEqual(spec.tags, ("talk", "weekly"))
        self.assertFalse(exercise.shared)
        # Opening it again shows what was written.
        values = services.values_from_source(exercise.source)
        for field in ("title", "kind", "minutes", "role_b_prompt", "debrief", "body"):
            self.assertEqual(values[field], VALID[field].strip(), field)

    def test_an_invalid_kind_reads_as_in_the_library(self):
        expected = library_error("appreciations", ("kind: write_then_share", "kind: dance"))
        response = self.post_new(kind="dance")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.field_errors(response, "kind"), [expected.why])
        self.assertFalse(PracticeExercise.objects.exists())

    def test_a_missing_role_prompt_reads_as_in_the_library(self):
        text = (Path(settings.CONTENT_DIR) / "exercises" / "appreciations.md").read_text(encoding="utf-8")
        prompt = next(line for line in text.splitlines() if line.startswith("    prompt:"))
        expected = library_error("appreciations", (prompt, '    prompt: ""'))
        response = self.post_new(role_b_prompt="  ")
        self.assertEqual(self.field_errors(response, "role_b_prompt"), [expected.why])
        self.assertEqual(expected.field, "roles.a")  # the library names the part; the form points at the prompt
        self.assertFalse(PracticeExercise.objects.exists())

    def test_an_intimacy_level_out_of_range_reads_as_in_the_library(self):
        expected = library_error("appreciations", ("intimacy_level: 0", "intimacy_level: 5"))
        response = self.post_new(intimacy_level="5")
        self.assertEqual(self.field_errors(response, "intimacy_level"), [expected.why])
        self.assertEqual(expected.why, "must be a whole number from 0 to 3, not 5")
        self.assertContains(response, "must be a whole number from 0 to 3, not 5")

    def test_an_unknown_field_reads_as_in_the_library(self):
        expected = library_error("appreciations", ("minutes: 15", "minutes: 15\ncolour: blue"))
        exercise = self.create()
        with self.assertRaises(ContentError) as caught:
            services.parse_source(exercise.slug, exercise.source.replace("minutes: 30", "minutes: 30\ncolour: blue"))
        self.assertEqual((caught.exception.field, caught.exception.why), (expected.field, expected.why))

    def test_a_stored_source_the_parser_now_refuses_is_skipped_and_can_be_fixed(self):
        # E.g. after the library format changes: one stale exercise must not
        # break the assign form, and its author can still open and re-save it.
        exercise = self.create()
        PracticeExercise.objects.filter(pk=exercise.pk).update(
            source=exercise.source.replace("minutes: 30", "minutes: 30\ncolour: blue")
        )
        with self.assertLogs("tandem.authoring.services", "WARNING"):
            self.assertEqual(services.specs_for(self.theo.therapist), [])
        self.login(self.theo)
        url = reverse("authoring:exercise", args=[exercise.pk])
        self.assertContains(self.client.get(url), "Evening walk")
        self.assertRedirects(self.client.post(url, {**VALID}), url)
        exercise.refresh_from_db()
        self.assertEqual(exercise.version, 2)
        self.assertNotIn("colour", exercise.source)
        self.assertEqual(len(services.specs_for(self.theo.therapist)), 1)

    def test_every_problem_is_named_at_once(self):
        response = self.post_new(title="", minutes="lots", role_a_name="", debrief="")
        errors = response.context["form"].errors
        self.assertEqual(errors["title"], ["is required"])
        self.assertEqual(errors["minutes"], ["must be a whole number from 1 to 240, not 'lots'"])
        self.assertEqual(errors["role_a_name"], ["name and prompt must be non-empty text"])
        self.assertEqual(errors["debrief"], ["is required"])
        self.assertContains(response, "Nothing was saved yet")
        self.assertFalse(PracticeExercise.objects.exists())

    def test_kind_specific_fields_follow_the_library(self):
        cases = [
            ({"kind": "touch"}, "stage", "is required"),
            ({"stage": "2"}, "stage", "only touch exercises have stages"),
            ({"intimacy_level": "3"}, "optional_note", library_error("mirror-of-desire", ("level: 2", "level: 3")).why),
            ({"kind": "listening", "saves": "vocabulary"}, "saves", "only write-then-share exercises can save a list"),
            ({"slug": "Evening Walk"}, "slug", "must be lower-case words joined by dashes"),
            ({"body": "   "}, "body", "the instructions after the front matter are empty"),
        ]
        for changes, field, why in cases:
            with self.subTest(field=field, changes=changes):
                self.assertEqual(self.field_errors(self.post_new(**changes), field), [why])
        self.assertFalse(PracticeExercise.objects.exists())
        touch = self.post_new(slug="slow-hands", kind="touch", stage="1", intimacy_level="1")
        self.assertEqual(touch.status_code, 302)

    def test_prerequisites_and_boundary_items_must_exist(self):
        response = self.post_new(prerequisites="consent-vocabulary, no-such-exercise", boundary_items="no-such-item")
        self.assertEqual(self.field_errors(response, "prerequisites"), ["no exercise is called 'no-such-exercise'"])
        self.assertEqual(self.field_errors(response, "boundary_items"), ["no boundary item is called 'no-such-item'"])
        ok = self.post_new(prerequisites="consent-vocabulary", boundary_items="clothed-touch")
        self.assertEqual(ok.status_code, 302)


class SlugTests(AuthoringTestCase):
    def test_a_library_slug_is_reserved(self):
        response = self.post_new(slug="appreciations")
        self.assertEqual(self.field_errors(response, "slug"), ["is the slug of a library exercise: choose another"])
        self.assertFalse(PracticeExercise.objects.exists())

    def test_a_slug_is_used_once_per_practice_but_each_practice_has_its_own(self):
        first = self.create()
        response = self.post_new()
        self.assertEqual(self.field_errors(response, "slug"), ["is already used by another exercise of your practice"])
        other = self.create(self.una)
        self.assertNotEqual(first.spec_slug, other.spec_slug)
        self.assertEqual(first.spec_slug, f"p{self.theo.therapist.pk}-evening-walk")

    def test_the_slug_can_not_be_changed_later(self):
        exercise = self.create()
        self.login(self.theo)
        self.client.post(reverse("authoring:exercise", args=[exercise.pk]), {**VALID, "slug": "renamed"})
        exercise.refresh_from_db()
        self.assertEqual(exercise.slug, "evening-walk")

    def test_given_exercises_never_collide_with_the_library(self):
        spec = services.spec_for(self.theo.therapist, self.create(slug="appreciation").spec_slug)
        propose(self.couple, spec, self.theo, source="therapist")
        self.assertEqual(Exercise.objects.get().slug, f"p{self.theo.therapist.pk}-appreciation")


class VersionTests(AuthoringTestCase):
    def test_an_edit_raises_the_version_and_homework_given_keeps_its_words(self):
        exercise = self.create()
        old_spec = services.spec_for(self.theo.therapist, exercise.spec_slug)
        assignment = propose(self.couple, old_spec, self.theo, source="therapist")

        self.login(self.theo)
        url = reverse("authoring:exercise", args=[exercise.pk])
        response = self.client.post(url, {**VALID, "role_a_prompt": "New words for part A."})
        self.assertRedirects(response, url)
        exercise.refresh_from_db()
        self.assertEqual(exercise.version, 2)

        assignment.refresh_from_db()
        self.assertEqual(assignment.exercise.version, 1)
        self.assertEqual(assignment.exercise.spec.roles["a"].prompt, VALID["role_a_prompt"])
        new_spec = services.spec_for(self.theo.therapist, exercise.spec_slug)
        self.assertEqual((new_spec.version, new_spec.roles["a"].prompt), (2, "New words for part A."))
        # Given again, it is the new version, frozen beside the old one.
        propose(self.other_couple_ready(), new_spec, self.theo, source="therapist")
        self.assertEqual(Exercise.objects.filter(slug=exercise.spec_slug).count(), 2)

    def other_couple_ready(self):
        from tandem.testkit.base import link_therapist

        link_therapist(self.other_couple, self.theo)
        return self.other_couple

    def test_saving_without_changes_keeps_the_version(self):
        exercise = self.create()
        self.login(self.theo)
        response = self.client.post(reverse("authoring:exercise", args=[exercise.pk]), VALID, follow=True)
        self.assertContains(response, "Nothing changed.")
        exercise.refresh_from_db()
        self.assertEqual(exercise.version, 1)

    def test_an_edit_with_a_problem_keeps_the_stored_version(self):
        exercise = self.create()
        before = exercise.source
        self.login(self.theo)
        response = self.client.post(
            reverse("authoring:exercise", args=[exercise.pk]), {**VALID, "title": "", "role_a_prompt": "Changed."}
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self.field_errors(response, "title"), ["is required"])
        self.assertContains(response, "Nothing was saved: version 1 stays as it was.")
        # The edit is still on the page to fix, and nothing stored moved.
        self.assertContains(response, "Changed.")
        exercise.refresh_from_db()
        self.assertEqual((exercise.version, exercise.source), (1, before))


class PrivacyTests(AuthoringTestCase):
    def urls(self, exercise: PracticeExercise) -> list[str]:
        return [
            reverse("authoring:list"),
            reverse("authoring:new"),
            reverse("authoring:exercise", args=[exercise.pk]),
            reverse("authoring:share", args=[exercise.pk]),
        ]

    def test_partners_and_people_without_a_practice_get_404(self):
        exercise = self.create()
        for person in (self.alice, self.bo, self.olga):
            self.login(person)
            for url in self.urls(exercise):
                with self.subTest(person=person.display_name, url=url):
                    self.assertEqual(self.client.get(url).status_code, 404)
                    self.assertEqual(self.client.post(url, {**VALID, "shared": "1"}).status_code, 404)
        exercise.refresh_from_db()
        self.assertEqual((exercise.version, exercise.shared), (1, False))
        self.assertEqual(PracticeExercise.objects.count(), 1)

    def test_another_practice_sees_an_exercise_only_once_shared(self):
        exercise = self.create()
        url = reverse("authoring:exercise", args=[exercise.pk])
        self.login(self.una)
        self.assertEqual(self.client.get(url).status_code, 404)
        self.assertNotContains(self.client.get(reverse("authoring:list")), "Evening walk")
        self.assertEqual(services.specs_for(self.una.therapist), [])
        self.assertIsNone(services.spec_for(self.una.therapist, exercise.spec_slug))

        self.login(self.theo)
        self.assertRedirects(self.client.post(reverse("authoring:share", args=[exercise.pk]), {"shared": "1"}), url)

        self.login(self.una)
        page = self.client.get(url)
        self.assertContains(page, "Evening walk")
        self.assertContains(page, "shared by Harbour Practice")
        self.assertNotContains(page, '<form method="post" novalidate')  # read-only
        self.assertContains(self.client.get(reverse("authoring:list")), "Evening walk")
        self.assertEqual([s.slug for s in services.specs_for(self.una.therapist)], [exercise.spec_slug])
        self.assertEqual(services.spec_for(self.una.therapist, exercise.spec_slug).title, "Evening walk")

    def test_only_the_practice_that_wrote_it_edits_or_shares_it(self):
        exercise = self.create()
        services.set_shared(exercise, True)
        self.login(self.una)
        self.assertEqual(
            self.client.post(reverse("authoring:exercise", args=[exercise.pk]), {**VALID, "title": "Mine"}).status_code,
            404,
        )
        self.assertEqual(
            self.client.post(reverse("authoring:share", args=[exercise.pk]), {"shared": "0"}).status_code, 404
        )
        exercise.refresh_from_db()
        self.assertEqual((exercise.title, exercise.shared, exercise.version), ("Evening walk", True, 1))

    def test_unsharing_hides_it_again(self):
        exercise = self.create()
        services.set_shared(exercise, True)
        self.login(self.theo)
        self.client.post(reverse("authoring:share", args=[exercise.pk]), {"shared": "0"})
        exercise.refresh_from_db()
        self.assertFalse(exercise.shared)
        self.login(self.una)
        self.assertEqual(self.client.get(reverse("authoring:exercise", args=[exercise.pk])).status_code, 404)

    def test_a_share_request_without_a_choice_changes_nothing(self):
        exercise = self.create()
        self.login(self.theo)
        response = self.client.post(reverse("authoring:share", args=[exercise.pk]), follow=True)
        self.assertContains(response, "Choose whether to share this exercise.")
        exercise.refresh_from_db()
        self.assertFalse(exercise.shared)

    def test_the_list_shows_own_and_shared_exercises(self):
        self.create()
        shared = self.create(self.una, slug="morning-tea", title="Morning tea")
        services.set_shared(shared, True)
        self.create(make_therapist("ivy@example.org", "Ivy", practice="Ivy Rooms"), slug="quiet", title="Quiet one")
        self.login(self.theo)
        page = self.client.get(reverse("authoring:list"))
        self.assertContains(page, "Evening walk")
        self.assertContains(page, "Morning tea")
        self.assertContains(page, "from Unlinked Rooms")
        self.assertNotContains(page, "Quiet one")
        self.assertEqual([s.title for s in services.specs_for(self.theo.therapist)], ["Evening walk", "Morning tea"])


class PageTests(AuthoringTestCase):
    def test_pages_follow_the_site_rules(self):
        # The site-wide audit (tandem/home/tests/test_pages.py) on each page
        # and state of this app, including a form showing errors.
        from tandem.home.tests import test_pages

        own = self.create()
        shared = self.create(self.una, slug="morning-tea", title="Morning tea")
        services.set_shared(shared, True)
        visits = [
            ("get", reverse("authoring:list"), {}),
            ("get", reverse("authoring:new"), {}),
            ("post", reverse("authoring:new"), {**VALID, "title": "", "kind": "dance"}),
            ("get", reverse("authoring:exercise", args=[own.pk]), {}),
            ("post", reverse("authoring:exercise", args=[own.pk]), {**VALID, "intimacy_level": "9"}),
            ("get", reverse("authoring:exercise", args=[shared.pk]), {}),
        ]
        self.login(self.theo)
        for method, url, data in visits:
            with self.subTest(method=method, url=url):
                response = getattr(self.client, method)(url, data)
                self.assertEqual(response.status_code, 200)
                audit = test_pages.PageAudit()
                audit.feed(response.content.decode())
                self.assertEqual(audit.title.strip(), "Tandem")
                self.assertEqual(audit.h1, 1)
                self.assertEqual((audit.inline_scripts, audit.inline_styles, audit.external), (0, 0, []))
                self.assertEqual([i for i in audit.inputs if i not in audit.labels], [])
                self.assertContains(response, "data-quick-exit")


class GivenToACoupleTests(AuthoringTestCase):
    def test_the_couple_does_it_like_a_library_exercise(self):
        exercise = self.create()
        assignment = propose(
            self.couple, services.spec_for(self.theo.therapist, exercise.spec_slug), self.theo, source="therapist"
        )
        self.login(self.alice)
        page = self.client.get(reverse("homework:assignment", args=[self.couple.pk, assignment.pk]))
        self.assertContains(page, "Evening walk")
        self.assertContains(page, "Leave phones at home.")
        self.assertContains(self.client.get(reverse("homework:this_week", args=[self.couple.pk])), "Evening walk")
