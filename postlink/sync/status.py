"""``postlink status``: is the daemon healthy, and what needs attention.

Per job: the last run, the last success and whether that success is recent (within twice
the job's interval; older means the job is stuck or failing, and the command exits
non-zero so that it can serve as a health check). Also the lag behind the post (time since
the feed cursor last moved), the outbox backlog, open quarantined records and overdue legs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, func, true
from sqlmodel import Session, col, select

from postlink.models import JobRun, Leg, OutboxCommand, OutboxState, Quarantined, SyncCursor
from postlink.settings import Settings
from postlink.sync.jobs import JOBS
from postlink.timeutil import utcnow


@dataclass(frozen=True)
class JobHealth:
    job: str
    interval_seconds: int
    last_run_at: datetime | None
    last_outcome: str | None
    last_error: str
    last_success_at: datetime | None
    healthy: bool


def _job_health(session: Session, name: str, interval: int, now: datetime) -> JobHealth:
    last = session.exec(
        select(JobRun).where(JobRun.job == name).order_by(col(JobRun.started_at).desc()).limit(1)
    ).first()
    # The latest successful run, found by walking the (job, started_at) index back from the
    # newest: a max() over finished_at would read every run the job ever had (2,880 a day).
    success = session.exec(
        select(JobRun.finished_at)
        .where(JobRun.job == name, JobRun.outcome == "ok")
        .order_by(col(JobRun.started_at).desc())
        .limit(1)
    ).first()
    healthy = success is not None and now - success <= timedelta(seconds=2 * interval)
    return JobHealth(
        job=name,
        interval_seconds=interval,
        last_run_at=last.started_at if last else None,
        last_outcome=last.outcome if last else None,
        last_error=last.error if last else "",
        last_success_at=success,
        healthy=healthy,
    )


def job_health(session: Session, settings: Settings, now: datetime) -> list[JobHealth]:
    """Each job's last run and last success (the web dashboard shows only these)."""
    return [_job_health(session, job.name, job.interval(settings), now) for job in JOBS]


def collect(engine: Engine, settings: Settings) -> dict[str, Any]:
    """Everything ``postlink status`` shows, as plain data."""
    now = utcnow()
    with Session(engine) as session:
        jobs = job_health(session, settings, now)
        cursor_moved = session.exec(select(func.max(SyncCursor.updated_at))).one()
        backlog = dict(
            session.exec(
                select(OutboxCommand.state, func.count())
                .where(col(OutboxCommand.state).in_([OutboxState.PENDING, OutboxState.FAILED]))
                .group_by(OutboxCommand.state)
            ).all()
        )
        quarantined = session.exec(
            select(func.count()).where(col(Quarantined.resolved_at).is_(None))
        ).one()
        overdue = session.exec(
            # "= true", not "IS TRUE": PostgreSQL can only seek an index with the former.
            select(func.count()).where(col(Leg.overdue) == true(), col(Leg.closed_at).is_(None))
        ).one()
    return {
        "healthy": all(j.healthy for j in jobs),
        "jobs": [j.__dict__ for j in jobs],
        "feed_lag_seconds": round((now - cursor_moved).total_seconds()) if cursor_moved else None,
        "outbox_pending": backlog.get(OutboxState.PENDING, 0),
        "outbox_failed": backlog.get(OutboxState.FAILED, 0),
        "quarantined_open": quarantined,
        "overdue_open_legs": overdue,
    }
