"""A client for the sandbox's ``/_sandbox/*`` endpoints, for tests, benchmarks and demos."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import requests


class SandboxControl:
    def __init__(self, url: str, timeout: float = 120.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.session = requests.Session()

    def _call(self, method: str, name: str, body: dict[str, Any] | None = None) -> Any:
        response = self.session.request(
            method, f"{self.url}/_sandbox/{name}", json=body, timeout=self.timeout
        )
        response.raise_for_status()
        return response.json()

    def truth(self) -> dict[str, Any]:
        """``{"now", "orders": [{"reference", "order_id", "item_code", "feed", "status",
        "events": [{"code", "label", "at", "location"}]}]}``."""
        result: dict[str, Any] = self._call("GET", "truth")
        return result

    def now(self) -> datetime:
        return datetime.fromisoformat(self._call("GET", "clock")["now"])

    def advance(self, *, minutes: float = 0, hours: float = 0, days: float = 0) -> datetime:
        total = minutes + 60 * hours + 1440 * days
        return datetime.fromisoformat(
            self._call("POST", "clock", {"advance_minutes": total})["now"]
        )

    def faults(self, **settings: Any) -> dict[str, Any]:
        """Set ``profile=``, ``rates=`` and durations (``timeout_seconds=`` …); returns the
        settings and the count of faults fired so far."""
        result: dict[str, Any] = self._call(
            "POST" if settings else "GET", "faults", settings or None
        )
        return result

    def stats(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "stats")
        return result

    def send_webhook(self, url: str, **what: Any) -> dict[str, Any]:
        """Push signed webhooks to ``url``: ``references=[…]`` or ``since_minutes=N``,
        ``mode="rsa"|"hmac"``."""
        result: dict[str, Any] = self._call("POST", "webhook", {"url": url, **what})
        return result

    def public_key(self) -> bytes:
        response = self.session.get(f"{self.url}/_sandbox/public-key", timeout=self.timeout)
        response.raise_for_status()
        return response.content

    def close(self) -> None:
        self.session.close()
