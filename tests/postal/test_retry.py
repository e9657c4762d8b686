"""The one retry policy (postal brief §4), on figures worked out by hand."""

from __future__ import annotations

from postlink.postal.retry import RetryPolicy

POLICY = RetryPolicy(budget=10.0, base=0.5, cap=4.0)


def test_backoff_doubles_with_jitter_between_half_and_all_of_it_up_to_the_cap() -> None:
    # 0.5, 1, 2, 4, then capped at 4; jitter 0 gives half, jitter 1 the whole.
    assert [POLICY.delay(n, jitter=1.0) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    assert [POLICY.delay(n, jitter=0.0) for n in range(1, 5)] == [0.25, 0.5, 1.0, 2.0]
    assert 0.25 <= POLICY.delay(1) <= 0.5


def test_retry_after_wins_but_is_capped() -> None:
    assert POLICY.delay(1, retry_after=3.0, jitter=0.0) == 3.0
    assert POLICY.delay(1, retry_after=3600.0) == 4.0, "a hostile header cannot park the worker"


def test_no_wait_that_would_end_past_the_budget() -> None:
    assert POLICY.next_wait(1, elapsed=0.0, retry_after=2.0) == 2.0
    assert POLICY.next_wait(1, elapsed=8.0, retry_after=2.0) == 2.0, "ends on the budget"
    assert POLICY.next_wait(1, elapsed=8.5, retry_after=2.0) is None
