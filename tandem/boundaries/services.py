"""Answering, finishing sections, and computing matches.

Privacy: nothing here returns another person's answer. ``matches`` reads
both partners' answers internally and returns only agreements; a "no" and
an unanswered item look exactly the same from outside (no match).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from tandem.boundaries.catalogue import Item, catalogue
from tandem.boundaries.models import (
    Answer,
    AnswerChange,
    CouplePause,
    CustomItem,
    MatchSharing,
    SectionDone,
    Value,
)
from tandem.couples.signals import holds_changed

TIERS = {
    frozenset([Value.YES]): "both_yes",
    frozenset([Value.YES, Value.MAYBE]): "yes_maybe",
    frozenset([Value.MAYBE]): "both_maybe",
}
TIER_ORDER = ["both_yes", "yes_maybe", "both_maybe"]


class BoundaryError(Exception):
    """A boundaries action that can't be done, with the reason to show."""


def section_items(couple, section: str) -> list[Item]:
    if section not in catalogue():
        raise BoundaryError(_("There is no such section."))
    custom = [Item(c.key, c.label, section) for c in CustomItem.objects.filter(couple=couple, section=section)]
    return [*catalogue()[section].items, *custom]


def save_answers(couple, user, section: str, answers: dict[str, tuple[str, str]]) -> int:
    """Save my answers for a section: {item_key: (value or "", note)}. "" means unanswered.

    Items not in ``answers`` are left as they are. A note on an unanswered
    item is kept (value ""): nothing a person writes is thrown away, and an
    empty value never matches nor counts as answered."""
    items = {item.key for item in section_items(couple, section)}
    if unknown := set(answers) - items:
        raise BoundaryError(
            _("Some answers were for items that aren't in this section: %(keys)s.")
            % {"keys": ", ".join(sorted(unknown))}
        )
    changed = 0
    with transaction.atomic():
        # Read inside the transaction: a tap's own save and the form's may arrive together.
        existing = {a.item_key: a for a in Answer.objects.filter(couple=couple, author=user, item_key__in=items)}
        for key, (value, note) in answers.items():
            current = existing.get(key)
            if not value and not note:
                if current:
                    current.delete()
                    if current.value:
                        AnswerChange.objects.create(couple=couple, author=user, item_key=key, value="")
                    changed += 1
                continue
            if current and current.value == value and current.note == note:
                continue
            Answer.objects.update_or_create(
                couple=couple, author=user, item_key=key, defaults={"value": value, "note": note}
            )
            if (current.value if current else "") != value:
                AnswerChange.objects.create(couple=couple, author=user, item_key=key, value=value)
            changed += 1
    return changed


def answered_any(couple, user, section: str, items: list[Item] | None = None, answers=None) -> bool:
    """Whether ``user`` gave a yes, maybe or no to any item of the section
    (a note alone is not an answer). About the user themselves only: it is
    never asked about the partner for display (privacy rule 4).

    ``items`` / ``answers``: the section's items and the user's answers when
    the caller has them already (no query)."""
    keys = {item.key for item in (items if items is not None else section_items(couple, section))}
    if answers is None:
        answers = Answer.objects.filter(couple=couple, author=user, item_key__in=keys)
    return any(a.value for a in answers if a.item_key in keys)


def finish(couple, user, section: str) -> None:
    section_items(couple, section)
    SectionDone.objects.get_or_create(couple=couple, author=user, section=section)


def reopen(couple, user, section: str) -> None:
    SectionDone.objects.filter(couple=couple, author=user, section=section).delete()


def revealed(couple, section: str) -> bool:
    return SectionDone.objects.filter(couple=couple, section=section).count() == 2


@dataclass(frozen=True)
class Match:
    mine: Item
    theirs: Item  # the same item, or its complement for a giving / receiving pair
    tier: str


def matches(couple, viewer, section: str, items: list[Item] | None = None) -> list[Match] | None:
    """Agreements in a section, from the viewer's side; None until both finished it.

    ``items``: the section's items when the caller already has them (one query fewer)."""
    if not revealed(couple, section):
        return None
    partner = couple.partner_of(viewer)
    items = {item.key: item for item in (items if items is not None else section_items(couple, section))}
    # Complements may live in the same section only (the catalogue keeps them together).
    rows = Answer.objects.filter(couple=couple, author__in=[viewer, partner], item_key__in=list(items))
    mine = {a.item_key: a.value for a in rows if a.author_id == viewer.pk}
    theirs = {a.item_key: a.value for a in rows if a.author_id == partner.pk}
    found = []
    for key, item in items.items():
        other_key = item.pair or key
        pair = {mine.get(key), theirs.get(other_key)}
        tier = TIERS.get(frozenset(pair)) if None not in pair else None
        if tier:
            found.append(Match(item, items.get(other_key, item), tier))
    found.sort(key=lambda m: TIER_ORDER.index(m.tier))
    return found


def matches_shared_with_care_team(couple) -> bool:
    return MatchSharing.objects.filter(couple=couple).count() == 2


def care_team_matches(couple) -> dict[str, list[Match]]:
    """Matches of every revealed section, for the linked therapist, only
    while both partners chose to share them. Raw answers never leave here."""
    if not matches_shared_with_care_team(couple):
        return {}
    first = couple.partners()[0]
    found = {}
    for slug, section in catalogue().items():
        section_matches = matches(couple, first, slug)
        if section_matches:
            found[section.title] = section_matches
    return found


def pause_everything(couple, user) -> None:
    """Hold all intimacy homework until this partner lifts their pause (no reason asked)."""
    CouplePause.objects.get_or_create(couple=couple, user=user)
    holds_changed.send(sender=CouplePause, couple=couple, lifted=False)


def lift_my_pause(couple, user) -> bool:
    """Lift *my* pause (the partner's stays). False when I had none."""
    if not CouplePause.objects.filter(couple=couple, user=user).delete()[0]:
        return False
    holds_changed.send(sender=CouplePause, couple=couple, lifted=True)
    return True
