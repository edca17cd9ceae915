from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "tandem.security"
    verbose_name = "Security"

    def ready(self) -> None:
        from tandem.security import signals  # noqa: F401  (connects the log-in and log-out receivers)
