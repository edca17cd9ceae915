from django.apps import AppConfig


class HomeworkConfig(AppConfig):
    name = "tandem.homework"
    label = "homework"

    def ready(self) -> None:
        # The system check reports broken content for `manage.py check`,
        # `migrate` and `runserver`; reading the library here also stops any
        # other server (gunicorn) from starting with a broken file.
        from django.core.exceptions import ImproperlyConfigured

        from tandem.homework import checks  # noqa: F401
        from tandem.homework.content import ContentError, library
        from tandem.homework.programs import advance_after
        from tandem.homework.signals import homework_completed

        try:
            library()
        except ContentError as error:
            raise ImproperlyConfigured(f"Broken content file {error}") from error
        # A completed step moves its program on. Connected here, before the
        # wins app (later in INSTALLED_APPS) connects its milestones, which
        # count a program this completion has just finished.
        homework_completed.connect(advance_after, dispatch_uid="homework.programs.advance_after")
