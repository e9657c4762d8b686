"""A record of every job run: what ran where, when, how it ended and what it counted.

``postlink status`` and health checks read these rows; they are written in their own short
transactions so that a failing job still leaves its failure on record. A run whose worker was
killed never writes its end: it is marked ``abandoned``, with the time it was found dead,
when its job's lease is taken by another run or is no longer live (issue 16). The worker
writes those marks (``abandon_taken_over`` on taking a lease, ``abandon_dead`` in
housekeeping); ``postlink status`` only reads, a monitoring check must not write, and shows
a dead run as abandoned through ``seen_as`` before the worker has marked it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, exists, select, update
from sqlmodel import Session

from postlink.models import JobRun, Lease
from postlink.timeutil import utcnow

log = logging.getLogger("postlink.jobs")
RUNS = JobRun.__table__  # type: ignore[attr-defined]
LEASES = Lease.__table__  # type: ignore[attr-defined]
RUNNING, ABANDONED = "running", "abandoned"
ABANDONED_NOTE = (
    "tiến trình đã dừng giữa chừng (lease hết hạn hoặc bị tiếp quản) / "
    "the worker stopped mid-run (lease expired or taken over)"
)


def _dead(now: datetime) -> Any:
    """Runs still ``running`` whose worker no longer holds a live lease on their job: that
    worker was killed (or lost its lease and stopped)."""
    alive = exists(
        select(LEASES.c.name).where(
            and_(
                LEASES.c.name == RUNS.c.job,
                LEASES.c.holder == RUNS.c.instance,
                LEASES.c.expires_at >= now,
            )
        )
    )
    return (RUNS.c.outcome == RUNNING) & ~alive


def abandon_dead(engine: Engine, now: datetime | None = None) -> int:
    """Mark abandoned every run whose worker died (the worker's housekeeping)."""
    now = now or utcnow()
    return _abandon(engine, _dead(now), now)


def dead_runs(session: Session, now: datetime) -> set[int]:
    """The ids of the runs ``abandon_dead`` would mark now, read without writing."""
    return set(session.execute(select(RUNS.c.id).where(_dead(now))).scalars())


def seen_as(run: JobRun, dead: set[int], now: datetime) -> JobRun:
    """``run`` as it reads once the worker has marked it: a dead run abandoned at ``now``.
    A detached copy, so that nothing is written back through the session."""
    if run.id not in dead:
        return run
    marked = {"outcome": ABANDONED, "finished_at": now, "error": ABANDONED_NOTE}
    return JobRun(**(run.model_dump() | marked))


def abandon_taken_over(engine: Engine, job: str) -> int:
    """Called by the new holder of ``job``'s lease before it records its own run: any run
    of the job still ``running`` belongs to a worker whose lease lapsed."""
    return _abandon(engine, (RUNS.c.outcome == RUNNING) & (RUNS.c.job == job), utcnow())


def _abandon(engine: Engine, where: Any, now: datetime) -> int:
    with engine.begin() as connection:
        result = connection.execute(
            update(RUNS)
            .where(where)
            .values(outcome=ABANDONED, finished_at=now, error=ABANDONED_NOTE)
            .returning(RUNS.c.id)
        )
        abandoned = len(result.all())
    if abandoned:
        log.warning("marked %d job run(s) abandoned", abandoned)
    return abandoned


@contextmanager
def recorded(engine: Engine, job: str, instance: str) -> Iterator[Counter[str]]:
    """Record a run of ``job``; the body fills the yielded counter (pages, orders, …)."""
    counts: Counter[str] = Counter()
    with Session(engine) as session:
        run = JobRun(job=job, instance=instance)
        session.add(run)
        session.commit()
        run_id = run.id
    outcome, error = "ok", ""
    try:
        yield counts
    except BaseException as exc:
        outcome, error = "error", f"{type(exc).__name__}: {exc}"
        raise
    finally:
        with Session(engine) as session:
            stored = session.get(JobRun, run_id)
            assert stored is not None
            stored.finished_at = utcnow()
            stored.outcome = outcome
            stored.counts = dict(counts)
            stored.error = error[:2000]
            session.add(stored)
            session.commit()
            seconds = (stored.finished_at - stored.started_at).total_seconds()
        summary = " ".join(f"{key}={value}" for key, value in sorted(counts.items()))
        log.info(
            "job=%s instance=%s outcome=%s seconds=%.3f %s%s",
            job,
            instance,
            outcome,
            seconds,
            summary,
            f" error={error!r}" if error else "",
        )
