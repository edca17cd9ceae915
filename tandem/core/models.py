"""Core records: only the encryption canary so far."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from tandem.core.fields import EncryptedTextField

# Known words, sealed with the newest key when a database is first migrated.
# GCM is safe under known plaintext; the point is only "does a key open it".
CANARY_TEXT = "tandem encryption canary"


class EncryptionCanary(models.Model):
    """One encrypted value that always exists, so start-up can prove the keys fit the data.

    Without it, a wrong key would go unnoticed on an empty or quiet site and
    show up later as failed pages. Rotation re-seals it like any other value."""

    value = EncryptedTextField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self) -> str:
        return f"encryption canary {self.pk}"
