"""Print a new VAPID key pair for web push, in the form the settings read.

The private key identifies this server to the push services: keep it like
SECRET_KEY (VAPID_PRIVATE_KEY or VAPID_PRIVATE_KEY_FILE). Changing it later
makes every existing push subscription stop working; people turn
notifications on again on each device.
"""

from __future__ import annotations

from cryptography.hazmat.primitives import serialization
from django.core.management.base import BaseCommand
from py_vapid import Vapid
from py_vapid.utils import b64urlencode


class Command(BaseCommand):
    help = "Print a new VAPID key pair (VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY) for web push."

    def handle(self, *args, **options) -> None:
        vapid = Vapid()
        vapid.generate_keys()
        private = vapid.private_key.private_numbers().private_value.to_bytes(32, "big")
        public = vapid.public_key.public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.stdout.write(f"VAPID_PUBLIC_KEY={b64urlencode(public)}")
        self.stdout.write(f"VAPID_PRIVATE_KEY={b64urlencode(private)}")
        self.stderr.write(
            "Keep the private key secret, like SECRET_KEY; set VAPID_SUBJECT to a mailto: or https: contact."
        )
