from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.couples.access import couple_access_or_404
from tandem.seasons import services
from tandem.seasons.forms import StartForm


def _page(request: HttpRequest, access, form=None) -> HttpResponse:
    season = services.current_season(access.couple)
    user = request.user
    return render(
        request,
        "seasons/season.html",
        {
            "couple": access.couple,
            "access": access,
            "season": season,
            # The category is the starter's to share: the partner sees it only if they chose so.
            "show_reason": bool(season) and (season.started_by_id == user.pk or season.reason_shared),
            "i_am_ready": bool(season) and season.ready.filter(user=user).exists(),
            "form": form or StartForm(),
            "suggest": services.should_suggest(access.couple),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def season(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=request.method == "POST")
    if request.method == "POST":
        form = StartForm(request.POST)
        if form.is_valid():
            try:
                services.start(access.couple, request.user, **form.cleaned_data)
            except services.SeasonError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Hard season on. The plan is lighter now; be gentle with yourselves."))
            return redirect("seasons:season", couple_id=access.couple.pk)
        return _page(request, access, form)
    return _page(request, access)


@login_required
@require_POST
def ready(request: HttpRequest, couple_id) -> HttpResponse:
    access = couple_access_or_404(request, couple_id, partners_only=True, open_only=True)
    season = services.current_season(access.couple)
    if season is None:
        messages.error(request, _("There is no hard season on right now."))
    else:
        try:
            ended = services.ready_to_end(season, request.user)
        except services.SeasonError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("You came through it together. Everything that was held is back where you left it.")
                if ended
                else _("Noted. The season ends when you both feel ready."),
            )
    return redirect("seasons:season", couple_id=access.couple.pk)
