"""The trail that erasure and purges leave behind.

An erased account leaves one ``ErasureRecord`` under a pseudonymous id (the
same one its audit entries now carry in ``therapist_ref``), never a name or
an e-mail address. The purge records each closed space it narrows or
empties under the space's random id, so that it does each one once and an
operator can answer "when was this deleted?".
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ErasureRecord(models.Model):
    class Kind(models.TextChoices):
        ACCOUNT = "account", _("account erased")
        SHARED_SPACE = "shared_space", _("closed space narrowed to each partner's own entries")
        CLOSED_SPACE = "closed_space", _("closed space emptied")

    kind = models.CharField(max_length=16, choices=Kind.choices)
    # An account: its pseudonym (see ``services.pseudonym``).
    ref = models.CharField(max_length=64, blank=True)
    # A space: the couple's random id (the bare couple row stays, see
    # ``retention.empty_closed_space``), so the purge finds what it did.
    space = models.UUIDField(null=True, blank=True)
    # For accounts: "partner", "therapist", both or neither; never who.
    role = models.CharField(max_length=40, blank=True)
    at = models.DateTimeField(default=timezone.now, editable=False)
    # How many rows of each kind went: counts only, no content.
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "space"], condition=models.Q(space__isnull=False), name="erasure_record_space_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref or self.space} at {self.at:%Y-%m-%d %H:%M}"
