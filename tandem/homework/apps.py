from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "tandem.homework"
    label = "homework"

    def ready(self) -> None:
        # The system check reports broken content for `manage.py check`,
        # `migrate` and `runserver`; reading the library here also stops any
        # other server (gunicorn) from starting with a broken file.
        from django.core.exceptions import ImproperlyConfigured

        from tandem.couples.signals import holds_changed
        from tandem.homework import checks, receivers  # noqa: F401  (checks registers itself)
        from tandem.homework.content import ContentError, library
        from tandem.homework.signals import homework_completed
        from tandem.seasons.signals import season_ended

        try:
            library()
        except ContentError as error:
            raise ImproperlyConfigured(f"Broken content file {error}") from error
        holds_changed.connect(receivers.on_holds_changed, dispatch_uid="homework_holds_changed")
        season_ended.connect(receivers.on_season_ended, dispatch_uid="homework_season_ended")
        # A completed step moves its program on. Connected here, before the
        # wins app (later in INSTALLED_APPS) connects its milestones, which
        # count a program this completion has just finished.
        homework_completed.connect(receivers.on_homework_completed, dispatch_uid="homework_completed_programs")
