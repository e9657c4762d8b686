"""The one retry policy of every postal call: when to try again, how long to wait, when to stop.

Postal brief §4 asks for exponential backoff with jitter on idempotent reads, ``Retry-After``
honoured and a bounded total time. Before this module there were two formulas (the HTTP
loop's and the caller's pause before re-checking a reference) stacked under the outbox's
own schedule; now the HTTP loop (``http.HttpClient.call``) and the reconcile loop
(``reconcile.reconcile_then_create``) both ask a ``RetryPolicy``, and both wait through
``Waiter``, which a stopping worker interrupts at once (issue 11 §4: SIGTERM during an
outage must not sit out the retry budget). The outbox's schedule across runs is a different
thing (hours, persisted) and stays in ``sync/outbox.py``.

Why not tenacity or urllib3's ``Retry``: neither knows the two rules that decide most
retries here. A 401/403 is not retried but replayed once with a fresh token shared by all
threads, and a non-idempotent call (order creation) must never be retried after an
ambiguous failure but handed back for a lookup by reference. Wrapped around them, either
library would be a second loop; the policy itself is the dozen lines below.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from postlink import defaults
from postlink.postal.errors import PostalStopped


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Full exponential backoff with jitter in [50 %, 100 %], capped; a total budget."""

    budget: float
    base: float = defaults.POSTAL_BACKOFF_BASE
    cap: float = defaults.POSTAL_BACKOFF_MAX

    def delay(
        self, retry: int, retry_after: float | None = None, jitter: float | None = None
    ) -> float:
        """Seconds before retry number ``retry`` (1-based); the post's ``Retry-After`` wins
        when it gave one (capped, so a hostile header cannot park the worker)."""
        if retry_after is not None:
            return min(self.cap, retry_after)
        share = random.random() if jitter is None else jitter
        return float(min(self.cap, self.base * 2.0 ** (retry - 1))) * (0.5 + share / 2)

    def next_wait(
        self, retry: int, elapsed: float, retry_after: float | None = None
    ) -> float | None:
        """The wait before retry ``retry`` of a call begun ``elapsed`` seconds ago, or None
        when it would end past the budget: the caller then gives up."""
        wait = self.delay(retry, retry_after)
        if elapsed + wait > self.budget:
            return None
        return wait


@dataclass
class Waiter:
    """Sleeps between attempts, unless the worker is stopping: then ``PostalStopped``.

    ``stop`` is the worker's stop flag (``sync.jobs.stop_requested``) when the adapter runs
    inside the worker, a private event otherwise (the web app, the CLI). ``clock`` tells
    the seconds the retry budget is counted in: monotonic time, or in tests a clock that
    moves only by the waits, so that a loaded machine's slow requests cannot change how
    many attempts a budget allows (issue 15 §5).
    """

    stop: threading.Event = field(default_factory=threading.Event)
    clock: Callable[[], float] = time.monotonic

    def check(self) -> None:
        """Raise ``PostalStopped`` if the worker is stopping: no new attempt starts then."""
        if self.stop.is_set():
            raise PostalStopped(
                "đang dừng: không gọi bưu điện nữa (stopping: no further postal call)"
            )

    def wait(self, seconds: float) -> None:
        self.stop.wait(seconds)
        self.check()
