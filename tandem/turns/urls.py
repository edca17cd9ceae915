from django.urls import path

from tandem.turns import views

app_name = "turns"

urlpatterns = [
    path("waiting/", views.waiting, name="waiting"),
    path("waiting/count/", views.count, name="count"),
    path("couple/<uuid:couple_id>/homework/<int:assignment_id>/stamp/", views.stamp, name="stamp"),
]
