from django.apps import AppConfig


class TestkitConfig(AppConfig):
    name = "tandem.testkit"
    label = "testkit"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from tandem.testkit.base import passed_two_factor

        # Under the test runner only: a test's force_login stands for a whole
        # log-in, second step included (tandem/security/tests test the real one).
        user_logged_in.connect(passed_two_factor, dispatch_uid="testkit_passed_two_factor")
