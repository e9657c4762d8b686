"""Leases: one holder at a time, expiry lets another take over, heartbeat keeps it."""

from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from postlink.models import Lease
from postlink.sync import leases

TTL = timedelta(seconds=30)


def test_second_worker_is_refused_while_the_first_holds(engine: Engine) -> None:
    assert leases.try_acquire(engine, "pull", "worker-a", TTL)
    assert not leases.try_acquire(engine, "pull", "worker-b", TTL)
    assert leases.try_acquire(engine, "pull", "worker-a", TTL)  # re-entrant for the holder
    assert leases.try_acquire(engine, "push", "worker-b", TTL)  # other jobs are independent


def test_expired_lease_is_taken_over(engine: Engine) -> None:
    assert leases.try_acquire(engine, "pull", "crashed", timedelta(milliseconds=1))
    time.sleep(0.01)
    assert leases.try_acquire(engine, "pull", "survivor", TTL)
    assert not leases.renew(engine, "pull", "crashed", TTL)
    with Session(engine) as session:
        assert session.exec(select(Lease)).one().holder == "survivor"


def test_release_frees_only_our_own_lease(engine: Engine) -> None:
    assert leases.try_acquire(engine, "pull", "worker-a", TTL)
    leases.release(engine, "pull", "worker-b")
    assert not leases.try_acquire(engine, "pull", "worker-b", TTL)
    leases.release(engine, "pull", "worker-a")
    assert leases.try_acquire(engine, "pull", "worker-b", TTL)


def test_heartbeat_keeps_a_short_lease_alive(engine: Engine) -> None:
    ttl = timedelta(milliseconds=300)
    with leases.hold(engine, "pull", "worker-a", ttl) as held:
        assert held is not None
        time.sleep(0.9)  # three lease lifetimes
        assert not held.lost
        assert not leases.try_acquire(engine, "pull", "worker-b", ttl)
    assert leases.try_acquire(engine, "pull", "worker-b", ttl)


def test_hold_yields_none_when_taken(engine: Engine) -> None:
    assert leases.try_acquire(engine, "pull", "worker-a", TTL)
    with leases.hold(engine, "pull", "worker-b", TTL) as held:
        assert held is None


def test_lost_lease_is_reported(engine: Engine) -> None:
    ttl = timedelta(milliseconds=300)
    with leases.hold(engine, "pull", "worker-a", ttl) as held:
        assert held is not None
        leases.release(engine, "pull", "worker-a")  # as if it lapsed and was taken
        assert leases.try_acquire(engine, "pull", "worker-b", timedelta(seconds=30))
        time.sleep(0.3)
        assert held.lost
