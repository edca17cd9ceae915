"""Drafts: unsent writing kept for its author only, encrypted, until it is sent.

While a partner types long writing (a write-then-share answer or reply, a
joint-journal side, a listening turn, a debrief note, a safety message), the
page keeps it here every little while (``views.save``), so nothing is lost to
a closed tab, a flat battery or an expired session. It is kept on the server,
never in the browser, because a phone may be shared: the words go with the
account, not the device.

A draft belongs to its author alone. It is no *entry*: it has no visibility,
because nobody but the author may ever read it, not the partner, not the care
team; every read here filters on ``author`` (``DraftQuerySet.of``). The page
it belongs to restores it when opened again, and the step that sends the
final text deletes it in the same transaction (``services.discard``).

A *slot* names the form a draft belongs to. Only the forms in ``SLOTS`` keep
drafts; each is named after what the page already knows about it:

==========================  ==================================================
``step:<assignment>:<a>``   a kind's written step ``a`` (``homework/kinds``):
                            the write-then-share ``answer`` and ``reply``, the
                            journal's ``perspective``, ``restate``,
                            ``next-time``, the listening ``message`` and
                            ``restatement``, an activity's ``plan``…
``debrief:<assignment>``    the note of my debrief of that assignment
``safety:message``          my next message to our therapist
==========================  ==================================================

A slot names an assignment by its id without checking that the assignment is
this couple's: the draft is the author's own words under the author's own
name, so a made-up slot can only ever be restored to its author, on no page;
``MAX_PER_AUTHOR`` bounds how many there can be.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.core.fields import EncryptedTextField

# Generous beyond every form it serves (the longest, a write-then-share
# answer, takes 5000): words typed past a form's own limit are kept while
# their author shortens them, and the form says what is too long on sending.
BODY_MAX = 20_000
# The most drafts one person keeps, in all their couple spaces; saving one
# more lets the least recently touched go. Far above what any week of
# homework leaves open, and it bounds what a stray slot can take up.
MAX_PER_AUTHOR = 50

# Each kind of slot: its strict pattern, and the name of the form field whose
# words it keeps (posted with the rest of the form, see ``views.save``).
SLOTS: dict[str, tuple[re.Pattern[str], str]] = {
    "step": (re.compile(r"step:[1-9][0-9]{0,11}:[a-z][a-z-]{0,29}"), "body"),
    "debrief": (re.compile(r"debrief:[1-9][0-9]{0,11}"), "note"),
    "safety": (re.compile(r"safety:message"), "body"),
}
SLOT_MAX = 50  # the longest slot the patterns allow is 48 characters


def slot(kind: str, *parts: object) -> str:
    """The slot of one form: ``slot("step", assignment.pk, "answer")``."""
    name = ":".join(str(part) for part in (kind, *parts))
    if field_of(name) is None:
        raise ValueError(f"{name!r} is not a draft slot (see drafts.models.SLOTS)")
    return name


def field_of(name: str) -> str | None:
    """The form field a slot keeps the words of; None for anything that is not a slot."""
    kind = name.partition(":")[0]
    pattern, field = SLOTS.get(kind, (None, None))
    if pattern is None or not pattern.fullmatch(name):
        return None
    return field


class DraftQuerySet(models.QuerySet):
    def of(self, author, couple) -> DraftQuerySet:
        """This person's own drafts in this couple space: the only way drafts are read."""
        if not getattr(author, "is_authenticated", False):
            return self.none()
        return self.filter(author=author, couple=couple)


class Draft(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    slot = models.CharField(max_length=SLOT_MAX)
    body = EncryptedTextField(max_length=BODY_MAX)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = DraftQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["author", "couple", "slot"], name="draft_one_per_slot"),
        ]
        # Dropping the oldest (``MAX_PER_AUTHOR``) reads a person's drafts by age.
        indexes = [models.Index(fields=["author", "updated_at"], name="draft_author_age")]

    def __str__(self) -> str:
        return f"draft {self.slot} by {self.author_id}"
