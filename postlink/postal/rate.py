"""A cap on the requests a second postlink sends to the post (``POSTLINK_POSTAL_MAX_RPS``).

A backfill asks for one tracking history per order, several at a time: the sandbox takes
thousands of requests a second, a real post will not welcome them (issue 15). The cap is a
transport adapter mounted on the account's HTTP session, so every call through it (feed
pages, the history fetchers, retries, logins) waits for its turn, and the HTTP layer above
(``postal/http.py``) is unchanged. Turns are spaced ``1 / rate`` seconds apart across all
threads; a caller reserves the next free turn and sleeps until it, so no burst exceeds the
rate. Off (0) by default: the built-in sandbox needs no cap.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import requests
from requests.adapters import HTTPAdapter


class RateLimit:
    """Turns at most ``rate`` a second, shared by every thread that calls ``wait``."""

    def __init__(
        self,
        rate: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError(f"a request rate must be above 0 per second, not {rate}")
        self.interval = 1.0 / rate
        self._clock, self._sleep = clock, sleep
        self._next = float("-inf")
        self._lock = threading.Lock()

    def wait(self) -> None:
        """Reserve the next free turn and sleep until it comes."""
        with self._lock:
            now = self._clock()
            turn = max(now, self._next)
            self._next = turn + self.interval
        if turn > now:
            self._sleep(turn - now)


class RateLimitedAdapter(HTTPAdapter):
    """requests' transport, each request sent only when ``limit`` gives it a turn."""

    def __init__(self, limit: RateLimit) -> None:
        super().__init__()
        self.limit = limit

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        self.limit.wait()
        return super().send(request, *args, **kwargs)


def cap_requests(session: requests.Session, max_rps: float) -> None:
    """Hold ``session`` to ``max_rps`` requests a second; 0 leaves it uncapped."""
    if max_rps > 0:
        adapter = RateLimitedAdapter(RateLimit(max_rps))
        for prefix in ("http://", "https://"):
            session.mount(prefix, adapter)
