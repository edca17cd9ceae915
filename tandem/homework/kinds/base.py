"""What every exercise kind provides: the interface of a ``homework/kinds/<kind>.py``.

Each kind module holds its steps (functions that lock the assignment and
change it, built on ``homework.steps``) and one ``KIND``: its label, the
template of its work panel, the page context that template reads, the
actions its panel posts, and what the content files and the synthetic seeder
need to know about it. The registry (``kinds/__init__.py``) lists them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tandem.drafts import services as drafts
from tandem.drafts.models import slot

if TYPE_CHECKING:
    from tandem.couples.access import CoupleAccess
    from tandem.homework.models import Assignment, Part, Response


# A kind's waiting-item title unless it words its own (``Kind.your_move``).
YOUR_MOVE = _("Your turn in your homework")

# The kinds' forms live with them: a kind is its steps, its page and what its panel posts.
STEP_MAX = 2000


class StepForm(forms.Form):
    """One written step: a message, a restatement, a perspective, a plan…"""

    body = forms.CharField(
        label=_("Your words"),
        max_length=STEP_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": _("Please keep it under %(limit_value)d characters (it has %(show_value)d)."),
        },
    )

    def __init__(self, *args, require_body: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.require_body = require_body

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if self.require_body and not body:
            raise forms.ValidationError(_("Write a few words first."), code="required")
        return body


@dataclass(frozen=True)
class Action:
    """One POST of a kind's work panel (``…/step/<name>/``): the form that
    reads it, the step it runs, and what to say once it is done."""

    run: Callable[[Assignment, Any, dict], object]  # (assignment, user, cleaned data) -> what the step made
    success: str | Promise | Callable[[Any], str]  # a callable reads what the step made
    needs_body: bool = True
    # (POST data, access) -> the bound form; None: the one-text step form.
    form: Callable[[Any, CoupleAccess], forms.Form] | None = None
    # The page's name for that form: refused, it is shown again, text kept, under this name.
    slot: str = "step_form"
    hint: bool = True  # offer the gentle wording hint on what was sent
    # Offer it *before* sending instead ("Rephrase" / "Send as it is"): words
    # said to the partner at once, where a hint after "Sent." comes too late.
    ask_first: bool = False

    def bind(self, data, access: CoupleAccess) -> forms.Form:
        if self.form is None:
            return StepForm(data, require_body=self.needs_body)
        return self.form(data, access)

    def said(self, result) -> str:
        return str(self.success) if isinstance(self.success, str | Promise) else self.success(result)

    def send(self, assignment: Assignment, user, data: dict, name: str):
        """Run the step; the draft of what it sends goes in the same transaction.

        Refused (``HomeworkError``), the step changes nothing and the draft
        stays: a kind's step never has to think of drafts."""
        with transaction.atomic():
            made = self.run(assignment, user, data)
            if self.needs_body:
                drafts.discard(user, assignment.couple, draft_slot(assignment, name))
        return made


def draft_slot(assignment: Assignment, action: str) -> str:
    """The draft of a kind's written step: one per assignment, action and author."""
    return slot("step", assignment.pk, action)


@dataclass(frozen=True)
class Page:
    """What the assignment page has already read, for a kind to build its part.

    ``readable``: the responses this person may read (the visibility rule, in
    SQL); ``visible``: the (author, step) pairs they may know exist, such as
    a sealed answer; ``forms``: forms given back, bound, after a refused POST."""

    assignment: Assignment
    user: Any
    partner: Any
    mine: Part
    parts: list[Part]
    readable: list[Response]
    visible: set[tuple[int, str]]
    access: CoupleAccess
    forms: Mapping[str, forms.Form] = field(default_factory=dict)

    def one(self, author, step: str) -> Response | None:
        """``author``'s response of this step, if this person may read it."""
        pk = getattr(author, "pk", None)
        return next((r for r in self.readable if r.author_id == pk and r.step == step), None)

    def draft(self, action: str) -> str:
        """My draft of the written step ``action`` ("" when there is none)."""
        return drafts.restored_text(self.access.request, self.assignment.couple, draft_slot(self.assignment, action))

    def partner_has(self, step: str) -> bool:
        """The partner wrote this step (perhaps sealed: that it exists, nothing more)."""
        return bool(self.partner) and (self.partner.pk, step) in self.visible


@dataclass(frozen=True)
class Seed:
    """How the synthetic seeder writes one of this kind: the responses a done
    one has, in order, as (step, role)."""

    responses: tuple[tuple[str, str], ...] = ()
    revealed: bool = False  # a done one carries ``revealed_at``
    phased: bool = False  # responses carry the speaker's phase (1 for role a, 2 for role b)


@dataclass(frozen=True)
class Kind:
    key: str  # as in content files and ``Exercise.kind``; the module's name
    label: str | Promise
    template: str  # the work panel of the assignment page
    context: Callable[[Page], dict]  # what the template reads beyond the common page
    actions: Mapping[str, Action]
    seed: Seed
    staged: bool = False  # exercises have stages: required in content, a debrief asks "comfortable"
    saves: bool = False  # an exercise may save something for the couple (``saves:`` in content)
    # Who plans this one, chosen when it is proposed: (couple, partners in role order) -> partner.
    planner: Callable[[Any, list], Any] | None = None
    # Whose move it is while it is under way, as a condition on ``Part`` rows (see ``whose_move``).
    turn: Callable[[], Q] | None = None
    # The waiting item's neutral title when it is someone's move ("Your turn in a listening exercise").
    your_move: str | Promise = YOUR_MOVE

    def whose_move(self) -> Q:
        """The parts whose person the homework (of this kind, under way) now waits on.

        A condition on ``Part`` rows, so that a page can list and the header
        count any number of them in one query (``tandem.turns``). Only a
        move the partner can already know is someone's counts: "your
        partner's answer is in", "your turn to restate"; never something
        said privately (a touch "ready today"). Holds and due dates are
        asked elsewhere (``holds``, ``Assignment.objects.overdue``)."""
        return self.turn() if self.turn is not None else Q(pk__in=[])
