from django.urls import path

from tandem.wins import views

app_name = "wins"

urlpatterns = [
    path("couple/<uuid:couple_id>/celebrate/", views.celebrate, name="celebrate"),
    path("couple/<uuid:couple_id>/celebrate/thanks/<int:note_id>/read/", views.note_read, name="note_read"),
]
