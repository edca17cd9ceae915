from django.conf import settings
from django.urls import include, path

urlpatterns = [
    path("", include("tandem.home.urls")),
    # The installable app: /manifest.webmanifest, /sw.js (its scope is the site), /offline/.
    path("", include("tandem.core.urls")),
    path("account/", include("tandem.accounts.urls")),
    path("account/security/", include("tandem.security.urls")),
    path("account/notifications/", include("tandem.notifications.urls")),
    path("", include("tandem.couples.urls")),
    path("", include("tandem.clinic.urls")),
    path("", include("tandem.homework.urls")),
    path("", include("tandem.checkins.urls")),
    path("", include("tandem.seasons.urls")),
    path("", include("tandem.wins.urls")),
    path("", include("tandem.boundaries.urls")),
    path("", include("tandem.blocks.urls")),
    path("", include("tandem.measures.urls")),
    path("", include("tandem.safety.urls")),
    path("", include("tandem.drafts.urls")),
    path("", include("tandem.authoring.urls")),
    path("", include("tandem.turns.urls")),
    path("account/privacy/", include("tandem.privacy.urls")),
]

if settings.TANDEM_BENCH_FLOOR:
    # The benchmark's floor (bench/run.py): in the URLconf only when asked for.
    from tandem.demo.bench_views import floor

    urlpatterns.append(path("bench/floor/", floor, name="bench_floor"))

if settings.ADMIN_ENABLED:
    from django.contrib import admin

    urlpatterns.append(path("admin/", admin.site.urls))

# Tandem's own 500 page, and a 503 while the database can't be reached
# (tandem/core/errors.py); neither needs the database to render.
handler500 = "tandem.core.errors.server_error"
