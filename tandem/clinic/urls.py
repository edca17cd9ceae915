from django.urls import path

from tandem.clinic import views, workspace_views

app_name = "clinic"

urlpatterns = [
    path("clinic/", workspace_views.caseload, name="caseload"),
    path("clinic/practice/", workspace_views.practice, name="practice"),
    path("clinic/register/", views.register, name="register"),
    path("clinic/invites/new/", views.invite_create, name="invite_create"),
    path("clinic/invites/<int:invite_id>/revoke/", views.invite_revoke, name="invite_revoke"),
    path("clinic/invites/<int:invite_id>/renew/", views.invite_renew, name="invite_renew"),
    path("clinic/couples/<uuid:couple_id>/", workspace_views.couple, name="couple"),
    path("clinic/couples/<uuid:couple_id>/assign/", workspace_views.assign, name="assign"),
    path(
        "clinic/couples/<uuid:couple_id>/schedules/<int:schedule_id>/cancel/",
        workspace_views.schedule_cancel,
        name="schedule_cancel",
    ),
    path("clinic/couples/<uuid:couple_id>/notes/", workspace_views.note_add, name="note_add"),
    path("clinic/couples/<uuid:couple_id>/settings/", workspace_views.care_settings, name="care_settings"),
    path(
        "clinic/couples/<uuid:couple_id>/stages/<int:assignment_id>/approve/", views.approve_stage, name="approve_stage"
    ),
    path("care/", views.link_with_code, name="link_code"),
    path("care/join/<str:token>/", views.link_join, name="link_join"),
    path("couple/<uuid:couple_id>/care/<int:link_id>/consent/", views.link_consent, name="link_consent"),
    path("couple/<uuid:couple_id>/care/<int:link_id>/end/", views.link_end, name="link_end"),
    path("couple/<uuid:couple_id>/care/<int:link_id>/history/", views.history, name="history"),
    path("couple/<uuid:couple_id>/care/reads/", workspace_views.audit_log, name="audit_log"),
]
