"""Leases: one holder at a time, expiry lets another take over, heartbeat keeps it.

Time is a clock the tests move (``leases`` takes it as an argument): a lease lapses because
the clock says so, never because a loaded machine slept longer than a 300 ms lifetime.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.models import Lease
from postlink.sync import leases

TTL = timedelta(seconds=30)
START = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)


class Clock:
    """Stands still until a test moves it; ``read_by_heartbeat`` is set when the lease's
    heartbeat thread has read it."""

    def __init__(self) -> None:
        self.now = START
        self.read_by_heartbeat = threading.Event()

    def __call__(self) -> datetime:
        if threading.current_thread().name.startswith("lease:"):
            self.read_by_heartbeat.set()
        return self.now


def expiry(engine: Engine) -> datetime:
    with Session(engine) as session:
        return session.exec(select(Lease)).one().expires_at


def test_second_worker_is_refused_while_the_first_holds(engine: Engine) -> None:
    assert leases.try_acquire(engine, "pull", "worker-a", TTL)
    assert not leases.try_acquire(engine, "pull", "worker-b", TTL)
    assert leases.try_acquire(engine, "pull", "worker-a", TTL)  # re-entrant for the holder
    assert leases.try_acquire(engine, "push", "worker-b", TTL)  # other jobs are independent


def test_expired_lease_is_taken_over(engine: Engine) -> None:
    clock = Clock()
    assert leases.try_acquire(engine, "pull", "crashed", TTL, clock)
    clock.now = START + TTL  # the very moment it expires: still held
    assert not leases.try_acquire(engine, "pull", "survivor", TTL, clock)
    clock.now = START + TTL + timedelta(seconds=1)
    assert leases.try_acquire(engine, "pull", "survivor", TTL, clock)
    assert not leases.renew(engine, "pull", "crashed", TTL, clock)
    with Session(engine) as session:
        assert session.exec(select(Lease)).one().holder == "survivor"


def test_release_frees_only_our_own_lease(engine: Engine) -> None:
    assert leases.try_acquire(engine, "pull", "worker-a", TTL)
    leases.release(engine, "pull", "worker-b")
    assert not leases.try_acquire(engine, "pull", "worker-b", TTL)
    leases.release(engine, "pull", "worker-a")
    assert leases.try_acquire(engine, "pull", "worker-b", TTL)


def test_heartbeat_keeps_a_lease_alive_past_its_first_expiry(engine: Engine) -> None:
    clock = Clock()
    with leases.hold(engine, "pull", "worker-a", TTL, clock) as held:
        assert held is not None
        for minute in range(1, 4):  # three lease lifetimes, renewed every 20 s
            clock.now = START + timedelta(seconds=20 * minute)
            assert held.beat()
        assert expiry(engine) == START + timedelta(seconds=60) + TTL
        clock.now = START + timedelta(seconds=89)
        assert not leases.try_acquire(engine, "pull", "worker-b", TTL, clock)
        assert not held.lost
    assert leases.try_acquire(engine, "pull", "worker-b", TTL, clock)  # released at the end


def test_heartbeat_thread_renews_on_its_own(engine: Engine) -> None:
    clock = Clock()
    with leases.hold(engine, "pull", "worker-a", TTL, clock, heartbeat=0.01) as held:
        assert held is not None
        clock.now = START + timedelta(seconds=25)
        clock.read_by_heartbeat.clear()
        assert clock.read_by_heartbeat.wait(timeout=30), "the heartbeat thread never ran"
        held.stop()  # joins the thread: its renewal is written
        assert expiry(engine) == START + timedelta(seconds=25) + TTL
        assert not held.lost


def test_hold_yields_none_when_taken(engine: Engine) -> None:
    assert leases.try_acquire(engine, "pull", "worker-a", TTL)
    with leases.hold(engine, "pull", "worker-b", TTL) as held:
        assert held is None


def test_lost_lease_is_reported(engine: Engine) -> None:
    clock = Clock()
    with leases.hold(engine, "pull", "worker-a", TTL, clock) as held:
        assert held is not None
        clock.now = START + TTL + timedelta(seconds=1)  # the heartbeat was held up too long
        assert leases.try_acquire(engine, "pull", "worker-b", TTL, clock)
        assert not held.beat()
        assert held.lost
    with Session(engine) as session:
        assert session.exec(select(Lease)).one().holder == "worker-b", "not released by a"
