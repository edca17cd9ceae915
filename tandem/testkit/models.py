from django.db import models

from tandem.couples.visibility import Entry


class ProbeEntry(Entry):
    """The smallest concrete entry, to test the shared visibility rule on."""

    words = models.CharField(max_length=200)
