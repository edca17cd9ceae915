from django.apps import AppConfig


class AuthoringConfig(AppConfig):
    """Exercises a therapist writes in the app, in the library's own format."""

    name = "tandem.authoring"
    verbose_name = "Therapist-written exercises"
