from django.apps import AppConfig


class WinsConfig(AppConfig):
    name = "tandem.wins"
    label = "wins"

    def ready(self) -> None:
        from tandem.homework.signals import homework_completed
        from tandem.seasons.signals import season_ended
        from tandem.wins import receivers

        season_ended.connect(receivers.on_season_ended, dispatch_uid="wins_season_ended")
        homework_completed.connect(receivers.on_homework_completed, dispatch_uid="wins_homework_completed")
