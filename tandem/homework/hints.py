"""A gentle wording hint for what a partner writes in a step; never blocks anything."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# Absolutes and blame that tend to start a fight rather than a conversation.
_BLAME = re.compile(
    r"\byou\s+(always|never|should(?:n't| not)?|make me|don't even|didn't even)\b|\bit'?s\s+(all\s+)?your\s+fault\b",
    re.IGNORECASE,
)


def blame_hint(text: str) -> str | None:
    """A gentle suggestion when a message blames; never blocks anything."""
    match = _BLAME.search(text or "")
    if not match:
        return None
    return _(
        "“%(words)s” can sound like blame. You could try an I-statement instead, "
        "such as “I feel … when … because …”. It's only a suggestion: send it as you like."
    ) % {"words": match.group(0)}
