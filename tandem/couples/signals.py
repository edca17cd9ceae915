"""Events of a couple that other apps react to.

The app where something happens sends the event; the apps that care connect
a receiver in their ``AppConfig.ready``. So pausing everything (boundaries)
needs no import of the calendar or of programs, and the direction of imports
stays one way.
"""

from django.dispatch import Signal

#: A couple-wide hold may have started or ended: pause everything, a partner's
#: consent level, a hard season. Arguments: ``couple``, and ``lifted`` -- True
#: when something may have opened up (programs may move on, reminders come
#: back), False when something may be held now (reminders are withdrawn).
holds_changed = Signal()
