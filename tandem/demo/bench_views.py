"""The benchmark's "floor": the cheapest page this server can answer.

Only in the URLconf with ``TANDEM_BENCH_FLOOR=1`` (see tandem/urls.py). It
goes through the whole middleware stack like any page, but touches no
database and renders a tiny template, so ``bench/run.py`` can express the
home page's throughput as a share of what the same server does with no work.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def floor(request: HttpRequest) -> HttpResponse:
    return render(request, "demo/bench_floor.html", {"word": "floor"})
