from django.apps import AppConfig


class BoundariesConfig(AppConfig):
    name = "tandem.boundaries"
    label = "boundaries"
