from django.apps import AppConfig


class CheckinsConfig(AppConfig):
    name = "tandem.checkins"
    label = "checkins"
