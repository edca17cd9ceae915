from django.urls import path

from tandem.checkins import views

app_name = "checkins"

C = "couple/<uuid:couple_id>"

urlpatterns = [
    path("checkin/", views.start, name="start"),
    path("checkin/rhythm/", views.schedule, name="schedule"),
    path(f"{C}/checkin/", views.today, name="today"),
    path(f"{C}/checkin/rapid/", views.rapid, name="rapid"),
    path(f"{C}/checkins/", views.recent, name="recent"),
    path(f"{C}/progress/", views.progress, name="progress"),
    path(f"{C}/week/", views.week, name="week"),
]
