"""A therapist's own exercises, kept in the library's file format.

``source`` is exactly what a file under ``content/exercises/`` would hold
(YAML front matter + Markdown), so one parser validates both and a practice
exercise can move into the library unchanged. When one is given to a couple
it is frozen as an ``homework.Exercise`` row under a namespaced slug
(``p<therapist id>-<slug>``), so practices can't collide with the library or
with each other, and editing never changes homework already given.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class PracticeExerciseQuerySet(models.QuerySet):
    def visible_to(self, therapist) -> PracticeExerciseQuerySet:
        """The practice's own exercises and those other practices shared."""
        return self.filter(models.Q(therapist=therapist) | models.Q(shared=True))


class PracticeExercise(models.Model):
    therapist = models.ForeignKey("clinic.Therapist", on_delete=models.CASCADE, related_name="practice_exercises")
    # The therapist's own slug (as in the file); fixed once created, because
    # schedules and frozen homework refer to it.
    slug = models.SlugField(max_length=60)
    version = models.PositiveIntegerField(default=1)
    source = models.TextField()
    # Copies of what the source says, for lists without parsing every file.
    title = models.CharField(max_length=80)
    kind = models.CharField(max_length=20)
    intimacy_level = models.PositiveSmallIntegerField()
    # Off: only this practice sees it. On: every practice on this server can view and give it.
    shared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PracticeExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [models.UniqueConstraint(fields=["therapist", "slug"], name="practice_exercise_slug_once")]

    def __str__(self) -> str:
        return f"{self.spec_slug} v{self.version}"

    @property
    def spec_slug(self) -> str:
        """The slug the exercise is given (and frozen) under."""
        return spec_slug(self.therapist_id, self.slug)


def spec_slug(therapist_id: int, slug: str) -> str:
    return f"p{therapist_id}-{slug}"
