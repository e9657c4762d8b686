"""A record of every job run: what ran where, when, how it ended and what it counted.

``postlink status`` and health checks read these rows; they are written in their own short
transactions so that a failing job still leaves its failure on record.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlmodel import Session

from postlink.models import JobRun
from postlink.timeutil import utcnow

log = logging.getLogger("postlink.jobs")


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
