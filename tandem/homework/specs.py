"""The shapes of homework content: an exercise version and a program, as frozen data.

Kept apart from the files' parser (``content.py``) so that the models and the
boundary catalogue can use them without importing the parser, which reads
the registry of kinds (and the kinds, in turn, use the models).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class ContentError(ValueError):
    def __init__(self, path: Path | str, field: str, why: str):
        self.path, self.field, self.why = str(path), field, why
        super().__init__(f"{Path(path).name}: {field}: {why}")


@dataclass(frozen=True)
class Role:
    name: str
    prompt: str


@dataclass(frozen=True)
class ExerciseSpec:
    slug: str
    version: int
    title: str
    kind: str
    summary: str
    goal: str
    minutes: int
    intimacy_level: int
    roles: dict[str, Role]
    debrief: tuple[str, ...]
    body: str
    prerequisites: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    boundary_items: tuple[str, ...] = ()
    optional_note: str = ""
    stage: int | None = None
    # What completing it saves for the couple, e.g. "vocabulary" (their consent words).
    saves: str = ""
    source: str = field(default="", compare=False)

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("source")
        return data

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.to_json(), sort_keys=True).encode()).hexdigest()

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ExerciseSpec:
        data = dict(data)
        data["roles"] = {key: Role(**value) for key, value in data["roles"].items()}
        for key in ("debrief", "prerequisites", "tags", "boundary_items"):
            data[key] = tuple(data.get(key) or ())
        return cls(**data)


@dataclass(frozen=True)
class ProgramStep:
    exercise: str
    cadence: str
    times: int
    week: int


@dataclass(frozen=True)
class ProgramSpec:
    slug: str
    version: int
    title: str
    summary: str
    weeks: int
    steps: tuple[ProgramStep, ...]
    source: str = field(default="", compare=False)
