"""Leases: at most one worker runs a given job body at a time, across machines.

A lease is a row (name, holder, expiry). A worker takes it if it is free or expired, keeps
it alive with a heartbeat while the job runs, and gives it back at the end. A worker that
crashes simply stops renewing: the lease lapses after its time to live and another worker
takes over (the rq scheduler's lock model). The expiry uses the workers' clocks, so servers
sharing a database must keep their clocks in sync (NTP), as any province server does.

Every function takes the clock as an argument (``utcnow`` unless told), so that tests move
time forward instead of sleeping through lease lifetimes (issue 15).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, update

from postlink.models import Lease
from postlink.timeutil import utcnow
from postlink.upsert import insert_for
from postlink.words import log_line

log = logging.getLogger(__name__)
TABLE = Lease.__table__  # type: ignore[attr-defined]
Clock = Callable[[], datetime]


def try_acquire(
    engine: Engine, name: str, holder: str, ttl: timedelta, clock: Clock = utcnow
) -> bool:
    """Take lease ``name`` for ``holder`` if it is free, expired or already ours."""
    now = clock()
    with engine.begin() as connection:
        statement = insert_for(connection, TABLE).values(
            name=name, holder=holder, acquired_at=now, expires_at=now + ttl
        )
        statement = statement.on_conflict_do_update(
            index_elements=[TABLE.c.name],
            set_={"holder": holder, "acquired_at": now, "expires_at": now + ttl},
            where=(TABLE.c.expires_at < now) | (TABLE.c.holder == holder),
        ).returning(TABLE.c.holder)
        # RETURNING rather than rowcount: psycopg reports no rowcount for this statement.
        return connection.execute(statement).first() is not None


def renew(engine: Engine, name: str, holder: str, ttl: timedelta, clock: Clock = utcnow) -> bool:
    """Extend our lease; False when it was lost (expired and taken by another worker)."""
    with engine.begin() as connection:
        result = connection.execute(
            update(TABLE)
            .where(TABLE.c.name == name, TABLE.c.holder == holder)
            .values(expires_at=clock() + ttl)
        )
        return bool(result.rowcount == 1)


def release(engine: Engine, name: str, holder: str) -> None:
    with engine.begin() as connection:
        connection.execute(delete(TABLE).where(TABLE.c.name == name, TABLE.c.holder == holder))


class HeldLease:
    """A lease kept alive by a background heartbeat; ``lost`` turns True if it lapses.

    The heartbeat renews every ``heartbeat`` seconds of real time (a third of the lease's
    lifetime unless told), reading expiries from ``clock``."""

    def __init__(
        self,
        engine: Engine,
        name: str,
        holder: str,
        ttl: timedelta,
        clock: Clock = utcnow,
        heartbeat: float | None = None,
    ) -> None:
        self.engine, self.name, self.holder, self.ttl = engine, name, holder, ttl
        self.clock = clock
        self.interval = ttl.total_seconds() / 3 if heartbeat is None else heartbeat
        self._stop = threading.Event()
        self._lost = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"lease:{name}", daemon=True)

    @property
    def lost(self) -> bool:
        return self._lost.is_set()

    def beat(self) -> bool:
        """Renew once; when the lease was lost, say so (``lost``) and return False."""
        if renew(self.engine, self.name, self.holder, self.ttl, self.clock):
            return True
        self._lost.set()
        log.warning(log_line("log.lease.lost", lease=self.name, holder=self.holder))
        return False

    def _beat(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                if not self.beat():
                    return
            except Exception:  # a database blip: keep trying until the lease would lapse
                log.exception(log_line("log.lease.heartbeat_failed", lease=self.name))

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


@contextmanager
def hold(
    engine: Engine,
    name: str,
    holder: str,
    ttl: timedelta,
    clock: Clock = utcnow,
    heartbeat: float | None = None,
) -> Iterator[HeldLease | None]:
    """Yield a held lease, or None when another worker holds it (then skip the job)."""
    if not try_acquire(engine, name, holder, ttl, clock):
        yield None
        return
    lease = HeldLease(engine, name, holder, ttl, clock, heartbeat)
    lease.start()
    try:
        yield lease
    finally:
        lease.stop()
        if not lease.lost:
            release(engine, name, holder)
