from django.urls import path

from tandem.couples import views

app_name = "couples"

urlpatterns = [
    path("couple/new/", views.create, name="create"),
    path("couple/<uuid:couple_id>/invite/", views.invite_create, name="invite_create"),
    path("couple/<uuid:couple_id>/invites/<int:invite_id>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("couple/<uuid:couple_id>/leave/", views.leave, name="leave"),
    path("couple/<uuid:couple_id>/open-to/", views.consent_question, name="consent_question"),
    path("join/", views.join_with_code, name="join_code"),
    path("join/<str:token>/", views.join, name="join"),
]
