from django.apps import AppConfig


class SafetyConfig(AppConfig):
    """The safety channel: a partner's private line to the linked therapist."""

    name = "tandem.safety"
    verbose_name = "Safety channel"
