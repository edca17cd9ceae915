"""The types of waiting item a person can be told about, as other apps register them.

Notifications sit below the app that knows what waits on whom
(``tandem.turns``), so they cannot ask it; instead turns registers each
type here in its ``ready()``: its code, how a person chooses it ("tell me
about…") and, for a person who opted into it, the neutral phrase that says
what kind of thing waits ("a time together is proposed to you"). A phrase
never names an exercise, a boundary or anything else intimate: it is shown
on a lock screen and carried in a push payload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Type:
    code: str
    label: str  # how a person chooses it, in their notification choices (lazy)
    phrase: str | None = None  # "a time together is proposed to you" (lazy); None: the neutral words only
    shown_to: Callable | None = None  # whom it can concern (a therapist's types), None: everyone


_registry: dict[str, Type] = {}


def register(code: str, label, phrase=None, shown_to: Callable | None = None) -> None:
    """Make a type choosable (registering again replaces it: apps' ready() may run twice in tests)."""
    _registry[code] = Type(code, label, phrase, shown_to)


def registered(user=None) -> list[Type]:
    """Every type in the order registered; given ``user``, those that can concern them."""
    return [kind for kind in _registry.values() if user is None or kind.shown_to is None or kind.shown_to(user)]


def get(code: str) -> Type | None:
    return _registry.get(code)
