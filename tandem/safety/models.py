"""The safety channel: one partner's private line to the linked therapist.

A *thread* belongs to one partner of a couple and the therapist the first
message went to (through the care link active at the time). Only that
partner and that therapist ever read it. Nothing here is shown on a page the
other partner can open, counted there, or sent to them; the models are
deliberately not registered in the admin either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.fields import EncryptedTextField

BODY_MAX = 4000


class SafetyThreadQuerySet(models.QuerySet):
    def written_to(self, therapist_user):
        """The threads a therapist (a user) may read: those written to them, never another's."""
        return self.filter(therapist__user=therapist_user)


class SafetyThread(models.Model):
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # SET_NULL, not CASCADE: when a therapist erases their account, what the
    # partner wrote stays the partner's (in their export) while no therapist
    # can read the thread any more. The therapist's own replies are erased
    # with them (``privacy.services.erase_person``).
    therapist = models.ForeignKey(
        "clinic.Therapist", on_delete=models.SET_NULL, null=True, blank=True, related_name="safety_threads"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SafetyThreadQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One conversation per partner and therapist keeps the page simple:
            # a new care link with another therapist starts a new thread.
            models.UniqueConstraint(fields=["couple", "author", "therapist"], name="safetythread_one_per_author"),
        ]
        indexes = [models.Index(fields=["therapist", "couple"], name="safetythread_therapist")]

    def __str__(self) -> str:
        return f"safety thread {self.pk}"

    @property
    def audit_subject_id(self) -> int:
        """A therapist's read is listed for the author only, never for the other partner."""
        return self.author_id


class SafetyMessageQuerySet(models.QuerySet):
    def unread_by_therapist(self):
        return self.filter(from_therapist=False, read_at__isnull=True)

    def unread_by_author(self):
        return self.filter(from_therapist=True, read_at__isnull=True)

    def unread_by(self, therapist_user):
        """Partners' messages to this therapist (a user) that they have not read yet."""
        return self.unread_by_therapist().filter(thread__therapist__user=therapist_user)


class SafetyMessage(models.Model):
    """One message in a thread, from the partner or from the therapist."""

    thread = models.ForeignKey(SafetyThread, on_delete=models.CASCADE, related_name="messages")
    from_therapist = models.BooleanField(default=False)
    body = EncryptedTextField(_("message"), max_length=BODY_MAX)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    # When the other side of the thread first saw it: the therapist for a
    # partner's message, the author for a reply.
    read_at = models.DateTimeField(null=True, blank=True)

    objects = SafetyMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "from_therapist", "read_at"], name="safetymessage_unread")]

    def __str__(self) -> str:
        return f"safety message {self.pk} in thread {self.thread_id}"
