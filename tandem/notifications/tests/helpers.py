"""A browser's side of web push, made in the test: its key pair, and a push service that records."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from unittest import mock

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from requests.structures import CaseInsensitiveDict


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def vapid_keys() -> dict[str, str]:
    """A server key pair in the settings' form (as ``generate_vapid_keys`` prints)."""
    key = ec.generate_private_key(ec.SECP256R1())
    public = key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return {
        "VAPID_PUBLIC_KEY": b64url(public),
        "VAPID_PRIVATE_KEY": b64url(key.private_numbers().private_value.to_bytes(32, "big")),
        "VAPID_SUBJECT": "mailto:ops@example.org",
    }


@dataclass
class Browser:
    """What a browser's PushManager.subscribe makes: a P-256 key pair and a 16-byte auth secret."""

    endpoint: str = field(default_factory=lambda: f"https://push.example.net/send/{b64url(os.urandom(12))}")
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth_secret: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def p256dh(self) -> str:
        return b64url(
            self.key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64url(self.auth_secret)

    def decrypt(self, body: bytes) -> bytes:
        """Open an RFC 8291 message as the browser would (``http_ece``, independent of the sender's code)."""
        import http_ece

        return http_ece.decrypt(body, private_key=self.key, auth_secret=self.auth_secret, version="aes128gcm")


class PushService:
    """Stands in for ``requests.post`` as pywebpush calls it; answers ``status`` and records each request."""

    def __init__(self, status: int = 201):
        self.status = status
        self.requests: list[dict] = []

    def post(self, url, data=None, headers=None, timeout=None, **kwargs):
        self.requests.append({"url": url, "data": data, "headers": CaseInsensitiveDict(headers or {})})
        response = mock.Mock(status_code=self.status, reason={201: "Created", 410: "Gone", 404: "Not Found"}.get(
            self.status, "Server Error"), text="", headers={})  # fmt: skip
        return response

    def patch(self):
        return mock.patch("requests.post", side_effect=self.post)
