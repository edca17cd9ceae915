"""A valid practice exercise, for this app's tests and the site-wide ones."""

from __future__ import annotations

VALID = {
    "slug": "evening-walk",
    "title": "Evening walk",
    "kind": "write_then_share",
    "summary": "Each of you writes one thing you noticed on a walk together.",
    "goal": "Notice each other away from screens.",
    "minutes": "30",
    "intimacy_level": "0",
    "tags": "talk, weekly",
    "role_a_name": "Walker",
    "role_a_prompt": "Write one thing you noticed about your partner on the walk.",
    "role_b_name": "Walker",
    "role_b_prompt": "Write one thing you noticed about your partner on the walk.",
    "debrief": "What surprised you?\nWould you walk again next week?",
    "body": "Walk for twenty minutes.\n\n1. Leave phones at home.\n2. Write when you are back.",
}


def make_practice_exercise(therapist_user, *, shared: bool = False, **changes):
    """Save a practice exercise for ``therapist_user`` (a User with a practice), private unless ``shared``."""
    from tandem.authoring import services

    exercise = services.create(therapist_user.therapist, {**VALID, **changes})
    if shared:
        services.set_shared(exercise, True)
    return exercise
