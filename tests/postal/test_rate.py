"""POSTLINK_POSTAL_MAX_RPS: no more requests a second than the post is asked to bear."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from postlink.legs.apply import fetch_histories
from postlink.postal.http import ExchangeRecord
from postlink.postal.rate import RateLimit
from tests.postal.fixtures import SandboxHandle


class StillClock:
    """A clock that moves only when a caller sleeps; sleeps are kept."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []
        self.lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self.lock:
            self.slept.append(seconds)


def test_turns_are_a_fixed_interval_apart() -> None:
    clock = StillClock()
    limit = RateLimit(4, clock, clock.sleep)
    for _ in range(5):
        limit.wait()
    # Nobody advanced the clock: the first goes at once, each next one a quarter second later.
    assert clock.slept == [0.25, 0.5, 0.75, 1.0]
    clock.now = 200.0  # long after: the cap does not bank unused turns into a burst
    limit.wait()
    limit.wait()
    assert clock.slept[-1] == 0.25


def test_threads_share_one_cap() -> None:
    clock = StillClock()
    limit = RateLimit(10, clock, clock.sleep)
    threads = [threading.Thread(target=limit.wait) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(round(s, 6) for s in clock.slept) == [round(0.1 * n, 6) for n in range(1, 8)]


@pytest.mark.parametrize("rate", [0, -1])
def test_a_rate_must_be_positive(rate: float) -> None:
    with pytest.raises(ValueError, match="above 0"):
        RateLimit(rate)


def test_history_fetchers_keep_to_the_cap(
    sandbox_factory: Callable[..., SandboxHandle],
) -> None:
    sandbox = sandbox_factory()
    records: list[ExchangeRecord] = []
    first = sandbox.adapter()
    orders = next(iter(first.changes(None))).orders[:12]
    first.close()
    capped = sandbox.adapter(records.append, POSTLINK_POSTAL_MAX_RPS="20")
    started = time.monotonic()
    histories, _ = fetch_histories(capped, orders)  # four threads, as the sync runs them
    elapsed = time.monotonic() - started
    capped.close()
    assert len(histories) == 12
    calls = len(records)  # the login and the twelve histories, each an exchange
    assert calls == 13
    # 13 turns at 20 a second: the last is 12 × 50 ms after the first, however fast the post.
    assert elapsed >= 12 / 20
