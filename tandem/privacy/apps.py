from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """A person's own data: export, erasure, and the break-up timeline."""

    name = "tandem.privacy"
    verbose_name = "Privacy"
