from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "tandem.clinic"
    label = "clinic"
