from django.urls import path

from tandem.seasons import views

app_name = "seasons"

urlpatterns = [
    path("couple/<uuid:couple_id>/season/", views.season, name="season"),
    path("couple/<uuid:couple_id>/season/ready/", views.ready, name="ready"),
]
