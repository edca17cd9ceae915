from django.apps import AppConfig


class BlocksConfig(AppConfig):
    """The shared calendar: blocks, finding time, reminders and feeds."""

    name = "tandem.blocks"
    verbose_name = "Shared calendar"

    def ready(self) -> None:
        from tandem.blocks import receivers
        from tandem.couples.signals import holds_changed

        holds_changed.connect(receivers.on_holds_changed, dispatch_uid="blocks_holds_changed")
