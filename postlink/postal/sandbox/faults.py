"""Fault injection: each fault has a rate, rolled per request from a seeded generator.

The faults are those issue 4 lists, because each is something the real post has done or may
do (postal brief §1, §4): latency, 5xx, 429 with Retry-After, read timeouts, truncated or
malformed JSON, expired tokens, errors inside HTTP 200, duplicate records across pages,
out-of-order events, the shape quirks of §1, and "created the order but dropped the
response". Counts of what fired are kept so a test can prove each fault was exercised.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from threading import Lock
from typing import Any

KINDS = (
    "latency",
    "server_error",
    "rate_limit",
    "read_timeout",
    "malformed",
    "error_in_body",
    "expired_token",
    "duplicates",
    "out_of_order",
    "quirks",
    "dropped_create",
)

PROFILES: dict[str, dict[str, float]] = {
    "none": {},
    "flaky": {
        "latency": 0.05,
        "server_error": 0.02,
        "rate_limit": 0.02,
        "read_timeout": 0.01,
        "malformed": 0.01,
        "error_in_body": 0.01,
        "expired_token": 0.01,
        "duplicates": 0.1,
        "out_of_order": 0.1,
        "quirks": 0.3,
        "dropped_create": 0.05,
    },
    "hostile": {
        "latency": 0.2,
        "server_error": 0.1,
        "rate_limit": 0.1,
        "read_timeout": 0.05,
        "malformed": 0.05,
        "error_in_body": 0.05,
        "expired_token": 0.05,
        "duplicates": 0.5,
        "out_of_order": 0.5,
        "quirks": 0.5,
        "dropped_create": 0.3,
    },
}


@dataclass(frozen=True)
class FaultSettings:
    """Rates (0 to 1) and the durations the faults use, in seconds."""

    rates: dict[str, float] = field(default_factory=dict)
    latency_seconds: float = 0.05
    retry_after_seconds: float = 1.0
    #: How long a "read timeout" stalls: longer than the client's read timeout.
    timeout_seconds: float = 35.0

    def validated(self) -> FaultSettings:
        for kind, rate in self.rates.items():
            if kind not in KINDS:
                raise ValueError(f"unknown fault {kind!r} (known: {', '.join(KINDS)})")
            if not 0 <= rate <= 1:
                raise ValueError(f"fault rate {kind}={rate} must lie between 0 and 1")
        if min(self.latency_seconds, self.retry_after_seconds, self.timeout_seconds) < 0:
            raise ValueError("fault durations must be >= 0 seconds")
        return self


def profile(name: str) -> dict[str, float]:
    try:
        return dict(PROFILES[name])
    except KeyError:
        raise ValueError(f"unknown fault profile {name!r} (known: {', '.join(PROFILES)})") from None


class Faults:
    def __init__(self, seed: int, settings: FaultSettings | None = None) -> None:
        self._random = random.Random(seed)
        self._lock = Lock()
        self.settings = (settings or FaultSettings()).validated()
        self.fired: Counter[str] = Counter()

    def roll(self, kind: str) -> bool:
        """Whether ``kind`` strikes this request (and count it when it does)."""
        rate = self.settings.rates.get(kind, 0.0)
        if rate <= 0:
            return False
        with self._lock:
            hit = self._random.random() < rate
            if hit:
                self.fired[kind] += 1
        return hit

    def shuffle(self, items: list[Any]) -> None:
        with self._lock:
            self._random.shuffle(items)

    def choice(self, count: int) -> int:
        with self._lock:
            return self._random.randrange(count)

    def update(self, data: dict[str, Any]) -> None:
        """Apply a control request: ``profile`` and/or ``rates`` and durations."""
        current = self.settings
        if "profile" in data:
            current = replace(current, rates=profile(str(data["profile"])))
        if "rates" in data:
            current = replace(current, rates={k: float(v) for k, v in dict(data["rates"]).items()})
        current = replace(
            current,
            latency_seconds=float(data.get("latency_seconds", current.latency_seconds)),
            retry_after_seconds=float(data.get("retry_after_seconds", current.retry_after_seconds)),
            timeout_seconds=float(data.get("timeout_seconds", current.timeout_seconds)),
        )
        self.settings = current.validated()

    def snapshot(self) -> dict[str, Any]:
        with self._lock:
            return {**asdict(self.settings), "fired": dict(self.fired)}
