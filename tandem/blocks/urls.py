from django.urls import path

from tandem.blocks import views
from tandem.blocks.feed_urls import urlpatterns_feeds

app_name = "blocks"

urlpatterns = [
    path("couple/<uuid:couple_id>/calendar/", views.agenda, name="agenda"),
    path("couple/<uuid:couple_id>/calendar/plan/", views.plan, name="plan"),
    path("couple/<uuid:couple_id>/calendar/find/", views.find_time, name="find"),
    path("couple/<uuid:couple_id>/calendar/reminders/", views.reminder_settings, name="reminders"),
    path("couple/<uuid:couple_id>/calendar/blocks/<uuid:block_id>/", views.block, name="block"),
    path("couple/<uuid:couple_id>/calendar/blocks/<uuid:block_id>/change/", views.change, name="change"),
    path("couple/<uuid:couple_id>/calendar/blocks/<uuid:block_id>/<str:action>/", views.act, name="act"),
    path("calendar/", views.start, name="start"),
    path("calendar/free-times/", views.free_times, name="free_times"),
    *urlpatterns_feeds,
]
