"""The one endpoint drafts are kept through, posted while a partner types.

The page posts its whole form here (htmx, ``hx-trigger="input changed
delay:…"``) with the form's slot; the words are read from the field that
slot names. The answer is text for the page's polite status line: "Draft
saved 14:03" (200), nothing when the box was emptied and the draft deleted
(204), or the reason a draft can't be kept (400). Outsiders and therapists
get 404, as on every couple page, and so does a closed space, like every
other write into it. Not ``login_required``: a redirect to the log-in page
means nothing to a request made while typing; an ended session gets 404
and the page says the draft wasn't kept.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tandem.core import dates
from tandem.couples.access import couple_access_or_404
from tandem.drafts import services
from tandem.drafts.models import field_of


def _text(message: str, status: int = 200) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_POST
def save(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    slot = request.POST.get("slot", "")
    field = field_of(slot)
    if field is None or field not in request.POST:
        # A page of ours always sends both: this is not one of its forms.
        return _text(_("This box can't keep a draft (its name isn't one Tandem knows)."), status=400)
    try:
        draft = services.keep(request.user, access.couple, slot, request.POST[field])
    except services.DraftError as error:
        return _text(str(error), status=400)
    if draft is None:
        return HttpResponse(status=204)
    at = dates.show_time(draft.updated_at)
    return _text(_("Draft saved %(time)s") % {"time": at})
