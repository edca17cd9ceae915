from django.apps import AppConfig


class TestkitConfig(AppConfig):
    name = "tandem.testkit"
    label = "testkit"
