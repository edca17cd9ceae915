from django.urls import path

from tandem.home import views

app_name = "home"

urlpatterns = [
    path("", views.home, name="home"),
    path("couple/<uuid:couple_id>/", views.couple, name="couple"),
    path("help/", views.help_page, name="help"),
]
