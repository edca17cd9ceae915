from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from tandem.core import checks

        # Once per migrate (and per test flush), not once per app.
        post_migrate.connect(checks.write_canary, sender=self, dispatch_uid="core_write_canary")
