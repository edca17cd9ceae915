from django.apps import AppConfig


class ClinicConfig(AppConfig):
    name = "tandem.clinic"
    label = "clinic"

    def ready(self) -> None:
        from tandem.clinic import receivers
        from tandem.couples.signals import holds_changed

        holds_changed.connect(receivers.on_holds_changed, dispatch_uid="clinic_holds_changed")
