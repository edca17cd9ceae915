from django.urls import path

from tandem.boundaries import views

app_name = "boundaries"

C = "couple/<uuid:couple_id>/boundaries"

urlpatterns = [
    path("pause-everything/", views.pause_everything, name="pause_everything"),
    path(f"{C}/", views.overview, name="overview"),
    path("couple/<uuid:couple_id>/vocabulary/", views.vocabulary, name="vocabulary"),
    path(f"{C}/history/", views.history, name="history"),
    path(f"{C}/share/", views.share_matches, name="share_matches"),
    path("couple/<uuid:couple_id>/agreements/", views.agreements, name="agreements"),
    path(
        "couple/<uuid:couple_id>/agreements/<int:agreement_id>/<slug:action>/",
        views.agreement_action,
        name="agreement_action",
    ),
    path(f"{C}/<slug:section>/", views.section, name="section"),
    path(f"{C}/<slug:section>/finish/", views.finish, name="finish"),
    path(f"{C}/<slug:section>/answer/", views.answer, name="answer"),
    path(f"{C}/<slug:section>/add/", views.add_item, name="add_item"),
]
