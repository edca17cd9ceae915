"""Practice exercises: compose, validate, save, share, and read as specs.

Validation is the library's own: every text goes through
``homework.content.parse_exercise``, plus the cross-checks the library makes
over its files (prerequisites exist) and the one its tests make (boundary
items are in the catalogue: a misspelt item would quietly stop hiding an
exercise from a couple who said no to it). Each problem is a ``ContentError``
naming the field, worded exactly as for a broken library file.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from pathlib import Path
from typing import Any

import yaml
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.authoring.models import PracticeExercise, spec_slug
from tandem.boundaries.catalogue import item_keys
from tandem.clinic.models import Therapist
from tandem.homework import kinds
from tandem.homework.content import ContentError, ExerciseSpec, _split_front_matter, library, parse_exercise

log = logging.getLogger(__name__)

# The longest slug ``homework.Exercise`` stores; the namespaced slug must fit.
MAX_SPEC_SLUG = 60
# Form values (all text) that become list fields, and how entries are separated.
LISTS = {"tags": ",", "prerequisites": ",", "boundary_items": ",", "debrief": "\n"}
NUMBERS = ("minutes", "intimacy_level", "stage")
TEXTS = ("title", "kind", "summary", "goal", "optional_note", "saves")
# Front-matter order, as in the library files, so the source reads like one.
ORDER = (
    "slug",
    "version",
    "title",
    "kind",
    "stage",
    "summary",
    "goal",
    "minutes",
    "intimacy_level",
    "tags",
    "prerequisites",
    "boundary_items",
    "optional_note",
    "saves",
    "roles",
    "debrief",
)
# For collecting every problem at once: a harmless stand-in for a field the
# parser refused, so that the next parse reaches the fields after it. The
# text that is finally saved is always parsed as written, with no stand-ins.
STAND_INS: dict[str, Any] = {
    "title": "x",
    "kind": next(iter(kinds.KINDS)),  # any kind parses; the registry's first
    "summary": "x",
    "goal": "x",
    "minutes": 1,
    "intimacy_level": 0,
    "optional_note": "x",
    "debrief": ["x"],
    "version": 1,
}
MAX_PROBLEMS = 40


class InvalidExercise(ValueError):
    """Everything wrong with one exercise, each a library ``ContentError``."""

    def __init__(self, errors: list[ContentError]):
        self.errors = errors
        super().__init__("; ".join(str(error) for error in errors))


# --- the file format ------------------------------------------------------------


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _number(value: str | None) -> int | str | None:
    value = (value or "").strip()
    if not value:
        return None
    # Anything that isn't a plain whole number goes through as text, so the
    # library's own message ("must be a whole number from 0 to 3, not ...") answers.
    return int(value) if re.fullmatch(r"[+-]?\d{1,7}", value) else value


def _list(value: str | None, separator: str) -> list[str] | None:
    entries = [entry.strip() for entry in (value or "").split(separator)]
    return [entry for entry in entries if entry] or None


def compose_meta(values: dict[str, str], *, slug: str, version: int) -> tuple[dict[str, Any], str]:
    """Front matter and body for form values (all text), before any checking."""
    meta: dict[str, Any] = {"slug": slug, "version": version}
    for name in TEXTS:
        meta[name] = _text(values.get(name))
    for name in NUMBERS:
        meta[name] = _number(values.get(name))
    for name, separator in LISTS.items():
        meta[name] = _list(values.get(name), separator)
    # Always both parts, even half-filled, so the parser names the empty one.
    meta["roles"] = {
        key: {
            "name": (values.get(f"role_{key}_name") or "").strip(),
            "prompt": (values.get(f"role_{key}_prompt") or "").strip(),
        }
        for key in ("a", "b")
    }
    ordered = {name: meta[name] for name in ORDER if meta.get(name) is not None}
    return ordered, (values.get("body") or "").replace("\r\n", "\n").strip()


def render_source(meta: dict[str, Any], body: str) -> str:
    """A library file: front matter between two ``---`` lines, then the Markdown."""
    front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=10_000, default_flow_style=False)
    return f"---\n{front}---\n{body}\n"


def path_for(slug: str) -> Path:
    return Path(f"practice/{slug}.md")


def parse_source(slug: str, text: str) -> ExerciseSpec:
    """The library's parser, on a practice exercise (raises ``ContentError``)."""
    return parse_exercise(path_for(slug), text)


def values_from_source(text: str) -> dict[str, str]:
    """Form values for a stored source; lenient, so a source the parser now
    refuses (say, after a library format change) can still be opened and fixed."""
    try:
        meta, body = _split_front_matter(path_for("x"), text)
    except ContentError:
        return {"body": text}
    values = {"body": body}
    for name in (*TEXTS, *NUMBERS):
        if meta.get(name) is not None:
            values[name] = str(meta[name])
    for name, separator in LISTS.items():
        if isinstance(meta.get(name), list):
            values[name] = (separator if separator == "\n" else ", ").join(str(v) for v in meta[name])
    roles = meta.get("roles") if isinstance(meta.get("roles"), dict) else {}
    for key in ("a", "b"):
        part = roles.get(key) if isinstance(roles.get(key), dict) else {}
        for attr in ("name", "prompt"):
            if isinstance(part.get(attr), str):
                values[f"role_{key}_{attr}"] = part[attr]
    return values


# --- checking ---------------------------------------------------------------------


def _stand_in(meta: dict[str, Any], body: str, field: str) -> tuple[str, str] | None:
    """Replace the refused field with something the parser accepts; None when
    nothing sensible can stand in (then the problems found so far are all we say)."""
    top = field.split(".")[0]
    if field in ("roles.a", "roles.b"):
        meta["roles"][field[-1]] = {"name": "x", "prompt": "x"}
    elif top == "roles":
        meta["roles"] = {key: {"name": "x", "prompt": "x"} for key in ("a", "b")}
    elif top == "slug":
        meta["slug"] = "x"
    elif top == "stage":
        if meta.get("kind") in kinds.KINDS and kinds.get(meta["kind"]).staged:
            meta["stage"] = 1
        else:
            meta.pop("stage", None)
    elif top == "body":
        body = "x"
    elif top in STAND_INS:
        meta[top] = STAND_INS[top]
    elif top in meta:  # optional fields and unknown ones: leave them out
        meta.pop(top)
    else:
        return None
    return meta["slug"], body


def _parse_all(slug: str, meta: dict[str, Any], body: str) -> tuple[ExerciseSpec | None, list[ContentError], set[str]]:
    """Parse, collecting every problem rather than only the first one.

    Returns the last spec that parsed (with stand-ins for refused fields, so
    only good for checking the other fields), the problems, and the refused fields."""
    meta = {**meta, "roles": {key: dict(part) for key, part in (meta.get("roles") or {}).items()}}
    errors: list[ContentError] = []
    refused: set[str] = set()
    while len(errors) < MAX_PROBLEMS:
        try:
            return parse_source(slug, render_source(meta, body)), errors, refused
        except ContentError as error:
            errors.append(error)
            refused.add(error.field.split(".")[0])
            stood_in = _stand_in(meta, body, error.field)
            if stood_in is None:
                break
            slug, body = stood_in
    return None, errors, refused


def _cross_checks(therapist: Therapist, spec: ExerciseSpec, *, new: bool, refused: set[str]) -> list[ContentError]:
    """What the library checks across files, for one practice exercise."""

    path, errors = path_for(spec.slug), []
    if new and "slug" not in refused:
        if len(spec_slug(therapist.pk, spec.slug)) > MAX_SPEC_SLUG:
            limit = MAX_SPEC_SLUG - len(spec_slug(therapist.pk, ""))
            errors.append(ContentError(path, "slug", f"is longer than {limit} characters"))
        elif spec.slug in library().exercises:
            # Library slugs are reserved, so a practice exercise is never mistaken for one.
            errors.append(ContentError(path, "slug", "is the slug of a library exercise: choose another"))
        elif PracticeExercise.objects.filter(therapist=therapist, slug=spec.slug).exists():
            errors.append(ContentError(path, "slug", "is already used by another exercise of your practice"))
    if "prerequisites" not in refused:
        exercises = library().exercises
        if missing := [slug for slug in spec.prerequisites if slug not in exercises]:
            errors.append(ContentError(path, "prerequisites", f"no exercise is called {missing[0]!r}"))
    if "boundary_items" not in refused:
        keys = item_keys()
        if unknown := [item for item in spec.boundary_items if item not in keys]:
            errors.append(ContentError(path, "boundary_items", f"no boundary item is called {unknown[0]!r}"))
    return errors


def check(
    therapist: Therapist, values: dict[str, str], *, slug: str, version: int, new: bool
) -> tuple[ExerciseSpec, str]:
    """The spec and source text for these values, or ``InvalidExercise`` with every problem."""
    meta, body = compose_meta(values, slug=slug, version=version)
    spec, errors, refused = _parse_all(slug, meta, body)
    if spec is not None:
        errors += _cross_checks(therapist, spec, new=new, refused=refused)
    if errors:
        raise InvalidExercise(errors)
    return spec, render_source(meta, body)


def _same_content(a: ExerciseSpec, b: ExerciseSpec) -> bool:
    return dataclasses.replace(a, version=0).to_json() == dataclasses.replace(b, version=0).to_json()


# --- saving -----------------------------------------------------------------------


def create(therapist: Therapist, values: dict[str, str]) -> PracticeExercise:
    """A new exercise of this practice, private until shared."""
    slug = (values.get("slug") or "").strip()
    spec, source = check(therapist, values, slug=slug, version=1, new=True)
    try:
        with transaction.atomic():
            return PracticeExercise.objects.create(
                therapist=therapist,
                slug=spec.slug,
                version=1,
                source=source,
                title=spec.title,
                kind=spec.kind,
                intimacy_level=spec.intimacy_level,
            )
    except IntegrityError:
        # Two saves of the same new slug at once: the second one loses, cleanly.
        raise InvalidExercise(
            [ContentError(path_for(slug), "slug", "is already used by another exercise of your practice")]
        ) from None


def update(exercise: PracticeExercise, values: dict[str, str]) -> PracticeExercise:
    """Save an edit; a change of content raises the version.

    Homework already given keeps its frozen copy of the old version (see
    ``homework.Exercise``), exactly as when a library file is edited. On any
    problem nothing is saved and the stored version stays as it was."""
    with transaction.atomic():
        exercise = PracticeExercise.objects.select_for_update().get(pk=exercise.pk)
        spec, source = check(exercise.therapist, values, slug=exercise.slug, version=exercise.version, new=False)
        stored = as_spec(exercise, namespaced=False)
        if stored is not None and _same_content(stored, spec):
            return exercise
        version = exercise.version + 1
        spec, source = check(exercise.therapist, values, slug=exercise.slug, version=version, new=False)
        exercise.version = version
        exercise.source = source
        exercise.title, exercise.kind, exercise.intimacy_level = spec.title, spec.kind, spec.intimacy_level
        exercise.updated_at = timezone.now()
        exercise.save()
    return exercise


def set_shared(exercise: PracticeExercise, shared: bool) -> None:
    """Share with every practice on this server, or make private again.

    Making it private again takes it off other practices' lists; homework they
    already gave keeps its frozen copy."""
    PracticeExercise.objects.filter(pk=exercise.pk).update(shared=shared)
    exercise.shared = shared


# --- reading ----------------------------------------------------------------------


def as_spec(exercise: PracticeExercise, *, namespaced: bool = True) -> ExerciseSpec | None:
    """The spec, under its namespaced slug; None (logged) for a source the
    parser refuses now, so one stale exercise never breaks a therapist's page."""
    try:
        spec = parse_source(exercise.slug, exercise.source)
    except ContentError as error:
        log.warning("practice exercise %s no longer parses: %s", exercise.pk, error)
        return None
    if not namespaced:
        return spec
    slug = exercise.spec_slug
    return dataclasses.replace(spec, slug=slug, source=str(path_for(slug)))


def specs_for(therapist: Therapist) -> list[ExerciseSpec]:
    """What a therapist can give besides the library: their practice's own
    exercises and those other practices shared, each with its namespaced slug."""
    exercises = PracticeExercise.objects.visible_to(therapist).order_by("title", "pk")
    return [spec for exercise in exercises if (spec := as_spec(exercise)) is not None]


def spec_for(therapist: Therapist, slug: str) -> ExerciseSpec | None:
    """One of ``specs_for(therapist)`` by its namespaced slug (``p<id>-<slug>``)."""
    match = re.fullmatch(r"p(\d+)-(.+)", slug or "")
    if match is None:
        return None
    exercise = PracticeExercise.objects.visible_to(therapist).filter(therapist_id=int(match[1]), slug=match[2]).first()
    return as_spec(exercise) if exercise is not None else None
