"""Boundary answers: private yes / maybe / no, and what both finished.

Answers are deliberately *not* entries with a visibility: they are never
shown to anyone but their author. Other people only ever see matches,
computed on the fly (``services.matches``), so withdrawing a "yes" removes a
match at once and nothing stale is stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tandem.core.fields import EncryptedCharField, EncryptedTextField


class Value(models.TextChoices):
    YES = "yes", _("Yes")
    MAYBE = "maybe", _("Maybe")
    NO = "no", _("No")


class Answer(models.Model):
    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=80)
    # "" = unanswered, kept only for its note ("not now, ask me in spring").
    value = models.CharField(max_length=5, choices=Value.choices, blank=True)
    note = EncryptedCharField(max_length=300, blank=True)  # private to the author, always
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "author", "item_key"], name="answer_once_per_item"),
        ]

    def __str__(self) -> str:
        return f"answer by {self.author_id}"


class AnswerChange(models.Model):
    """My own answer history; nobody else ever sees it."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    item_key = models.CharField(max_length=80)
    value = models.CharField(max_length=5, blank=True)  # "" = taken back to unanswered
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"change by {self.author_id}"


class SectionDone(models.Model):
    """A partner finished a section; matches show once both have."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    section = models.SlugField(max_length=60)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["couple", "author", "section"], name="sectiondone_once"),
        ]

    def __str__(self) -> str:
        return f"{self.section} done by {self.author_id}"


class CustomItem(models.Model):
    """An item a partner added for both to answer. Who proposed it is not stored."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    section = models.SlugField(max_length=60)
    label = EncryptedCharField(max_length=120)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"custom item {self.pk}"

    @property
    def key(self) -> str:
        return f"custom-{self.pk}"


class CouplePause(models.Model):
    """A partner's "pause everything": all intimacy-level homework waits.

    No reason is asked or stored; the partner sees only "paused for now";
    only the partner who paused can lift their own pause."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="pauses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["couple", "user"], name="couplepause_once_per_partner")]

    def __str__(self) -> str:
        return f"pause of {self.couple_id}"


class Agreement(models.Model):
    """A written boundary the couple keeps together, in versions.

    A version is active once both partners confirmed it; an edit is a new
    version that both must confirm, while the old one stays active. Either
    partner can withdraw their confirmation at any time, which suspends the
    agreement at once (no version then has both confirmations)."""

    class Group(models.TextChoices):
        COMFORTABLE = "comfortable", _("Comfortable for us")
        OFF_LIMITS = "off_limits", _("Off-limits for now")
        REVISIT = "revisit", _("Revisit on a date")

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="agreements")
    group = models.CharField(max_length=12, choices=Group.choices)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["group", "created_at"]

    def __str__(self) -> str:
        return f"agreement {self.pk}"


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    text = EncryptedTextField(max_length=1000)
    revisit_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"version {self.pk} of agreement {self.agreement_id}"


class AgreementConfirmation(models.Model):
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="agreement_confirm_once")]

    def __str__(self) -> str:
        return f"confirmation of {self.version_id}"


class MatchSharing(models.Model):
    """A partner's yes to showing the couple's *matches* (never answers) to
    the linked therapist. Sharing is on only while both have said yes."""

    couple = models.ForeignKey("couples.Couple", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["couple", "user"], name="matchsharing_once_per_partner")]

    def __str__(self) -> str:
        return f"match sharing of {self.couple_id}"


class ConsentVocabulary(models.Model):
    """The couple's own words or signals for more, slower, pause and stop.

    Agreed in the consent-vocabulary exercise (homework) and editable by
    either partner afterwards; both partners see it, nobody else. It lives
    with boundaries because it is part of how the two say yes and no."""

    couple = models.OneToOneField("couples.Couple", on_delete=models.CASCADE, related_name="vocabulary")
    more = EncryptedCharField(_("more"), max_length=200, blank=True)
    slower = EncryptedCharField(_("slower"), max_length=200, blank=True)
    pause = EncryptedCharField(_("pause"), max_length=200, blank=True)
    stop = EncryptedCharField(_("stop"), max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "consent vocabularies"

    def __str__(self) -> str:
        return f"vocabulary of {self.couple_id}"
