from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.notifications import services
from tandem.notifications.forms import NotificationSettingsForm, SubscriptionForm
from tandem.security.sessions import device_summary


@login_required
@require_http_methods(["GET", "POST"])
def notification_settings(request: HttpRequest) -> HttpResponse:
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None, instance=services.settings_of(request.user)
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification choices are saved."))
        return redirect("notifications:settings")
    context = {
        "form": form,
        "devices": services.devices(request.user),
        "vapid_public_key": settings.VAPID_PUBLIC_KEY,
    }
    return render(request, "notifications/settings.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    """app.js posts the browser's new push subscription here (after the person's tap)."""
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return HttpResponse(first, status=400, content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    services.subscribe(
        request.user,
        data["endpoint"],
        data["p256dh"],
        data["auth"],
        device_summary(request.headers.get("User-Agent", "")),
    )
    return HttpResponse(
        _("Notifications are on for this device."), status=201, content_type="text/plain; charset=utf-8"
    )


@login_required
@require_POST
def remove(request: HttpRequest) -> HttpResponse:
    """Forget a device: from the list (by id) or this browser (by its endpoint, from app.js)."""
    if (device := request.POST.get("device", "")).isdigit():
        removed = services.remove(request.user, int(device))
    else:
        removed = services.remove_endpoint(request.user, request.POST.get("endpoint", ""))
    if request.headers.get("X-Requested-With") == "fetch":
        return HttpResponse(status=204)
    if removed:
        messages.success(request, _("That device will get no more notifications from Tandem."))
    return redirect("notifications:settings")
