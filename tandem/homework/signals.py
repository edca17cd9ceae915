"""Events of the homework app that other rooms listen to.

``homework_completed`` is sent once, by ``steps.complete``, when an
assignment of any kind is done: both parts in, the status set to completed.
It is sent inside the transaction that holds the assignment's row lock, as
the old direct calls were, so what listeners write (the program's next step,
a milestone) is part of the same change and is rolled back with it.

Listeners connect in their app's ``AppConfig.ready()``; Django calls those
in ``INSTALLED_APPS`` order, so the homework app's own listener (programs
move on) runs before the wins app's (milestones), which counts a program
the completion has just finished.

    homework_completed.send(sender=Assignment, assignment=assignment)
"""

from django.dispatch import Signal

homework_completed = Signal()
