from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "tandem.drafts"
    label = "drafts"
