"""Exercise and program content, kept as files in the repository.

An exercise is ``content/exercises/<slug>.md``: YAML front matter between two
``---`` lines, then a Markdown body with the instructions. A program is
``content/programs/<slug>.yaml``. Both are validated strictly: a broken file
names itself, the field and what is wrong, and stops start-up (see
``checks.py``) rather than reaching a couple half-formed.

Files are the source; the database keeps a frozen copy of each version that
was ever given to a couple (``Exercise`` rows), so editing a file never
changes homework already given. Changing the words of a file means raising
its ``version``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

from tandem.homework import kinds
from tandem.homework.specs import SLUG_RE, ContentError, ExerciseSpec, ProgramSpec, ProgramStep, Role

CADENCES = ("once", "weekly", "daily")
SAVES = ("", "vocabulary")


# --- reading files -----------------------------------------------------------


def _split_front_matter(path: Path, text: str) -> tuple[dict, str]:
    if not text.startswith("---\n"):
        raise ContentError(path, "front matter", "the file must start with a line of three dashes (---)")
    try:
        end = text.index("\n---\n", 4)
    except ValueError:
        raise ContentError(path, "front matter", "no closing line of three dashes (---)") from None
    try:
        meta = yaml.safe_load(text[4:end])
    except yaml.YAMLError as error:
        raise ContentError(path, "front matter", f"not valid YAML ({error})") from None
    if not isinstance(meta, dict):
        raise ContentError(path, "front matter", "must be a mapping of field: value")
    return meta, text[end + 5 :].strip()


class _Reader:
    """Typed access to one file's fields, with errors that name the field."""

    def __init__(self, path: Path, data: dict):
        self.path, self.data = path, data
        self.seen: set[str] = set()

    def fail(self, name: str, why: str):
        raise ContentError(self.path, name, why)

    def get(self, name: str, required: bool = True):
        self.seen.add(name)
        if name not in self.data or self.data[name] is None:
            if required:
                self.fail(name, "is required")
            return None
        return self.data[name]

    def text(self, name: str, max_length: int = 2000, required: bool = True) -> str:
        value = self.get(name, required)
        if value is None:
            return ""
        if not isinstance(value, str) or not value.strip():
            self.fail(name, "must be non-empty text")
        if len(value) > max_length:
            self.fail(name, f"is longer than {max_length} characters")
        return value.strip()

    def integer(self, name: str, low: int, high: int, required: bool = True) -> int | None:
        value = self.get(name, required)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.fail(name, f"must be a whole number from {low} to {high}, not {value!r}")
        return value

    def choice(self, name: str, choices: tuple[str, ...]) -> str:
        value = self.get(name)
        if value not in choices:
            self.fail(name, f"must be one of {', '.join(choices)}, not {value!r}")
        return value

    def text_list(self, name: str, required: bool = False, slugs: bool = False) -> tuple[str, ...]:
        value = self.get(name, required)
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(name, "must be a list of non-empty texts")
        if required and not value:
            self.fail(name, "needs at least one entry")
        if slugs and (bad := [v for v in value if not SLUG_RE.match(v)]):
            self.fail(name, f"entries must be slugs (lower-case words joined by dashes): {bad}")
        return tuple(v.strip() for v in value)

    def no_unknown_fields(self) -> None:
        if unknown := sorted(set(self.data) - self.seen):
            self.fail(unknown[0], "is not a field we know (misspelt?)")


def parse_exercise(path: Path, text: str) -> ExerciseSpec:
    meta, body = _split_front_matter(path, text)
    r = _Reader(path, meta)
    slug = r.text("slug", 60)
    if not SLUG_RE.match(slug):
        r.fail("slug", "must be lower-case words joined by dashes")
    if slug != path.stem:
        r.fail("slug", f"must match the file name ({path.stem})")
    kind = r.choice("kind", tuple(kinds.KINDS))
    level = r.integer("intimacy_level", 0, 3)

    roles_raw = r.get("roles")
    if not isinstance(roles_raw, dict) or set(roles_raw) != {"a", "b"}:
        r.fail("roles", "must give a part for each partner, under the keys a and b")
    roles = {}
    for key in ("a", "b"):
        part = roles_raw[key]
        if not isinstance(part, dict) or set(part) != {"name", "prompt"}:
            r.fail(f"roles.{key}", "must have exactly a name and a prompt")
        if not all(isinstance(part[k], str) and part[k].strip() for k in ("name", "prompt")):
            r.fail(f"roles.{key}", "name and prompt must be non-empty text")
        roles[key] = Role(name=part["name"].strip(), prompt=part["prompt"].strip())

    staged = kinds.get(kind).staged
    stage = r.integer("stage", 1, 4, required=staged)
    if stage is not None and not staged:
        r.fail("stage", f"only {kinds.named(lambda k: k.staged)} exercises have stages")
    optional_note = r.text("optional_note", 600, required=False)
    if level == 3 and not optional_note:
        r.fail("optional_note", "a sexual exercise must say how it stays optional or give a non-sexual path")
    if not body:
        r.fail("body", "the instructions after the front matter are empty")
    saves = r.get("saves", required=False) or ""
    if saves not in SAVES:
        r.fail("saves", f"must be one of {', '.join(SAVES)}, not {saves!r}")
    if saves and not kinds.get(kind).saves:
        r.fail("saves", f"only {kinds.named(lambda k: k.saves)} exercises can save a list")

    spec = ExerciseSpec(
        slug=slug,
        version=r.integer("version", 1, 10_000),
        title=r.text("title", 80),
        kind=kind,
        summary=r.text("summary", 240),
        goal=r.text("goal", 600),
        minutes=r.integer("minutes", 1, 240),
        intimacy_level=level,
        roles=roles,
        debrief=r.text_list("debrief", required=True),
        body=body,
        prerequisites=r.text_list("prerequisites", slugs=True),
        tags=r.text_list("tags", slugs=True),
        boundary_items=r.text_list("boundary_items", slugs=True),
        optional_note=optional_note,
        stage=stage,
        saves=saves,
        source=str(path),
    )
    r.no_unknown_fields()
    return spec


def parse_program(path: Path, text: str) -> ProgramSpec:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ContentError(path, "file", f"not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise ContentError(path, "file", "must be a mapping of field: value")
    r = _Reader(path, data)
    slug = r.text("slug", 60)
    if slug != path.stem:
        r.fail("slug", f"must match the file name ({path.stem})")
    weeks = r.integer("weeks", 1, 52)
    raw_steps = r.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        r.fail("steps", "must be a non-empty list")
    steps = []
    for i, raw in enumerate(raw_steps, start=1):
        s = _Reader(path, raw if isinstance(raw, dict) else {})
        name = f"steps[{i}]"
        if not isinstance(raw, dict):
            r.fail(name, "must be a mapping with exercise, cadence, week")
        exercise = s.get("exercise")
        cadence = s.get("cadence")
        if not isinstance(exercise, str) or not SLUG_RE.match(exercise):
            r.fail(f"{name}.exercise", "must be an exercise slug")
        if cadence not in CADENCES:
            r.fail(f"{name}.cadence", f"must be one of {', '.join(CADENCES)}, not {cadence!r}")
        times = s.get("times", required=False) or 1
        if not isinstance(times, int) or not 1 <= times <= 60:
            r.fail(f"{name}.times", "must be a whole number from 1 to 60")
        week = s.get("week")
        if not isinstance(week, int) or not 1 <= week <= weeks:
            r.fail(f"{name}.week", f"must be a week from 1 to {weeks}")
        if unknown := sorted(set(raw) - {"exercise", "cadence", "times", "week"}):
            r.fail(f"{name}.{unknown[0]}", "is not a field we know (misspelt?)")
        steps.append(ProgramStep(exercise=exercise, cadence=cadence, times=times, week=week))
    spec = ProgramSpec(
        slug=slug,
        version=r.integer("version", 1, 10_000),
        title=r.text("title", 80),
        summary=r.text("summary", 400),
        weeks=weeks,
        steps=tuple(steps),
        source=str(path),
    )
    r.no_unknown_fields()
    return spec


@dataclass(frozen=True)
class Library:
    exercises: dict[str, ExerciseSpec]
    programs: dict[str, ProgramSpec]

    def exercise(self, slug: str) -> ExerciseSpec | None:
        return self.exercises.get(slug)


def load_library(root: Path | None = None) -> Library:
    """Read and cross-check every content file; raise ContentError on the first problem."""
    root = Path(root or settings.CONTENT_DIR)
    exercises: dict[str, ExerciseSpec] = {}
    for path in sorted((root / "exercises").glob("*.md")):
        spec = parse_exercise(path, path.read_text(encoding="utf-8"))
        exercises[spec.slug] = spec
    for spec in exercises.values():
        for slug in spec.prerequisites:
            if slug not in exercises:
                raise ContentError(spec.source, "prerequisites", f"no exercise is called {slug!r}")
            if slug == spec.slug:
                raise ContentError(spec.source, "prerequisites", "an exercise can't require itself")
    programs: dict[str, ProgramSpec] = {}
    for path in sorted((root / "programs").glob("*.yaml")):
        program = parse_program(path, path.read_text(encoding="utf-8"))
        seen: set[str] = set()
        for i, step in enumerate(program.steps, start=1):
            if step.exercise not in exercises:
                raise ContentError(path, f"steps[{i}].exercise", f"no exercise is called {step.exercise!r}")
            if missing := [p for p in exercises[step.exercise].prerequisites if p not in seen]:
                # Otherwise the program would wait forever at this step.
                raise ContentError(path, f"steps[{i}].exercise", f"needs {missing[0]!r} in an earlier step")
            seen.add(step.exercise)
        programs[program.slug] = program
    return Library(exercises=exercises, programs=programs)


@cache
def library() -> Library:
    """The library of this process, read once (content changes need a restart)."""
    return load_library()
