"""The yes / maybe / no catalogue, read from ``content/boundaries.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

from tandem.homework.specs import SLUG_RE, ContentError


@dataclass(frozen=True)
class Item:
    key: str  # a catalogue slug, or "custom-<id>" for a couple's own item
    label: str
    section: str
    pair: str = ""  # the complementary item's key ("" when the item matches itself)


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    items: tuple[Item, ...]


ITEM_KEYS = {"slug", "label", "pair"}


def load_catalogue(path: Path | None = None) -> dict[str, Section]:
    path = Path(path or Path(settings.CONTENT_DIR) / "boundaries.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(path, "file", f"can't be read as YAML ({error})") from None
    sections: dict[str, Section] = {}
    seen: dict[str, Item] = {}
    for i, raw in enumerate(data.get("sections") or [], start=1):
        slug = raw.get("slug", "")
        if not SLUG_RE.match(slug or ""):
            raise ContentError(path, f"sections[{i}].slug", "must be a slug")
        items = []
        for j, item in enumerate(raw.get("items") or [], start=1):
            # An unquoted comma in a flow mapping ({label: Long, slow hugs})
            # silently cuts the label and adds a key "slow hugs": refuse any
            # key we don't know, so such a slip fails loudly at start-up.
            if not isinstance(item, dict):
                raise ContentError(path, f"sections[{i}].items[{j}]", "needs a slug and a label")
            if unknown := sorted(str(k) for k in item if k not in ITEM_KEYS):
                raise ContentError(
                    path, f"sections[{i}].items[{j}]", f"unknown keys {unknown} (quote labels that hold a comma)"
                )
            key, label = item.get("slug", ""), item.get("label", "")
            if not isinstance(label, str):
                label = ""
            if not SLUG_RE.match(key or "") or not label:
                raise ContentError(path, f"sections[{i}].items[{j}]", "needs a slug and a label")
            if key in seen:
                raise ContentError(path, f"sections[{i}].items[{j}].slug", f"{key!r} appears twice")
            seen[key] = Item(key, label, slug, item.get("pair", ""))
            items.append(seen[key])
        sections[slug] = Section(slug, raw.get("title") or slug, tuple(items))
    for item in seen.values():
        if item.pair and (item.pair not in seen or seen[item.pair].pair != item.key):
            raise ContentError(path, f"{item.key}.pair", "pairs must point at each other")
    return sections


@cache
def catalogue() -> dict[str, Section]:
    return load_catalogue()


def item_keys() -> set[str]:
    return {item.key for section in catalogue().values() for item in section.items}
