from django.urls import path

from tandem.turns import views

app_name = "turns"

urlpatterns = [
    path("waiting/", views.waiting, name="waiting"),
]
