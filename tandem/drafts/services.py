"""Keeping, restoring and discarding drafts: the one place each is decided.

* ``keep``: the words typed so far, for their author (the page posts them
  every little while); an empty box deletes the draft.
* ``restored``: what a page puts back into its form when opened again;
  one query per request however many forms the page shows.
* ``discard``: the step that sends the final text calls it inside its own
  transaction, so the draft goes exactly when the words are saved, and stays
  when the step is refused.
* ``keep_unsent``: a refused submit keeps what it came with (it may be newer
  than the last draft the page kept), never losing the older draft.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.drafts.models import BODY_MAX, MAX_PER_AUTHOR, Draft, field_of

_CACHE = "_tandem_drafts"  # on the request: {couple id: {slot: Draft}}


class DraftError(Exception):
    """A draft that can't be kept, with the reason to show."""


def check(slot: str, body: str) -> None:
    """Refuse what can't be kept, saying why; never cut the words short."""
    if field_of(slot) is None:
        raise DraftError(_("This box can't keep a draft (its name isn't one Tandem knows)."))
    if "\x00" in body:
        raise DraftError(_("This draft wasn't kept: it contains a null character, which can't be stored."))
    if len(body) > BODY_MAX:
        raise DraftError(
            _(
                "This draft is too long to keep (%(count)s characters; a draft keeps up to %(limit)s). "
                "Your words are still in the box."
            )
            % {"count": f"{len(body):,}", "limit": f"{BODY_MAX:,}"}
        )


def keep(author, couple, slot: str, body: str) -> Draft | None:
    """Keep ``body`` as the author's draft for ``slot`` (replacing the last one).

    An empty (or blank) box deletes the draft and returns None. Refuses with
    ``DraftError`` for a bad slot, a body too long or with a null character,
    and a closed space (nothing is written into it any more).
    """
    check(slot, body)
    if not couple.is_open:
        raise DraftError(_("This couple space is closed, so no draft is kept here."))
    if not body.strip():
        discard(author, couple, slot)
        return None
    with transaction.atomic():
        draft, created = Draft.objects.update_or_create(
            author=author, couple=couple, slot=slot, defaults={"body": body, "updated_at": timezone.now()}
        )
        if created:
            _drop_the_oldest(author)
    return draft


def keep_unsent(author, couple, slot: str, body: str) -> bool:
    """After a refused submit: keep its words as the draft when they can be kept.

    Never raises and never deletes: the page shows the words back anyway, and
    an empty or unkeepable submit leaves the draft as it was."""
    if not body.strip():
        return False
    try:
        keep(author, couple, slot, body)
    except DraftError:
        return False
    return True


def discard(author, couple, slot: str) -> None:
    """The words of ``slot`` were sent: its draft goes (call inside the sending transaction)."""
    Draft.objects.of(author, couple).filter(slot=slot).delete()


def _drop_the_oldest(author) -> None:
    stale = Draft.objects.filter(author=author).order_by("-updated_at", "-pk").values_list("pk", flat=True)
    Draft.objects.filter(pk__in=list(stale[MAX_PER_AUTHOR:])).delete()


def mine(request: HttpRequest, couple) -> dict[str, Draft]:
    """The signed-in person's drafts in ``couple``, by slot; read once per request."""
    cache = request.__dict__.setdefault(_CACHE, {})
    if couple.pk not in cache:
        rows = Draft.objects.of(request.user, couple).only("slot", "body", "updated_at")
        cache[couple.pk] = {draft.slot: draft for draft in rows}
    return cache[couple.pk]


def restored(request: HttpRequest | None, couple, slot: str) -> Draft | None:
    """The draft a page puts back into the form ``slot`` (None when there is none)."""
    if request is None:
        return None
    return mine(request, couple).get(slot)


def restored_text(request: HttpRequest | None, couple, slot: str) -> str:
    draft = restored(request, couple, slot)
    return draft.body if draft else ""
