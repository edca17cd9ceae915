from django.apps import AppConfig


class TurnsConfig(AppConfig):
    """Waiting items: what waits on one person's move (``items.py``)."""

    name = "tandem.turns"
    label = "turns"
