"""Login throttling: after five wrong passwords within a minute, the next attempt is refused.

Counted per user name and per client address, so that guessing one account's password and
spraying one password over many accounts are both slowed. While throttled, even a correct
password is refused: otherwise the answer would still tell a guesser when they were right.
The counts live in the process (one ``postlink serve`` process serves the office); a restart
forgets them, which costs a guesser at most one more window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

#: Wrong passwords allowed within ``WINDOW_SECONDS``; the next attempt is refused (issue 7).
MAX_FAILURES = 5
WINDOW_SECONDS = 60.0


class LoginThrottle:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and now - times[0] >= WINDOW_SECONDS:
            times.popleft()
        return times

    def retry_after(self, *keys: str) -> int:
        """Seconds until an attempt is allowed for all ``keys`` (0: allowed now)."""
        now = self._clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                times = self._recent(key, now)
                if len(times) >= MAX_FAILURES:
                    wait = max(wait, WINDOW_SECONDS - (now - times[-MAX_FAILURES]))
                if not times:
                    self._failures.pop(key, None)
        return int(wait) + 1 if wait > 0 else 0

    def failed(self, *keys: str) -> None:
        now = self._clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)
