"""Login throttling kept in the database, shared by every server process (issue 7)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from postlink.models import LoginAttempt
from postlink.web.throttle import MAX_FAILURES, WINDOW, LoginThrottle

START = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


def stored(engine: Engine) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(LoginAttempt)).one()


def test_sixth_attempt_waits_out_the_window_then_gets_through(engine: Engine) -> None:
    clock = Clock()
    throttle = LoginThrottle(engine, clock)
    for second in range(MAX_FAILURES):
        clock.now = START + timedelta(seconds=second)
        assert throttle.attempt("user:an", "ip:10.0.0.1").wait == 0
    clock.now = START + timedelta(seconds=10)
    refused = throttle.attempt("user:an", "ip:10.0.0.1")
    assert refused.wait == 50  # the first failure leaves the window at START + 60 s
    assert stored(engine) == 2 * MAX_FAILURES, "a refused attempt is not kept"
    clock.now = START + WINDOW
    assert throttle.attempt("user:an", "ip:10.0.0.1").wait == 0, "the first has left"
    clock.now = START + WINDOW + timedelta(seconds=0.5)
    assert throttle.attempt("user:an", "ip:10.0.0.1").wait == 1, "the second leaves at 61 s"


def test_every_process_sees_the_same_count(engine: Engine) -> None:
    """Two throttles on one database are two ``postlink serve`` workers."""
    clock = Clock()
    first, second = LoginThrottle(engine, clock), LoginThrottle(engine, clock)
    for number in range(MAX_FAILURES):
        assert (first if number % 2 else second).attempt("user:an").wait == 0
    assert first.attempt("user:an").wait > 0
    assert second.attempt("user:an").wait > 0
    assert first.attempt("user:binh").wait == 0


def test_concurrent_guesses_check_no_more_than_five_passwords(engine: Engine) -> None:
    throttle = LoginThrottle(engine)
    with ThreadPoolExecutor(max_workers=8) as pool:
        attempts = list(pool.map(lambda _: throttle.attempt("user:an"), range(16)))
    assert sum(1 for attempt in attempts if attempt.wait == 0) == MAX_FAILURES


def test_success_clears_the_user_but_not_the_address(engine: Engine) -> None:
    """Staff behind one office address do not throttle each other by logging in."""
    clock = Clock()
    throttle = LoginThrottle(engine, clock)
    for _ in range(MAX_FAILURES - 1):
        throttle.attempt("user:an", "ip:office")
    good = throttle.attempt("user:an", "ip:office")
    throttle.succeeded(good, "user:an")
    for name in ("binh", "chi", "dung", "giang", "hoa", "khanh"):
        attempt = throttle.attempt(f"user:{name}", "ip:office")
        assert attempt.wait == 0, f"{name} was throttled by the others' logins"
        throttle.succeeded(attempt, f"user:{name}")
    assert throttle.attempt("user:an", "ip:office").wait == 0
    assert throttle.attempt("user:an", "ip:office").wait > 0, "the four failures still count"


def test_attempts_older_than_the_window_are_deleted(engine: Engine) -> None:
    clock = Clock()
    throttle = LoginThrottle(engine, clock)
    for number in range(3):
        throttle.attempt(f"user:{number}", "ip:somewhere")
    assert stored(engine) == 6
    clock.now = START + WINDOW + timedelta(seconds=1)
    throttle.attempt("user:late")
    assert stored(engine) == 1
