"""Calendar feeds: the private subscription URL and the one-off ``.ics``.

The feed URL is a capability: whoever has it reads the couple's planned
blocks, without signing in (calendar apps can't). So it is long and random,
only its hash is stored, it is shown once, and it stops working at once
when revoked, when its person is no longer a partner there, or when the
space is closed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tandem.blocks import feeds
from tandem.blocks.models import Block, CalendarSettings, Feed
from tandem.couples.access import couple_access_or_404

FILENAME = "tandem.ics"


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's subscription feed: the couple's planned blocks."""
    last_block_change = Block.objects.filter(couple=OuterRef("couple")).order_by("-updated_at").values("updated_at")
    found = (
        Feed.objects.live()
        .filter(
            token_hash=Feed.hash(token),
            couple__closed_at__isnull=True,
            # Still a partner there: one join, so both conditions hold for the same membership.
            user__memberships__couple=F("couple"),
            user__memberships__active=True,
        )
        # Any block's change, planned or not: a block that ended leaves the
        # feed, and Last-Modified must move for that too.
        .annotate(blocks_changed=Subquery(last_block_change[:1]))
        .select_related("user", "user__calendar_settings")
        .first()
    )
    if found is None:
        raise Http404
    viewer = found.user
    viewer._calendar_settings = _settings_of(viewer)  # read once, with the feed
    blocks = list(Block.objects.filter(couple_id=found.couple_id).active().for_calendar())
    body = feeds.calendar_for(blocks, viewer)
    # The language of the titles has no timestamp of its own; the ETag covers it.
    modified = feeds.last_modified(blocks, found.blocks_changed, found.created_at, viewer._calendar_settings.updated_at)
    response = feeds.ics_response(request, body, modified=modified, filename=FILENAME, attachment=False)
    # A calendar app may keep it a while; no shared cache may.
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex"
    return response


@login_required
@require_safe
def block_ics(request: HttpRequest, couple_id, block_id) -> HttpResponse:
    """One planned block, to add to a calendar by hand."""
    access = couple_access_or_404(request, couple_id, partners_only=True)
    block = access.object_or_404(Block.objects.active().for_calendar(), pk=block_id)
    request.user._calendar_settings = CalendarSettings.of(request.user)
    body = feeds.calendar_for([block], request.user)
    modified = feeds.last_modified([block], request.user._calendar_settings.updated_at)
    return feeds.ics_response(request, body, modified=modified, filename=FILENAME, attachment=True)


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest, couple_id) -> HttpResponse:
    """Make, remake or turn off one's own feed. The URL is shown only once."""
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    if request.method == "GET":
        return _page(request, access)
    action = request.POST.get("action")
    if action == "issue":
        try:
            with transaction.atomic():
                _feed, token = Feed.issue(request.user, access.couple)
        except IntegrityError:
            # Two clicks at once: the other one made the feed.
            messages.error(request, _("That didn't go through. Please try again."))
            return redirect("blocks:feed_settings", couple_id=access.couple.pk)
        # Rendered, not redirected: the token exists only in this response.
        return _page(request, access, token=token)
    if action == "revoke":
        revoked = Feed.objects.live().filter(user=request.user, couple=access.couple).update(revoked_at=timezone.now())
        if revoked:
            messages.success(request, _("Your calendar link is turned off. Calendars that used it stop updating."))
        else:
            messages.info(request, _("You have no calendar link to turn off."))
        return redirect("blocks:feed_settings", couple_id=access.couple.pk)
    messages.error(request, _("That isn't something this page can do. Nothing was changed."))
    return redirect("blocks:feed_settings", couple_id=access.couple.pk)


def _settings_of(user) -> CalendarSettings:
    """The settings fetched with the user, or the defaults: no extra query."""
    try:
        return user.calendar_settings
    except CalendarSettings.DoesNotExist:
        return CalendarSettings(user=user)


def _page(request: HttpRequest, access, token: str | None = None) -> HttpResponse:
    feed_url = request.build_absolute_uri(reverse("blocks:feed", args=[token])) if token else None
    return render(
        request,
        "blocks/feed_settings.html",
        {
            "couple": access.couple,
            "access": access,
            "live_feed": Feed.objects.live().filter(user=request.user, couple=access.couple).first(),
            "feed_url": feed_url,
            # The same address for apps that subscribe on a webcal:// link.
            "webcal_url": "webcal://" + feed_url.split("://", 1)[1] if feed_url else None,
            "detailed": CalendarSettings.of(request.user).detailed_wording,
        },
    )
