"""The registry of exercise kinds is the one list, and every kind module has the same shape."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

from django.conf import settings
from django.template.loader import get_template
from django.test import SimpleTestCase
from django.urls import reverse
from django.utils.functional import Promise

from tandem.authoring.forms import PracticeExerciseForm
from tandem.homework import kinds
from tandem.homework.content import ContentError, parse_exercise
from tandem.homework.forms import LibraryFilterForm
from tandem.homework.kinds.base import Action, Kind, Page, Seed
from tandem.homework.models import Response
from tandem.testkit.base import TandemTestCase

EXERCISE = """---
slug: sample
version: 1
title: Sample
kind: {kind}
summary: A sample.
goal: To test.
minutes: 10
intimacy_level: 1
{extra}roles:
  a: {{name: One, prompt: Do it.}}
  b: {{name: Two, prompt: Do it.}}
debrief:
  - How was it
---
Do the thing.
"""

PRODUCT = Path(settings.BASE_DIR) / "tandem"
KIND_PACKAGE = PRODUCT / "homework" / "kinds"


def product_modules():
    """Every product module (tests and migrations left out), with its syntax tree."""
    for path in sorted(PRODUCT.rglob("*.py")):
        if {"tests", "migrations"} & set(path.parts):
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def kind_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules([str(KIND_PACKAGE)]) if m.name != "base")


class TheOneListTests(TandemTestCase):
    def test_content_validation_accepts_exactly_the_registry(self):
        for key, kind in kinds.KINDS.items():
            with self.subTest(key):
                extra = "stage: 1\n" if kind.staged else ""
                spec = parse_exercise(Path("sample.md"), EXERCISE.format(kind=key, extra=extra))
                self.assertEqual(spec.kind, key)
        with self.assertRaises(ContentError) as refused:
            parse_exercise(Path("sample.md"), EXERCISE.format(kind="dance", extra=""))
        self.assertEqual(refused.exception.why, f"must be one of {', '.join(kinds.KINDS)}, not 'dance'")

    def test_the_library_filter_offers_the_registry(self):
        self.login(self.alice)
        form = self.client.get(reverse("homework:library", args=[self.couple.pk])).context["form"]
        self.assertIsInstance(form, LibraryFilterForm)
        self.assertEqual([key for key, _label in form.fields["kind"].choices if key], list(kinds.KINDS))

    def test_authoring_offers_the_registry(self):
        choices = PracticeExerciseForm().fields["kind"].widget.choices
        self.assertEqual([key for key, _label in choices if key], list(kinds.KINDS))

    def test_kind_rules_of_content_follow_the_registry(self):
        for key, kind in kinds.KINDS.items():
            with self.subTest(key):
                if not kind.staged:
                    with self.assertRaisesMessage(ContentError, "exercises have stages"):
                        parse_exercise(Path("sample.md"), EXERCISE.format(kind=key, extra="stage: 1\n"))
                if not kind.saves:
                    extra = ("stage: 1\n" if kind.staged else "") + "saves: vocabulary\n"
                    with self.assertRaisesMessage(ContentError, "exercises can save a list"):
                        parse_exercise(Path("sample.md"), EXERCISE.format(kind=key, extra=extra))

    def test_no_other_module_lists_kinds(self):
        """A literal of two kinds or more, outside the kind modules, is a copy of the list."""
        keys = set(kinds.KINDS)
        copies = []
        for path, tree in product_modules():
            if KIND_PACKAGE in path.parents:
                continue
            for node in ast.walk(tree):
                items = node.keys if isinstance(node, ast.Dict) else getattr(node, "elts", None)
                if not isinstance(node, ast.Tuple | ast.List | ast.Set | ast.Dict) or items is None:
                    continue
                texts = [i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)]
                named = set(texts) & keys
                # Only kinds in it: a literal that also holds other words is another
                # vocabulary (the calendar's block kinds share "activity" and "checkin").
                if len(named) >= 2 and len(named) == len(set(texts)):
                    copies.append(f"{path.relative_to(PRODUCT)}:{node.lineno} {sorted(named)}")
        self.assertEqual(copies, [])

    def test_templates_include_the_kind_the_registry_names(self):
        source = (PRODUCT / "homework" / "templates" / "homework" / "assignment.html").read_text()
        self.assertIn("{% include kind_template %}", source)
        self.assertNotIn("homework/kinds/", source)


class KindModuleShapeTests(SimpleTestCase):
    def test_every_kind_module_is_registered_under_its_own_name(self):
        self.assertEqual(kind_modules(), sorted(kinds.KINDS))
        for name in kind_modules():
            module = getattr(kinds, name)
            with self.subTest(name):
                self.assertIsInstance(module.KIND, Kind)
                self.assertEqual(module.KIND.key, name)
                self.assertEqual(module.KEY, name)
                self.assertIs(kinds.get(name), module.KIND)

    def test_every_kind_has_the_same_interface(self):
        for key, kind in kinds.KINDS.items():
            with self.subTest(key):
                self.assertIsInstance(kind.label, str | Promise)
                self.assertTrue(str(kind.label))
                self.assertEqual(kind.template, f"homework/kinds/{key}.html")
                get_template(kind.template)
                self.assertTrue(callable(kind.context))
                self.assertTrue(kind.actions, "a kind with nothing to post can't be done")
                for name, action in kind.actions.items():
                    self.assertIsInstance(action, Action, name)
                    self.assertTrue(callable(action.run), name)
                    self.assertRegex(name, r"^[a-z]+(-[a-z]+)*$")
                self.assertIsInstance(kind.seed, Seed)
                for step, role in kind.seed.responses:
                    self.assertIn(step, Response.Step.values)
                    self.assertIn(role, ("a", "b"))
                self.assertTrue(kind.planner is None or callable(kind.planner))

    def test_a_step_name_means_the_same_step_in_every_kind_that_has_it(self):
        # "done" is both activity's and touch's "we did it": same form, same message.
        seen: dict[str, Action] = {}
        for kind in kinds.KINDS.values():
            for name, action in kind.actions.items():
                if name in seen:
                    other = seen[name]
                    self.assertEqual(
                        (action.needs_body, action.slot, str(action.success)),
                        (other.needs_body, other.slot, str(other.success)),
                        name,
                    )
                seen[name] = action
        self.assertEqual(set(seen), kinds.action_names())

    def test_no_kind_module_reaches_up(self):
        """Kinds build on the step helpers; they never import the lifecycle, the views or each other."""
        for name in ["base", *kind_modules()]:
            tree = ast.parse((KIND_PACKAGE / f"{name}.py").read_text())
            imported = {
                node.module
                for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tandem.")
            }
            with self.subTest(name):
                self.assertFalse(
                    {
                        m
                        for m in imported
                        if m.startswith("tandem.homework.kinds.") and m != "tandem.homework.kinds.base"
                    }
                )
                self.assertFalse(
                    imported & {"tandem.homework.services", "tandem.homework.views", "tandem.homework.content"}
                )

    def test_the_page_helpers(self):
        page = Page(
            assignment=None, user=None, partner=None, mine=None, parts=[], readable=[], visible=set(), access=None
        )
        self.assertIsNone(page.one(None, "answer"))
        self.assertFalse(page.partner_has("answer"))
