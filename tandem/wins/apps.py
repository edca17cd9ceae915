from django.apps import AppConfig


class WinsConfig(AppConfig):
    name = "tandem.wins"
    label = "wins"
