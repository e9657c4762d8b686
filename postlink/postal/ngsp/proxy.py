"""The national gateway over HTTP: OAuth2 client credentials and three endpoints (brief §2).

Paths are relative to POSTLINK_POSTAL_BASE_URL: ``/oauth/token``, ``/orders`` and the
RESTHeart tracking collection ``/tracking``.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any

from postlink.postal.http import HttpClient
from postlink.postal.ngsp import mapping
from postlink.postal.tokens import SharedToken

#: Seconds before a token's announced expiry at which a new one is fetched.
EXPIRY_MARGIN = 30.0


class BearerLogin(SharedToken):
    """An OAuth2 client-credentials token, renewed before it expires or when refused (one
    login for all the threads refused together, ``tokens.py``)."""

    header = "Authorization"
    prefix = "Bearer "

    def __init__(self, http: HttpClient, client_id: str, secret: str) -> None:
        super().__init__()
        self._http = http
        self._client_id = client_id
        self._basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
        self._expires = 0.0

    def headers(self) -> dict[str, str]:
        with self._lock:
            if self._token is not None and time.monotonic() < self._expires:
                return self._headers()
            payload = self._http.call(
                "token",
                "POST",
                "/oauth/token",
                form={"grant_type": "client_credentials"},
                headers={"Authorization": f"Basic {self._basic}"},
            )
            token, lifetime = mapping.parse_token_response(payload, self._client_id)
            self._expires = time.monotonic() + max(0.0, lifetime - EXPIRY_MARGIN)
            return self._keep(token)


class NgspProxy:
    def __init__(self, http: HttpClient, login: BearerLogin) -> None:
        self.http = http
        self.login = login

    def create_order(self, body: dict[str, Any]) -> Any:
        """Never retried here: an ambiguous failure raises OutcomeUnknown (brief §4)."""
        return self.http.call(
            "orders",
            "POST",
            "/orders",
            body=body,
            auth=self.login,
            idempotent=False,
            error_in_body=mapping.error_in_body,
        )

    def tracking(self, size: int, last_id: str | None, where: dict[str, Any] | None) -> Any:
        params: dict[str, str | int] = {"pagesize": size}
        if last_id:
            params["lastId"] = last_id
        if where:
            params["filter"] = json.dumps(where, separators=(",", ":"))
        return self.http.call(
            "tracking",
            "GET",
            "/tracking",
            params=params,
            auth=self.login,
            error_in_body=mapping.error_in_body,
        )
