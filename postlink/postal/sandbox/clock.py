"""The sandbox's simulated clock: frozen for tests, or following real time in steps.

A frozen clock moves only when told (``POST /_sandbox/clock``), so a test decides exactly
what the post holds. A running clock follows real time at ``speed`` but advances in whole
``tick`` steps, so that between ticks the world is still and the feed's page caches hold.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta
from threading import Lock


class SimClock:
    def __init__(self, now: datetime, speed: float = 0.0, tick_seconds: float = 60.0) -> None:
        if speed < 0 or tick_seconds <= 0:
            raise ValueError("clock speed must be >= 0 and its tick > 0 seconds")
        if now.tzinfo is None:
            raise ValueError("the sandbox clock needs an aware time")
        self._base = now
        self._speed = speed
        self._tick = tick_seconds
        self._started = time.monotonic()
        self._lock = Lock()

    def now(self) -> datetime:
        with self._lock:
            base = self._base
        if not self._speed:
            return base
        ticks = math.floor((time.monotonic() - self._started) * self._speed / self._tick)
        return base + timedelta(seconds=ticks * self._tick)

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta(0):
            raise ValueError("the sandbox clock only moves forward")
        with self._lock:
            self._base += delta
        return self.now()
