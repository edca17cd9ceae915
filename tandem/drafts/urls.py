from django.urls import path

from tandem.drafts import views

app_name = "drafts"

urlpatterns = [
    path("couple/<uuid:couple_id>/drafts/", views.save, name="save"),
]
