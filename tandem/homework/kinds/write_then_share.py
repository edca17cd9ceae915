"""Write, then share: each partner writes their part, sealed; both are revealed
together when the second one arrives, then each may add one short reply.

The server enforces the seal: until the reveal, the partner may know an
answer exists (it is stored ``sealed``) but never read it.
"""

from __future__ import annotations

from django import forms
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.boundaries.forms import VocabularyForm
from tandem.boundaries.models import ConsentVocabulary
from tandem.couples.visibility import Visibility
from tandem.homework.kinds.base import Action, Kind, Page, Seed
from tandem.homework.models import Assignment, Response
from tandem.homework.steps import (
    HomeworkError,
    complete,
    locked,
    my_part,
    partner_done_first,
    require_active,
    write_mine,
)

KEY = "write_then_share"

# What a write-then-share answer may become at the reveal: it must at least
# reach the partner, or the exercise can't work.
REVEAL_CHOICES = (Visibility.SHARED, Visibility.CARE_TEAM)


# --- forms -----------------------------------------------------------------------------

ANSWER_MAX = 5000
REPLY_MAX = 1000


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Your answer"),
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": gettext_lazy("Write something first; your partner sees nothing until you have both written."),
            "max_length": gettext_lazy(
                "Please keep your answer under %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )
    reveal_as = forms.ChoiceField(
        label=gettext_lazy("Once you have both written, who reads it?"),
        choices=[
            (Visibility.SHARED, gettext_lazy("My partner")),
            (Visibility.CARE_TEAM, gettext_lazy("My partner and our therapist")),
        ],
        initial=Visibility.SHARED,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy("Choose who reads your answer: your partner, or also your therapist.")
        },
    )

    def __init__(self, *args, has_therapist: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not has_therapist:
            # Without a linked therapist, "care team" would mean nobody more.
            self.fields["reveal_as"].choices = [(Visibility.SHARED, gettext_lazy("My partner"))]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(self.fields["body"].error_messages["required"], code="required")
        return body


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("A short reply"),
        max_length=REPLY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": gettext_lazy("Write a reply first, or simply leave it."),
            "max_length": gettext_lazy(
                "Please keep your reply under %(limit_value)d characters (it has %(show_value)d)."
            ),
        },
    )


# --- steps -----------------------------------------------------------------------------


def submit_answer(assignment: Assignment, user, body: str, reveal_as: str = Visibility.SHARED) -> Response:
    """Write (or rewrite) my answer; reveal both when the second one arrives.

    The assignment row is locked so that two answers arriving at the same
    moment reveal exactly once and both are kept.
    """
    if reveal_as not in REVEAL_CHOICES:
        raise HomeworkError(_("Choose who sees your answer once both are in: your partner, or also your therapist."))
    with transaction.atomic():
        assignment = locked(assignment)
        if assignment.kind != KEY:
            raise HomeworkError(_("This exercise has no written answer."))
        if assignment.revealed_at:
            raise HomeworkError(_("Both answers are already shared; you can add a reply instead."))
        part = require_active(assignment, user)
        response = write_mine(assignment, user, Response.Step.ANSWER, body, Visibility.SEALED, reveal_as=reveal_as)
        part.done_at = timezone.now()
        part.save(update_fields=["done_at"])
        answers = list(assignment.responses.filter(step=Response.Step.ANSWER))
        if len(answers) == 2:
            reveal(assignment, answers)
            response.refresh_from_db()
    return response


def reveal(assignment: Assignment, answers: list[Response]) -> None:
    """Both answers are in: each takes on the visibility its writer chose."""
    now = timezone.now()
    for answer in answers:
        answer.visibility = answer.reveal_as
        answer.save(update_fields=["visibility", "updated_at"])
    assignment.revealed_at = now
    complete(assignment, now=now, also=("revealed_at",))


def submit_reply(assignment: Assignment, user, body: str) -> Response:
    with transaction.atomic():
        assignment = locked(assignment)
        my_part(assignment, user)
        if assignment.kind != KEY:
            raise HomeworkError(_("This exercise has no replies."))
        if not assignment.revealed_at:
            raise HomeworkError(_("Replies open once both answers are shared."))
        mine = assignment.responses.get(step=Response.Step.ANSWER, author=user)
        return write_mine(assignment, user, Response.Step.REPLY, body, mine.visibility)


def turn() -> Q:
    """My partner's sealed answer is in and mine is not: my part is open.
    (A reply after the reveal is optional: nobody waits on it.)"""
    return Q(assignment__revealed_at__isnull=True) & partner_done_first()


# --- the page ----------------------------------------------------------------------------


def context(page: Page) -> dict:
    my_answer = page.one(page.user, "answer")
    context = {
        "my_answer": my_answer,
        # Sealed until both have written: the partner may know it exists, nothing more.
        "partner_has_answered": page.partner_has("answer"),
        "partner_answer": page.one(page.partner, "answer"),
        "my_reply": page.one(page.user, "reply"),
        "partner_reply": page.one(page.partner, "reply"),
        "answer_form": page.forms.get("answer_form")
        or AnswerForm(
            has_therapist=page.access.has_therapist,
            # A draft is newer than the saved answer: it was typed since.
            # (Callables: read only if the form is shown.)
            initial={
                "body": lambda: page.draft("answer") or (my_answer.body if my_answer else ""),
                **({"reveal_as": my_answer.reveal_as} if my_answer else {}),
            },
        ),
        "reply_form": page.forms.get("reply_form") or ReplyForm(initial={"body": lambda: page.draft("reply")}),
    }
    if page.assignment.spec.saves == "vocabulary":
        existing = ConsentVocabulary.objects.filter(couple=page.assignment.couple).first()
        context["vocabulary_form"] = VocabularyForm(instance=existing)
    return context


def _answered(response: Response) -> str:
    if response.visibility == Visibility.SEALED:
        return _("Saved. Your partner will read it once they have written too.")
    return _("You have both written: here are your answers.")


KIND = Kind(
    key=KEY,
    label=gettext_lazy("Write, then share"),
    template="homework/kinds/write_then_share.html",
    context=context,
    actions={
        "answer": Action(
            lambda a, u, d: submit_answer(a, u, d["body"], d["reveal_as"]),
            _answered,
            form=lambda data, access: AnswerForm(data, has_therapist=access.has_therapist),
            slot="answer_form",
            hint=False,
        ),
        "reply": Action(
            lambda a, u, d: submit_reply(a, u, d["body"].strip()),
            gettext_lazy("Your reply is shared."),
            form=lambda data, access: ReplyForm(data),
            slot="reply_form",
            hint=False,
        ),
    },
    seed=Seed(responses=(("answer", "a"), ("answer", "b"), ("reply", "a"), ("reply", "b")), revealed=True),
    saves=True,
    turn=turn,
    your_move=gettext_lazy("Your partner has written: your part is open"),
)
