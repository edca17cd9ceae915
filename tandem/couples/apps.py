from django.apps import AppConfig


class CouplesConfig(AppConfig):
    name = "tandem.couples"
    label = "couples"
