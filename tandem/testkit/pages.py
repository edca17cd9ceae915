"""Reading a rendered page in tests: the parts that many apps' pages share."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _EmptyStates(HTMLParser):
    """Collects each core/_empty.html block: its words and its links (text, href, classes)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict] = []
        self._depth = 0  # div nesting inside the current empty state; 0 when outside one
        self._link: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self._depth == 0 and tag == "div" and attrs.get("data-testid") == "empty-state":
            self.found.append({"text": "", "links": []})
            self._depth = 1
        elif self._depth:
            if tag == "div":
                self._depth += 1
            if tag == "a":
                self._link = {"text": "", "href": attrs.get("href"), "class": (attrs.get("class") or "").split()}

    def handle_endtag(self, tag):
        if not self._depth:
            return
        if tag == "a" and self._link is not None:
            self._link["text"] = " ".join(self._link["text"].split())
            self.found[-1]["links"].append(self._link)
            self._link = None
        elif tag == "div":
            self._depth -= 1

    def handle_data(self, data):
        if self._depth:
            (self._link if self._link is not None else self.found[-1])["text"] += data


def empty_states(response) -> list[dict]:
    """The page's empty states, in order: {"text": words, "links": [{"text", "href", "class"}]}."""
    parser = _EmptyStates()
    parser.feed(response.content.decode())
    for state in parser.found:
        state["text"] = " ".join(state["text"].split())
    return parser.found


def primary_buttons(response) -> int:
    """How many primary buttons (or links styled as one) the page shows; <template> notices are not shown."""
    shown = re.sub(r"<template\b.*?</template>", "", response.content.decode(), flags=re.S)
    return len(re.findall(r'class="[^"]*\bbutton primary\b', shown))
