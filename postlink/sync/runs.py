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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, and_, exists, insert, select, update

from postlink.errors import PostlinkError
from postlink.tables import JOB_RUN as RUNS
from postlink.tables import LEASE as LEASES
from postlink.timeutil import utcnow
from postlink.words import log_line

if TYPE_CHECKING:
    from postlink.tables import Reader

log = logging.getLogger("postlink.jobs")
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


def dead_runs(reader: Reader, now: datetime) -> set[int]:
    """The ids of the runs ``abandon_dead`` would mark now, read without writing."""
    return set(reader.execute(select(RUNS.c.id).where(_dead(now))).scalars())


def seen_as(run: Mapping[Any, Any], dead: set[int], now: datetime) -> dict[str, Any]:
    """A run's columns as they read once the worker has marked it: a dead run abandoned at
    ``now``. A copy, so that nothing is written back."""
    shown = dict(run)
    if shown["id"] in dead:
        shown |= {"outcome": ABANDONED, "finished_at": now, "error": ABANDONED_NOTE}
    return shown


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
        log.warning(log_line("log.runs.abandoned", runs=abandoned))
    return abandoned


@contextmanager
def recorded(engine: Engine, job: str, instance: str) -> Iterator[Counter[str]]:
    """Record a run of ``job``; the body fills the yielded counter (pages, orders, …)."""
    counts: Counter[str] = Counter()
    started = utcnow()
    with engine.begin() as connection:
        run_id = connection.execute(
            insert(RUNS)
            .values(
                job=job,
                instance=instance,
                started_at=started,
                outcome=RUNNING,
                counts={},
                error="",
            )
            .returning(RUNS.c.id)
        ).scalar_one()
    outcome, error = "ok", ""
    try:
        yield counts
    except BaseException as exc:
        outcome, error = "error", _error_text(exc)
        raise
    finally:
        finished = utcnow()
        with engine.begin() as connection:
            connection.execute(
                update(RUNS)
                .where(RUNS.c.id == run_id)
                .values(
                    finished_at=finished,
                    outcome=outcome,
                    counts=dict(counts),
                    error=error[:2000],
                )
            )
        seconds = (finished - started).total_seconds()
        fields: dict[str, object] = {
            "job": job,
            "instance": instance,
            "outcome": outcome,
            "seconds": f"{seconds:.3f}",
            **dict(sorted(counts.items())),
        }
        if error:
            fields["error"] = error
        log.info(log_line("log.runs.finished", **fields))


def _error_text(exc: BaseException) -> str:
    """What the dashboard and ``postlink status`` show of a failed run: a ``PostlinkError``'s
    worded sentence (the post refused, a setting is wrong: staff can act on it), and for
    anything else, an unforeseen fault for the IT staff, its type before its text."""
    if isinstance(exc, PostlinkError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"
