from django.urls import path

from tandem.clinic import views

app_name = "clinic"

urlpatterns = [
    path("clinic/", views.caseload, name="caseload"),
    path("clinic/register/", views.register, name="register"),
    path("clinic/invites/new/", views.invite_create, name="invite_create"),
    path("clinic/invites/<int:invite_id>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("clinic/couples/<uuid:couple_id>/", views.couple, name="couple"),
    path(
        "clinic/couples/<uuid:couple_id>/stages/<int:assignment_id>/approve/", views.approve_stage, name="approve_stage"
    ),
    path("care/", views.link_with_code, name="link_code"),
    path("care/join/<str:token>/", views.link_join, name="link_join"),
    path("couple/<uuid:couple_id>/care/<int:link_id>/consent/", views.link_consent, name="link_consent"),
    path("couple/<uuid:couple_id>/care/<int:link_id>/end/", views.link_end, name="link_end"),
]
