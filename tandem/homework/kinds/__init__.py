"""The exercise kinds: the one list of them.

Every place that needs the kinds asks here: content validation
(``content.py``), the library's filter, the assignment page and its step
URL, practice-exercise authoring, and the synthetic seeder. Adding a kind
means one module beside these (its steps and its ``KIND``, see ``base.py``),
one template under ``homework/templates/homework/kinds/``, its line below,
and content files that use it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from tandem.homework.kinds import activity, checkin, joint_journal, listening, touch, write_then_share
from tandem.homework.kinds.base import Action, Kind

# In the order the library's filter and the authoring form offer them.
KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        checkin.KIND,
        write_then_share.KIND,
        listening.KIND,
        joint_journal.KIND,
        activity.KIND,
        touch.KIND,
    )
}


def get(key: str) -> Kind:
    """The kind called ``key``; KeyError for a name no kind has."""
    return KINDS[key]


def label(key: str) -> str:
    """The kind's label, or the name itself for one no longer known (an old practice exercise)."""
    return KINDS[key].label if key in KINDS else key


def choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in KINDS.values()]


def named(test: Callable[[Kind], bool]) -> str:
    """The kinds that pass ``test``, as content files' messages name them ("write-then-share")."""
    return " or ".join(kind.key.replace("_", "-") for kind in KINDS.values() if test(kind))


def action_names() -> set[str]:
    return {name for kind in KINDS.values() for name in kind.actions}


def action(key: str, name: str) -> Action | None:
    """The action ``name`` for an assignment of kind ``key``.

    A step of another kind posted here still runs that kind's step, which
    refuses it with its own reason ("This exercise has no replies."), as a
    message beside the page rather than a bare 404; only a name no kind has
    is None."""
    own = KINDS[key].actions.get(name)
    if own is not None:
        return own
    return next((kind.actions[name] for kind in KINDS.values() if name in kind.actions), None)


def whose_move() -> Q:
    """Parts of homework under way whose person has the next move, whatever its kind
    (each kind's ``Kind.whose_move``; a condition on ``Part`` rows)."""
    condition = Q(pk__in=[])
    for kind in KINDS.values():
        condition |= Q(assignment__exercise__kind=kind.key) & kind.whose_move()
    return condition
