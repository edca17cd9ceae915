from django.apps import AppConfig


class TurnsConfig(AppConfig):
    """Waiting items: what waits on one person's move (``items.py``), and telling them (``tell.py``)."""

    name = "tandem.turns"
    label = "turns"

    def ready(self) -> None:
        from tandem.notifications import types
        from tandem.turns import items, receivers, tell

        # Each type of item is a choice on the person's notifications page.
        for code, label in items.LABELS.items():
            types.register(code, label, tell.PHRASES.get(code))
        receivers.connect()
