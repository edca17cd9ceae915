from django.urls import path

from tandem.privacy import views

app_name = "privacy"

urlpatterns = [
    path("export/", views.export, name="export"),
    path("export/measures/", views.export_fhir, name="export_fhir"),
    path("delete/", views.delete_account, name="delete"),
]
