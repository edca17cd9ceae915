from django.urls import path

from tandem.measures import views

app_name = "measures"

urlpatterns = [
    path("couple/<uuid:couple_id>/measures/", views.overview, name="overview"),
    path("couple/<uuid:couple_id>/measures/responses/<int:response_id>/share/", views.share, name="share"),
    path("couple/<uuid:couple_id>/measures/<str:code>/", views.fill, name="fill"),
    path("clinic/couples/<uuid:couple_id>/measures/", views.clinic, name="clinic"),
    path("clinic/couples/<uuid:couple_id>/measures/plan/", views.clinic_plan, name="clinic_plan"),
    path(
        "clinic/couples/<uuid:couple_id>/measures/flags/<int:flag_id>/seen/",
        views.clinic_flag_seen,
        name="clinic_flag_seen",
    ),
    path(
        "clinic/couples/<uuid:couple_id>/measures/responses/<int:response_id>/fhir.json",
        views.clinic_fhir,
        name="clinic_fhir",
    ),
]
