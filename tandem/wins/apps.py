from django.apps import AppConfig


class WinsConfig(AppConfig):
    name = "tandem.wins"
    label = "wins"

    def ready(self) -> None:
        from tandem.homework.signals import homework_completed
        from tandem.wins.services import milestones_after

        homework_completed.connect(milestones_after, dispatch_uid="wins.services.milestones_after")
