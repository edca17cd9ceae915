from django.apps import AppConfig


def _therapists(user) -> bool:
    return user.is_therapist


class TurnsConfig(AppConfig):
    """Waiting items: what waits on one person's move (``items.py``), and telling them (``tell.py``)."""

    name = "tandem.turns"
    label = "turns"

    def ready(self) -> None:
        from tandem.notifications import types
        from tandem.turns import items, receivers, tell

        # Each type of item is a choice on the person's notifications page.
        for code, label in items.LABELS.items():
            shown_to = _therapists if code in tell.FOR_THERAPISTS else None
            types.register(code, label, tell.PHRASES.get(code), shown_to)
        receivers.connect()
