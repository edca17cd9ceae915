from django.urls import path

from tandem.authoring import views

app_name = "authoring"

urlpatterns = [
    path("clinic/exercises/", views.exercise_list, name="list"),
    path("clinic/exercises/new/", views.exercise_new, name="new"),
    path("clinic/exercises/<int:exercise_id>/", views.exercise_page, name="exercise"),
    path("clinic/exercises/<int:exercise_id>/share/", views.exercise_share, name="share"),
]
