"""The installable web app: its manifest, its service worker and its offline page.

None of these says anything about who asks: the manifest and the offline
page are the same for everyone (the offline page renders without the
request, like the error pages, so no context processor reads the session),
and the worker is a static file served from the root so that its scope is
the whole site.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.http import require_GET

# From app.css: --accent (light) for the browser's bars, --bg for the splash screen.
THEME_COLOUR = "#2f5d62"
BACKGROUND_COLOUR = "#f7f5f2"
WORKER_FILE = "tandem/sw.js"
OFFLINE_PATH = "/offline/"


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    data = {
        "name": "Tandem",
        "short_name": "Tandem",
        "id": "/",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static("tandem/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("tandem/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("tandem/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("tandem/icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }  # fmt: skip
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """``/sw.js``: the vendored worker, from the root so its scope is the site.

    Never cached by the HTTP cache (browsers check for a new worker anyway,
    but a stale one would keep old rules). The offline page's address is
    filled in here so the worker needs no build step.
    """
    path = finders.find(WORKER_FILE)
    with open(path, encoding="utf-8") as source:
        body = source.read().replace("__OFFLINE_URL__", OFFLINE_PATH)
    body = body.replace("__STATIC_URL__", "/" + settings.STATIC_URL.strip("/") + "/")
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    """The neutral page the worker shows when a page can't be reached: nothing personal on it."""
    context = {"LANGUAGE_CODE": translation.get_language(), "QUICK_EXIT_URL": settings.QUICK_EXIT_URL}
    return HttpResponse(loader.get_template("core/offline.html").render(context))
