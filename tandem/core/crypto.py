"""Encryption at rest for what people write: AES-256-GCM with a key ring.

A stored value is a short, self-describing token::

    enc1:<key id>:<base64url(nonce, 12 bytes + ciphertext + 16-byte tag)>

* ``enc1`` is the format version, so a later format can live beside this one;
* the key id names the key that sealed the value, so keys can be rotated
  (new writes use the newest key, old values stay readable with older ones
  until ``manage.py rotate_encryption_key`` has re-sealed them);
* the nonce is random per value (96 bits, as GCM wants): the same words
  written twice never look the same in the database.

The authenticated data binds the format version, the key id and the *label*
of the column (``app_label.model.field``): a value copied into another column
(say a private note pasted over a shared one by someone with write access to
the database) fails to decrypt instead of being shown there.

Keys come from ``TANDEM_ENCRYPTION_KEYS`` (or ``TANDEM_ENCRYPTION_KEYS_FILE``):
comma-separated ``id:base64url-of-32-bytes`` entries, newest first. They are
parsed once in settings (see ``parse_key_ring``), so a malformed key stops
start-up instead of surfacing as a failed page later.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

VERSION = "enc1"
PREFIX = f"{VERSION}:"
NONCE_BYTES = 12
KEY_BYTES = 32
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
SETTING = "TANDEM_ENCRYPTION_KEYS"
GENERATE_HINT = (
    "Generate a key with "
    '`python -c "import secrets,base64;print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())"` '
    "(or `DEBUG=True python manage.py generate_encryption_key`) and set TANDEM_ENCRYPTION_KEYS=k1:<that key>, "
    "or put that line in a file named by TANDEM_ENCRYPTION_KEYS_FILE."
)
# Development and tests only (never accepted with DEBUG off, see settings):
# the id makes such values recognisable if they ever reach a real server.
DEVELOPMENT_KEY_ID = "dev"


class EncryptionError(Exception):
    """A stored value can't be decrypted. The message never holds the value's words."""


class UnknownKeyError(EncryptionError):
    pass


class TamperedError(EncryptionError):
    pass


@dataclass(frozen=True)
class KeyRing:
    """Keys by id, newest first: the first one seals every new value."""

    keys: tuple[tuple[str, bytes], ...]

    def __post_init__(self) -> None:
        if not self.keys:
            raise ImproperlyConfigured(f"{SETTING} holds no key. {GENERATE_HINT}")

    @property
    def newest_id(self) -> str:
        return self.keys[0][0]

    @property
    def ids(self) -> list[str]:
        return [key_id for key_id, _ in self.keys]

    def key(self, key_id: str) -> bytes | None:
        return dict(self.keys).get(key_id)

    def __repr__(self) -> str:  # never print key material (error pages, logs, debuggers)
        return f"KeyRing(ids={self.ids!r})"


def parse_key_ring(raw: str, *, name: str = SETTING) -> KeyRing:
    """Parse ``id:base64url-key, id:base64url-key, ...`` (newest first), or explain what is wrong."""
    keys: list[tuple[str, bytes]] = []
    for position, entry in enumerate((part.strip() for part in raw.split(",")), start=1):
        if not entry:
            continue
        key_id, sep, encoded = entry.partition(":")
        key_id, encoded = key_id.strip(), encoded.strip()
        if not sep or not key_id or not encoded:
            raise ImproperlyConfigured(
                f"{name}: entry {position} is not in the form id:key (newest first, comma-separated). {GENERATE_HINT}"
            )
        if not KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"{name}: key id {key_id!r} must be 1-32 letters, digits, '-' or '_' (it is stored with every value)."
            )
        if any(key_id == seen for seen, _ in keys):
            raise ImproperlyConfigured(f"{name}: key id {key_id!r} appears twice; each key needs its own id.")
        try:
            key = _unb64(encoded)
        except (binascii.Error, ValueError):
            raise ImproperlyConfigured(f"{name}: key {key_id!r} is not valid base64url. {GENERATE_HINT}") from None
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"{name}: key {key_id!r} is {len(key)} bytes; AES-256 needs exactly {KEY_BYTES}. {GENERATE_HINT}"
            )
        keys.append((key_id, key))
    if not keys:
        raise ImproperlyConfigured(f"{name} is set but holds no key. {GENERATE_HINT}")
    return KeyRing(tuple(keys))


def development_key_ring(secret_key: str) -> KeyRing:
    """A key derived from SECRET_KEY, so `make demo` and `make test` need nothing set.

    Only for DEBUG and the test runner: settings refuses to start without a
    real key otherwise. Deterministic on purpose, so a demo database stays
    readable across restarts with the same SECRET_KEY."""
    key = hashlib.sha256(b"tandem encryption at rest, development only\x00" + secret_key.encode()).digest()
    return KeyRing(((DEVELOPMENT_KEY_ID, key),))


def key_ring_from_setting(raw: str, *, development: bool, secret_key: str) -> KeyRing:
    """The ring settings uses: the configured keys, or a development key when allowed.

    A malformed value is refused in every mode (a typo must not quietly fall
    back to the development key); a missing one only with DEBUG off."""
    if raw.strip():
        return parse_key_ring(raw)
    if development:
        return development_key_ring(secret_key)
    raise ImproperlyConfigured(
        f"{SETTING} is missing. Tandem will not start in production without the key that encrypts what "
        f"people write (set {SETTING} or {SETTING}_FILE). {GENERATE_HINT} For local development set DEBUG=True."
    )


def generate_key() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def current_ring() -> KeyRing:
    # Read on each call (cheap) rather than cached, so override_settings in
    # tests and a rotation's new ring take effect without a restart dance.
    from django.conf import settings

    ring = getattr(settings, SETTING, None)
    if not isinstance(ring, KeyRing):
        raise ImproperlyConfigured(f"settings.{SETTING} is not configured. {GENERATE_HINT}")
    return ring


def _aad(key_id: str, label: str) -> bytes:
    return f"{VERSION}:{key_id}:{label}".encode()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    # Validating: urlsafe_b64decode alone would silently drop stray characters.
    return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)


def is_token(value: str) -> bool:
    """Does this *look* like a stored token? (Only decryption proves it is one.)"""
    return value.startswith(PREFIX) and value.count(":") == 2


def key_id_of(token: str) -> str:
    return token.split(":", 2)[1]


def encrypt(text: str, label: str, *, ring: KeyRing | None = None) -> str:
    """Seal ``text`` for the column ``label`` with the newest key."""
    ring = ring or current_ring()
    key_id = ring.newest_id
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(ring.keys[0][1]).encrypt(nonce, text.encode("utf-8"), _aad(key_id, label))
    return f"{PREFIX}{key_id}:{_b64(nonce + sealed)}"


def decrypt(token: str, label: str, *, ring: KeyRing | None = None) -> str:
    """Open a token written by ``encrypt`` for the same column, or raise EncryptionError."""
    ring = ring or current_ring()
    if not is_token(token):
        raise TamperedError(f"a value in {label} is not an {VERSION} token")
    _, key_id, payload = token.split(":", 2)
    key = ring.key(key_id)
    if key is None:
        raise UnknownKeyError(
            f"a value in {label} was encrypted with key {key_id!r}, which is not in {SETTING} "
            f"(configured: {', '.join(ring.ids)}). Put that key back in the list, after the newest."
        )
    try:
        raw = _unb64(payload)
    except (binascii.Error, ValueError):
        raise TamperedError(f"a value in {label} is damaged (not base64url)") from None
    if len(raw) < NONCE_BYTES + 16:
        raise TamperedError(f"a value in {label} is damaged (too short)")
    try:
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _aad(key_id, label))
    except InvalidTag:
        raise TamperedError(
            f"a value in {label} failed authentication with key {key_id!r}: the key with that id is not "
            "the one that sealed it, or the value was altered or moved from another column"
        ) from None
    return plain.decode("utf-8")


def try_decrypt(value: str, label: str, *, ring: KeyRing | None = None) -> str | None:
    """The plaintext if ``value`` is a token this ring opens for this column, else None."""
    if not is_token(value):
        return None
    try:
        return decrypt(value, label, ring=ring)
    except EncryptionError:
        return None
