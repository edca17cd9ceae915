from django.apps import AppConfig


class BlocksConfig(AppConfig):
    """The shared calendar: blocks, finding time, reminders and feeds."""

    name = "tandem.blocks"
    verbose_name = "Shared calendar"
