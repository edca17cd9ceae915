"""Keyed hashes: how Tandem recognises a secret, or tells values apart, without keeping them.

Invite links and codes, throttle keys (e-mail and IP addresses) and the
pseudonyms of erased people are all stored as an HMAC-SHA256 under a key
derived from ``SECRET_KEY`` and a *purpose* (Django's ``salted_hmac``), so
that:

* a copy of the database alone gives nothing back: an invite code has only
  49 bits, which a plain hash would not protect (every code can be hashed
  and compared in a day), but without the server's secret there is nothing
  to compare against;
* the same value hashed for two purposes gives unrelated results, so a
  throttle key cannot be matched against an invite, say.

Changing ``SECRET_KEY`` changes every hash. Values that are looked up
(invites) are also tried under ``SECRET_KEY_FALLBACKS``, so a key can be
rotated the way Django documents without cutting off invites already sent.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import salted_hmac


def keyed_hash(value: str, *, purpose: str, secret: str | None = None) -> str:
    """64 hex characters; the same for the same value, purpose and secret."""
    return salted_hmac(purpose, value, secret=secret, algorithm="sha256").hexdigest()


def keyed_hashes(value: str, *, purpose: str) -> list[str]:
    """The hash under the current secret first, then under each fallback: for lookups."""
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return [keyed_hash(value, purpose=purpose, secret=secret) for secret in secrets]
