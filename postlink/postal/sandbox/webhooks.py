"""Signed webhooks from the sandbox, as MyVNPost would push them (postal brief §1).

The body is ``{"data": [order…], "sendDate": "YYYYmmddHHMMSS", "signature": <base64>}``,
signed over ``"MYVNP" + sendDate + itemCode + status`` of the first record, with the
sandbox's RSA key (its public half at ``GET /_sandbox/public-key``) or an HMAC secret.
Signing is written here from the brief, not borrowed from the client's verifier: RSA-SHA256
is PKCS#1 v1.5 over SHA-256, HMAC is HMAC-SHA256, both base64 (issue 11).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import datetime
from threading import Lock
from typing import Any

import requests
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

#: Orders per webhook body.
BATCH = 50
#: The signed string begins with this (brief §1).
SIGNED_PREFIX = "MYVNP"


def signed_text(send_date: str, first: dict[str, Any]) -> bytes:
    """``"MYVNP" + sendDate + itemCode + status`` of the first record (brief §1)."""
    return f"{SIGNED_PREFIX}{send_date}{first['itemCode']}{first['status']}".encode()


class WebhookSigner:
    """Signs with a key made on first use (RSA key generation takes a noticeable moment)."""

    def __init__(self, secret: str) -> None:
        self.secret = secret.encode()
        self._key: rsa.RSAPrivateKey | None = None
        self._lock = Lock()

    @property
    def key(self) -> rsa.RSAPrivateKey:
        with self._lock:
            if self._key is None:
                self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            return self._key

    def public_pem(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def body(self, records: list[dict[str, Any]], sent: datetime, mode: str) -> bytes:
        send_date = f"{sent:%Y%m%d%H%M%S}"
        text = signed_text(send_date, records[0])
        if mode == "hmac":
            digest = hmac.new(self.secret, text, hashlib.sha256).digest()
        elif mode == "rsa":
            digest = self.key.sign(text, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise ValueError(f"webhook mode {mode!r} (expected rsa or hmac)")
        signature = base64.b64encode(digest).decode()
        message = {"data": records, "sendDate": send_date, "signature": signature}
        return json.dumps(message, ensure_ascii=False).encode()


def deliver(url: str, bodies: list[bytes], timeout: float = 10.0) -> list[int]:
    """POST each body to ``url``; the HTTP status of each, or 0 when it could not be sent."""
    statuses = []
    with requests.Session() as session:
        for body in bodies:
            try:
                response = session.post(
                    url, data=body, headers={"Content-Type": "application/json"}, timeout=timeout
                )
                statuses.append(response.status_code)
            except requests.RequestException:
                statuses.append(0)
    return statuses
