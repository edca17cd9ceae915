from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "tandem.homework"
    label = "homework"

    def ready(self) -> None:
        # Registers the system check that validates every exercise file at start-up.
        from tandem.homework import checks  # noqa: F401
