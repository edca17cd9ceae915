"""A person's own data: download it, or delete the account.

Both act on the signed-in person only (no ids in the URLs), and both hand
out or remove everything at once, so both need a recent "confirm it's you"
(``recent_auth_required``): an unlocked phone in someone else's hand must
not be enough to download everything a person wrote, or to erase them.
Downloads are POSTs: nothing is fetched by a link, a prefetch or another
site.
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.privacy import services
from tandem.privacy.export import build_export, measures_bundle
from tandem.privacy.forms import DeleteAccountForm
from tandem.security.reauth import recent_auth_required
from tandem.security.twofactor import require_for_therapist


def _download(document: dict, filename: str, content_type: str) -> HttpResponse:
    body = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Everything this person ever wrote: no cache anywhere may keep a copy.
    response["Cache-Control"] = "no-store, private"
    return response


@recent_auth_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest) -> HttpResponse:
    if request.user.is_therapist:
        # A therapist's export holds case notes about couples: like any page
        # with couple data, only from a session that passed two-factor.
        require_for_therapist(request)
    if request.method == "POST":
        today = timezone.localdate()
        return _download(build_export(request.user), f"tandem-export-{today:%Y-%m-%d}.json", "application/json")
    return render(request, "privacy/export.html")


@recent_auth_required
@require_http_methods(["GET", "POST"])
def export_fhir(request: HttpRequest) -> HttpResponse:
    """The person's measures alone, as a FHIR R4 Bundle for another system."""
    if request.method == "GET":
        # Where "confirm it's you" sends a stale POST back to: the page.
        return redirect("privacy:export")
    today = timezone.localdate()
    return _download(measures_bundle(request.user), f"tandem-measures-{today:%Y-%m-%d}.json", "application/fhir+json")


@recent_auth_required
@require_http_methods(["GET", "POST"])
def delete_account(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.erase_person(request.user)
        logout(request)
        messages.success(request, _("Your account and what you wrote are deleted. Take care."))
        return redirect("home:home")
    return render(request, "privacy/delete.html", {"form": form})
