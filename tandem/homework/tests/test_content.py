"""The exercise library loads, and a broken file fails loudly with its name."""

import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.test import SimpleTestCase, TestCase, override_settings

from tandem.homework.checks import exercise_files_are_valid
from tandem.homework.content import ContentError, library, load_library, parse_exercise
from tandem.homework.kinds import KINDS
from tandem.homework.models import Exercise

GOOD = """---
slug: sample
version: 1
title: Sample
kind: write_then_share
summary: A sample.
goal: To test.
minutes: 10
intimacy_level: 0
roles:
  a: {name: Writer, prompt: Write.}
  b: {name: Writer, prompt: Write.}
debrief:
  - How was it
---
Do the thing.
"""


def parse(text: str, name: str = "sample.md"):
    return parse_exercise(Path(name), text)


class RealLibraryTests(SimpleTestCase):
    def test_at_least_eighteen_exercises_and_four_programs_load(self):
        lib = load_library()
        self.assertGreaterEqual(len(lib.exercises), 18)
        self.assertLessEqual({"reconnect", "sensate-focus", "talking-about-desire", "hard-season"}, set(lib.programs))

    def test_every_kind_is_covered_and_sensate_focus_has_four_gated_stages(self):
        lib = load_library()
        self.assertEqual({s.kind for s in lib.exercises.values()}, set(KINDS))
        stages = sorted((s.stage, s.slug) for s in lib.exercises.values() if s.kind == "touch")
        self.assertEqual([stage for stage, _slug in stages], [1, 2, 3, 4])
        for (_stage, slug), (_prev_stage, prev_slug) in zip(stages[1:], stages, strict=False):
            self.assertIn(prev_slug, lib.exercises[slug].prerequisites)

    def test_sexual_exercises_say_how_they_stay_optional(self):
        for spec in load_library().exercises.values():
            if spec.intimacy_level == 3:
                self.assertTrue(spec.optional_note, spec.slug)

    def test_inclusive_wording(self):
        import re

        gendered = re.compile(r"\b(he|she|his|hers|him|man|woman|husband|wife|boyfriend|girlfriend)\b", re.I)
        for path in (Path(settings.CONTENT_DIR)).rglob("*.*"):
            with self.subTest(file=path.name):
                self.assertIsNone(gendered.search(path.read_text()), path.name)

    def test_no_system_check_errors(self):
        self.assertEqual(exercise_files_are_valid(None), [])


class BrokenFileTests(SimpleTestCase):
    def assert_broken(self, text: str, field: str, why: str, name: str = "sample.md"):
        with self.assertRaises(ContentError) as caught:
            parse(text, name)
        self.assertEqual(caught.exception.field, field)
        self.assertIn(why, caught.exception.why)
        self.assertIn(name, str(caught.exception))

    def test_good_file_parses(self):
        self.assertEqual(parse(GOOD).title, "Sample")

    def test_each_kind_of_breakage_names_the_field(self):
        cases = [
            (GOOD.replace("---\nslug", "slug", 1), "front matter", "three dashes"),
            (GOOD.replace("kind: write_then_share", "kind: dance"), "kind", "must be one of"),
            (GOOD.replace("minutes: 10", "minutes: 0"), "minutes", "from 1 to 240"),
            (GOOD.replace("intimacy_level: 0", "intimacy_level: 7"), "intimacy_level", "from 0 to 3"),
            (GOOD.replace("  b: {name: Writer, prompt: Write.}\n", ""), "roles", "a part for each partner"),
            (GOOD.replace("title: Sample\n", ""), "title", "is required"),
            (GOOD.replace("debrief:\n  - How was it", "debrief: []"), "debrief", "at least one"),
            (GOOD.replace("version: 1", "version: 1\ncolour: blue"), "colour", "not a field we know"),
            (GOOD.replace("Do the thing.\n", ""), "body", "empty"),
            (GOOD.replace("intimacy_level: 0", "intimacy_level: 3"), "optional_note", "non-sexual path"),
            (GOOD.replace("kind: write_then_share", "kind: touch"), "stage", "is required"),
            (GOOD.replace("minutes: 10", "minutes: 10\nstage: 2"), "stage", "only touch exercises"),
            (GOOD.replace("title: Sample", "title: [unclosed"), "front matter", "not valid YAML"),
        ]
        for text, field, why in cases:
            with self.subTest(field=field, why=why):
                self.assert_broken(text, field, why)

    def test_slug_must_match_the_file_name(self):
        self.assert_broken(GOOD, "slug", "must match the file name", name="other.md")

    def test_a_broken_file_stops_start_up_with_its_name(self):
        root = Path(tempfile.mkdtemp())
        try:
            shutil.copytree(settings.CONTENT_DIR, root, dirs_exist_ok=True)
            (root / "exercises" / "sample.md").write_text(GOOD.replace("minutes: 10", "minutes: lots"))
            with override_settings(CONTENT_DIR=root):
                errors = exercise_files_are_valid(None)
            self.assertEqual(len(errors), 1)
            self.assertIn("sample.md: minutes", errors[0].msg)
        finally:
            shutil.rmtree(root)

    def test_unknown_prerequisite_and_program_step(self):
        root = Path(tempfile.mkdtemp())
        try:
            (root / "exercises").mkdir()
            (root / "programs").mkdir()
            (root / "exercises" / "sample.md").write_text(
                GOOD.replace("minutes: 10", "minutes: 10\nprerequisites: [ghost]")
            )
            with self.assertRaisesMessage(ContentError, "no exercise is called 'ghost'"):
                load_library(root)
            (root / "exercises" / "sample.md").write_text(GOOD)
            (root / "programs" / "p.yaml").write_text(
                "slug: p\nversion: 1\ntitle: P\nsummary: S\nweeks: 1\n"
                "steps:\n  - {exercise: ghost, cadence: once, week: 1}\n"
            )
            with self.assertRaisesMessage(ContentError, "steps[1].exercise"):
                load_library(root)
        finally:
            shutil.rmtree(root)


class VersionTests(TestCase):
    def test_given_homework_keeps_its_version(self):
        spec = library().exercise("appreciations")
        first = Exercise.objects.snapshot(spec)
        self.assertEqual(Exercise.objects.snapshot(spec), first)
        self.assertEqual(first.spec, spec)

    def test_changed_words_without_a_new_version_are_refused(self):
        from dataclasses import replace

        spec = library().exercise("appreciations")
        Exercise.objects.snapshot(spec)
        with self.assertRaisesMessage(ContentError, "raise the version"):
            Exercise.objects.snapshot(replace(spec, summary="Edited in place."))
        bumped = Exercise.objects.snapshot(replace(spec, summary="Edited properly.", version=spec.version + 1))
        self.assertEqual(Exercise.objects.filter(slug="appreciations").count(), 2)
        self.assertEqual(bumped.spec.summary, "Edited properly.")
