from django.apps import AppConfig


class SeasonsConfig(AppConfig):
    name = "tandem.seasons"
    label = "seasons"
