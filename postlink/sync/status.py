"""``postlink status``: is the daemon healthy, and if not, what is wrong and what to do.

Three states, each with its exit code so that the command serves monitoring as it is
(the Nagios convention: 0 OK, 1 warning, 2 critical):

* ``healthy`` (0): every job succeeded within twice its interval and nothing needs a person;
* ``degraded`` (1): the data is moving but something needs a person: the last pull
  quarantined records, quarantined records are open, carrier status codes the status table
  does not know were seen, or a job's last runs failed;
* ``stale`` (2): a job has not succeeded within twice its interval (stuck or failing).

Each problem carries its count, the first reason and what to do, in Vietnamese first (issue
16: a daemon that fails silently is worse than one that stops). Also shown: the lag behind
the post (time since the feed cursor last moved), the outbox backlog and overdue legs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Engine, func, true, union
from sqlmodel import Session, col, select

from postlink.legs.status import LegStatus
from postlink.models import (
    Event,
    JobRun,
    Leg,
    OutboxCommand,
    OutboxState,
    Quarantined,
    SyncCursor,
)
from postlink.settings import Settings
from postlink.sync import runs
from postlink.sync.schedule import SCHEDULE
from postlink.timeutil import utcnow
from postlink.words import say, say_on

#: A job whose last this-many runs all failed is "failing" even before it turns stale.
FAILING_RUNS = 3


class State(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    STALE = "stale"


EXIT_CODES = {State.HEALTHY: 0, State.DEGRADED: 1, State.STALE: 2}


@dataclass(frozen=True)
class Problem:
    """One thing a person must look at: what, how many, the first reason, what to do.

    Its title and action are catalogue entries (``status.title.<kind>``,
    ``status.action.<kind>`` with ``params``, issue 14 §1): the dashboard says the shared
    action, ``postlink status`` its ``cli.`` wording, which names the commands to run."""

    code: str
    state: State
    count: int
    first_reason: str
    params: dict[str, object] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return self.code.partition(":")[0]

    @property
    def title(self) -> str:
        """What the dashboard calls it; the code stays for scripts."""
        return say(f"status.title.{self.kind}")

    @property
    def action(self) -> str:
        return say(f"status.action.{self.kind}", **self.params)

    @property
    def action_cli(self) -> str:
        return say_on("cli", f"status.action.{self.kind}", **self.params)


@dataclass(frozen=True)
class JobHealth:
    job: str
    interval_seconds: int
    last_run_at: datetime | None
    last_outcome: str | None
    last_error: str
    last_success_at: datetime | None
    healthy: bool
    failing_runs: int


@dataclass(frozen=True)
class UnknownCode:
    """A carrier status code the status table does not map, and how many legs carry it."""

    code: str
    label: str
    legs: int

    @property
    def summary(self) -> str:
        if self.label:
            return say(
                "status.unknown_code_labelled", code=self.code, legs=self.legs, label=self.label
            )
        return say("status.unknown_code", code=self.code, legs=self.legs)


def _job_health(session: Session, name: str, interval: int, now: datetime) -> JobHealth:
    recent = session.exec(
        select(JobRun)
        .where(JobRun.job == name)
        .order_by(col(JobRun.started_at).desc())
        .limit(FAILING_RUNS)
    ).all()
    last = recent[0] if recent else None
    # The latest successful run, found by walking the (job, started_at) index back from the
    # newest: a max() over finished_at would read every run the job ever had (2,880 a day).
    success = session.exec(
        select(JobRun.finished_at)
        .where(JobRun.job == name, JobRun.outcome == "ok")
        .order_by(col(JobRun.started_at).desc())
        .limit(1)
    ).first()
    failing = 0
    for run in recent:
        if run.outcome in ("ok", runs.RUNNING):
            break
        failing += 1
    healthy = success is not None and now - success <= timedelta(seconds=2 * interval)
    return JobHealth(
        job=name,
        interval_seconds=interval,
        last_run_at=last.started_at if last else None,
        last_outcome=last.outcome if last else None,
        last_error=last.error if last else "",
        last_success_at=success,
        healthy=healthy,
        failing_runs=failing,
    )


def job_health(session: Session, settings: Settings, now: datetime) -> list[JobHealth]:
    """Each job's last run, last success and run of failures."""
    return [_job_health(session, job.name, job.interval(settings), now) for job in SCHEDULE]


def unknown_codes(session: Session) -> list[UnknownCode]:
    """Codes seen on stored events, or on a leg's list record, that map to ``unknown``.

    A leg is counted once per code whether the code came in its history, its list record or
    both; the events are read from a partial index holding only unknown-status rows.
    """
    pairs = union(
        select(col(Event.raw_code).label("code"), col(Event.leg_id).label("leg")).where(
            Event.status == LegStatus.UNKNOWN
        ),
        select(col(Leg.raw_status).label("code"), col(Leg.id).label("leg")).where(
            Leg.status == LegStatus.UNKNOWN
        ),
    ).subquery()
    counts = session.execute(
        select(pairs.c.code, func.count()).group_by(pairs.c.code).order_by(pairs.c.code)
    ).all()
    labels = dict(
        session.execute(
            select(Event.raw_code, func.max(Event.raw_label))
            .where(Event.status == LegStatus.UNKNOWN)
            .group_by(col(Event.raw_code))
        ).all()
    )
    return [UnknownCode(str(code), str(labels.get(code) or ""), int(n)) for code, n in counts]


def _quarantine_problems(session: Session) -> list[Problem]:
    problems: list[Problem] = []
    open_count = session.exec(
        select(func.count()).where(col(Quarantined.resolved_at).is_(None))
    ).one()
    last_pull = session.exec(
        select(JobRun)
        .where(JobRun.job == "pull", col(JobRun.finished_at).is_not(None))
        .order_by(col(JobRun.started_at).desc())
        .limit(1)
    ).first()
    if last_pull is not None and int(last_pull.counts.get("quarantined", 0)):
        # Those of the last pull's records still open: replayed or resolved ones are done.
        since_pull = (
            col(Quarantined.at) >= last_pull.started_at,
            col(Quarantined.resolved_at).is_(None),
        )
        still_open = session.exec(select(func.count()).where(*since_pull)).one()
        first = session.exec(
            select(Quarantined.reason).where(*since_pull).order_by(col(Quarantined.id)).limit(1)
        ).first()
        if still_open:
            problems.append(
                Problem(
                    "last_pull_quarantined",
                    State.DEGRADED,
                    int(still_open),
                    first or "",
                )
            )
    if open_count:
        first = session.exec(
            select(Quarantined.reason)
            .where(col(Quarantined.resolved_at).is_(None))
            .order_by(col(Quarantined.id))
            .limit(1)
        ).one()
        problems.append(
            Problem(
                "quarantine_open",
                State.DEGRADED,
                int(open_count),
                first,
            )
        )
    return problems


def _job_problems(jobs: list[JobHealth]) -> list[Problem]:
    problems: list[Problem] = []
    for job in jobs:
        if not job.healthy:
            problems.append(
                Problem(
                    f"job_stale:{job.job}",
                    State.STALE,
                    1,
                    job.last_error or say("status.never_succeeded", job=job.job),
                )
            )
        elif job.failing_runs >= FAILING_RUNS:
            problems.append(
                Problem(
                    f"job_failing:{job.job}",
                    State.DEGRADED,
                    job.failing_runs,
                    job.last_error,
                    {"job": job.job, "runs": job.failing_runs},
                )
            )
    return problems


def _unknown_problem(codes: list[UnknownCode]) -> list[Problem]:
    if not codes:
        return []
    return [
        Problem(
            "unknown_status_codes",
            State.DEGRADED,
            sum(c.legs for c in codes),
            codes[0].summary,
        )
    ]


def overall(problems: list[Problem]) -> State:
    states = {p.state for p in problems}
    for state in (State.STALE, State.DEGRADED):
        if state in states:
            return state
    return State.HEALTHY


def assess(session: Session, settings: Settings, now: datetime) -> dict[str, Any]:
    """The state, the problems, the jobs and the unknown codes (status and dashboard)."""
    jobs = job_health(session, settings, now)
    codes = unknown_codes(session)
    problems = [
        *_job_problems(jobs),
        *_quarantine_problems(session),
        *_unknown_problem(codes),
    ]
    state = overall(problems)
    return {
        "state": state.value,
        "healthy": state is State.HEALTHY,
        "exit_code": EXIT_CODES[state],
        "problems": [
            asdict(p) | {"title": p.title, "action": p.action, "action_cli": p.action_cli}
            for p in problems
        ],
        "jobs": [asdict(j) for j in jobs],
        "unknown_status_codes": [asdict(c) | {"summary": c.summary} for c in codes],
    }


def history(session: Session, limit: int) -> list[dict[str, Any]]:
    """The newest job runs, each with its outcome (``abandoned`` for a killed worker's)."""
    rows = session.exec(
        select(JobRun).order_by(col(JobRun.started_at).desc(), col(JobRun.id).desc()).limit(limit)
    ).all()
    return [row.model_dump(exclude={"id"}) for row in rows]


def collect(engine: Engine, settings: Settings, runs_shown: int = 0) -> dict[str, Any]:
    """Everything ``postlink status`` shows, as plain data, with the last ``runs_shown``
    job runs. Runs whose worker died are marked abandoned first, so that job history tells
    the truth."""
    now = utcnow()
    runs.abandon_dead(engine, now)
    with Session(engine) as session:
        report = assess(session, settings, now)
        if runs_shown:
            report["history"] = history(session, runs_shown)
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
    return report | {
        "feed_lag_seconds": round((now - cursor_moved).total_seconds()) if cursor_moved else None,
        "outbox_pending": backlog.get(OutboxState.PENDING, 0),
        "outbox_failed": backlog.get(OutboxState.FAILED, 0),
        "quarantined_open": quarantined,
        "overdue_open_legs": overdue,
    }
