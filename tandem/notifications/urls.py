from django.urls import path

from tandem.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_settings, name="settings"),
    path("devices/", views.subscribe, name="subscribe"),
    path("devices/remove/", views.remove, name="remove"),
]
