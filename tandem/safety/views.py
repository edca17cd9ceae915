"""The safety channel's pages.

The partner's page shows only their own thread, and depends on nothing the
other partner does, so it reads the same for both whatever either of them
sent. The therapist lists the threads addressed to them and opens one at a time
through ``access.object_or_404``, so each read is audited and listed for its
author only. Every therapist page here says at the door that it reads
safety threads (``reads=SafetyThread``), so its couple-level read is listed
to neither partner.
"""

from __future__ import annotations

import markdown
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tandem.couples.access import (
    CoupleAccess,
    couple_access_or_404,
    current_couple,
    therapist_access_or_404,
    therapist_required,
)
from tandem.drafts import services as drafts
from tandem.drafts.models import slot
from tandem.measures.views import crisis_resources
from tandem.safety import services
from tandem.safety.forms import MessageForm, ReplyForm
from tandem.safety.models import SafetyThread
from tandem.security.reauth import reauth_when_idle

FALLBACK_INFO = (
    "This page is for a private message to your therapist. It is not an emergency service: "
    "if you are in danger, call your local emergency number."
)

# --- the partner's side -------------------------------------------------------------


@login_required
@reauth_when_idle
@require_http_methods(["GET", "POST"])
def channel(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    draft = slot("safety", "message")
    form = MessageForm(
        request.POST if request.method == "POST" else None,
        initial={"body": lambda: drafts.restored_text(request, access.couple, draft)},
    )
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.send(access.couple, request.user, form.cleaned_data["body"])
        except services.SafetyError as error:
            # E.g. the link ended while they were writing: the words stay on the page.
            problem = str(error)
        else:
            messages.success(request, _("Sent. Only your therapist can read it."))
            return redirect("safety:channel", couple_id=access.couple.pk)
    if request.method == "POST":
        # Refused: kept as the draft too, for when it can be sent.
        drafts.keep_unsent(request.user, access.couple, draft, request.POST.get("body", ""))
    therapist = services.active_therapist(access.couple)
    thread = services.thread_for(access.couple, request.user, therapist)
    entries = list(thread.messages.all()) if thread else []
    # Shown as new until the partner says they read them (a POST: a page read writes nothing).
    new_replies = {message.pk for message in entries if message.from_therapist and message.read_at is None}
    return render(
        request,
        "safety/channel.html",
        {
            "couple": access.couple,
            "access": access,
            "therapist": therapist,
            "entries": entries,
            "new_replies": new_replies,
            "form": form,
            "problem": problem,
        },
    )


@login_required
@require_POST
def channel_read(request: HttpRequest, couple_id) -> HttpResponse:
    """The partner read their therapist's new replies."""
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    thread = services.thread_for(access.couple, request.user, services.active_therapist(access.couple))
    if thread is not None:
        services.mark_read_by_author(thread)
    return redirect("safety:channel", couple_id=access.couple.pk)


@login_required
@require_safe
def info(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "safety/info.html",
        {"body": safety_info(), "crisis": crisis_resources(), "couple": current_couple(request.user)},
    )


def safety_info() -> SafeString:
    """The deployment's safety information (``SAFETY_INFO_FILE``), as HTML.

    Read on each use so a deployment can edit it without a restart. Raw HTML
    in it is escaped, and its headings start at h2 (the page has its own h1).
    A missing file must not take the page down: a short fallback is shown.
    """
    try:
        text = settings.SAFETY_INFO_FILE.read_text(encoding="utf-8")
    except OSError:
        text = FALLBACK_INFO
    md = markdown.Markdown(extensions=["sane_lists", "toc"], extension_configs={"toc": {"baselevel": 2}})
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return mark_safe(md.convert(text))  # noqa: S308 -- Markdown with raw HTML disabled


# --- the therapist's side -----------------------------------------------------------
#
# One page per thread, not one page with every thread: a read of a thread is
# listed for its author, so showing Bo's thread whenever the therapist opens
# the channel to read Alice's new message would put a fresh entry in Bo's list
# of reads just then -- a hint that Alice wrote. The list of threads names no
# words; its read is the couple-level one, hidden from both partners.


def _threads(request: HttpRequest):
    return SafetyThread.objects.written_to(request.user).select_related("author")


@therapist_required
@require_safe
def clinic(request: HttpRequest, couple_id) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, reads=SafetyThread)
    threads = (
        _threads(request)
        .filter(couple=access.couple)
        .annotate(
            unread=Count("messages", filter=Q(messages__from_therapist=False, messages__read_at__isnull=True)),
            last_at=Max("messages__created_at"),
        )
        .order_by("-last_at")
    )
    return render(request, "safety/clinic.html", {"couple": access.couple, "threads": threads})


def _thread_page(request: HttpRequest, access: CoupleAccess, thread: SafetyThread, form: ReplyForm | None = None):
    entries = list(thread.messages.all())
    # New until the therapist marks them read or replies (POSTs): opening the page
    # writes nothing but its audit entry, so the waiting item stays until then.
    new = {message.pk for message in entries if not message.from_therapist and message.read_at is None}
    return render(
        request,
        "safety/clinic_thread.html",
        {"couple": access.couple, "thread": thread, "entries": entries, "new": new, "form": form or ReplyForm()},
    )


@therapist_required
@require_safe
def thread(request: HttpRequest, couple_id, thread_id: int) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, reads=SafetyThread)
    return _thread_page(request, access, access.object_or_404(_threads(request), pk=thread_id))


@therapist_required
@require_POST
def reply(request: HttpRequest, couple_id, thread_id: int) -> HttpResponse:
    access = therapist_access_or_404(request, couple_id, write=True, reads=SafetyThread)
    thread = access.object_or_404(_threads(request), pk=thread_id)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _thread_page(request, access, thread, form)
    services.reply(thread, form.cleaned_data["body"])
    messages.success(
        request, _("Reply sent to %(name)s. Only they can read it.") % {"name": thread.author.display_name}
    )
    return redirect("safety:thread", couple_id=access.couple.pk, thread_id=thread.pk)


@therapist_required
@require_POST
def thread_read(request: HttpRequest, couple_id, thread_id: int) -> HttpResponse:
    """The therapist read the thread's new messages: its waiting item goes."""
    access = therapist_access_or_404(request, couple_id, reads=SafetyThread)
    thread = access.object_or_404(_threads(request), pk=thread_id)
    services.mark_read_by_therapist([thread])
    return redirect("safety:thread", couple_id=access.couple.pk, thread_id=thread.pk)
