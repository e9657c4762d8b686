"""Webhook signatures: RSA-SHA256 with the post's public key, HMAC-SHA256, or none.

The published MyVNPost scheme is RSA-SHA256 over a short string, but how VNPost really
signs is unclear (postal brief §1), so a shared-secret HMAC mode exists as well, and "off"
only when an operator sets it explicitly. The sandbox signs on its own, from the brief
(``sandbox/webhooks.py``), so that a mistake here cannot hide on both sides (issue 11).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from postlink.postal.errors import WebhookSignatureInvalid
from postlink.settings import Settings, WebhookVerification


class Verifier(Protocol):
    def verify(self, text: bytes, signature: str) -> None:
        """Return when ``signature`` (base64) signs ``text``; else raise WebhookSignatureInvalid."""


def _decode(signature: str) -> bytes:
    try:
        return base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raise WebhookSignatureInvalid(code="webhook.not_base64") from None


@dataclass(frozen=True)
class RsaVerifier:
    public_key: rsa.RSAPublicKey

    @classmethod
    def from_pem(cls, pem: bytes) -> RsaVerifier:
        key = serialization.load_pem_public_key(pem)
        if not isinstance(key, rsa.RSAPublicKey):
            raise ValueError("the webhook public key is not an RSA key")
        return cls(key)

    def verify(self, text: bytes, signature: str) -> None:
        try:
            self.public_key.verify(_decode(signature), text, padding.PKCS1v15(), hashes.SHA256())
        except InvalidSignature:
            raise WebhookSignatureInvalid(code="webhook.rsa_mismatch") from None


@dataclass(frozen=True)
class HmacVerifier:
    secret: bytes

    def verify(self, text: bytes, signature: str) -> None:
        expected = hmac.new(self.secret, text, hashlib.sha256).digest()
        if not hmac.compare_digest(expected, _decode(signature)):
            raise WebhookSignatureInvalid(code="webhook.hmac_mismatch")


class NoVerification:
    """Accepts anything: only when POSTLINK_POSTAL_WEBHOOK_VERIFICATION=off."""

    def verify(self, text: bytes, signature: str) -> None:
        return None


@dataclass(frozen=True)
class Unconfigured:
    """Refuses every webhook and says which setting is missing."""

    missing: str

    def verify(self, text: bytes, signature: str) -> None:
        raise WebhookSignatureInvalid(code="webhook.unconfigured", setting=self.missing)


def verifier_from_settings(settings: Settings) -> Verifier:
    mode = settings.postal_webhook_verification
    if mode is WebhookVerification.OFF:
        return NoVerification()
    if mode is WebhookVerification.HMAC:
        secret = settings.postal_webhook_secret.get_secret_value()
        if not secret:
            return Unconfigured("POSTLINK_POSTAL_WEBHOOK_SECRET")
        return HmacVerifier(secret.encode())
    path = settings.postal_webhook_public_key
    if path is None:
        return Unconfigured("POSTLINK_POSTAL_WEBHOOK_PUBLIC_KEY")
    return RsaVerifier.from_pem(path.read_bytes())
