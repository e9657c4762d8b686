"""A login token shared by every thread of one postal account, refreshed single-flight.

The sync fetches tracking histories four at a time; when the token lapses, all four are
refused with it. Each used to log in again, and since the post cancels a token when it
issues a new one, they cancelled each other's (8 logins in 20 ms, then a false "refused a
fresh token", issue 16 §3). Here the first refused call drops the token, calls refused with
the same, already dropped token change nothing, and the next ``headers`` call logs in while
holding the lock, so the others wait and reuse its token: one login per expiry.

``invalidate`` also tells the HTTP layer whether the refused token had worked before: then
it lapsed and the call is replayed freely; a token refused before any call succeeded with
it means the account lacks the right, and only those count against
``POSTAL_TOKEN_REPLAYS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from threading import Lock


class SharedToken:
    """The token cache; a carrier's login sets ``header``/``prefix`` and calls ``_keep``."""

    header: str
    prefix: str = ""

    def __init__(self) -> None:
        self._token: str | None = None
        self._worked: str | None = None
        self._lock = Lock()
        self.issued: list[str] = []

    def _sent(self, headers: Mapping[str, str]) -> str | None:
        return headers.get(self.header, "").removeprefix(self.prefix) or None

    def _keep(self, token: str) -> dict[str, str]:
        self._token = token
        self.issued = [*self.issued[-2:], token]  # the last three: older ones have lapsed
        return self._headers()

    def _headers(self) -> dict[str, str]:
        return {self.header: f"{self.prefix}{self._token}"}

    def proven(self, headers: Mapping[str, str]) -> None:
        """A call sent with ``headers`` succeeded: its token works (lock-free: a stale write
        only makes a later refusal count against the replay budget)."""
        self._worked = self._sent(headers)

    def invalidate(self, refused: Mapping[str, str]) -> bool:
        """Drop the token sent in ``refused`` unless it was already replaced; True when that
        token had worked before (it lapsed), False when it never did."""
        token = self._sent(refused)
        with self._lock:
            if token is not None and token == self._token:
                self._token = None
            return token is not None and token == self._worked
