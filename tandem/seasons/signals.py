"""What a hard season tells the rest of Tandem (see tandem/couples/signals.py)."""

from django.dispatch import Signal

#: Both partners were ready and the season ended. Sent inside the ending
#: transaction, so what receivers change is kept or dropped with it.
#: Arguments: ``season`` (with ``started_at`` and ``ended_at`` set).
season_ended = Signal()
