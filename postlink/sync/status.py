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
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, func, select, true, union

from postlink.legs.status import LegStatus
from postlink.settings import Settings
from postlink.states import OutboxState
from postlink.sync import runs
from postlink.sync.schedule import SCHEDULE
from postlink.tables import EVENT, JOB_RUN, LEG, OUTBOX, QUARANTINE, SYNC_CURSOR
from postlink.timeutil import utcnow
from postlink.words import say, say_on, value_word

if TYPE_CHECKING:
    from postlink.tables import Reader

#: A job whose last this-many runs all failed is "failing" even before it turns stale.
FAILING_RUNS = 3


class State(StrEnum):
    HEALTHY = "healthy"
    DEGRADED = "degraded"
    STALE = "stale"


EXIT_CODES = {State.HEALTHY: 0, State.DEGRADED: 1, State.STALE: 2}
#: Each kind of problem's title and action in the catalogue, written out so that the
#: catalogue test reads every code (issue 14 §1).
TITLES = {
    "job_stale": "status.title.job_stale",
    "job_failing": "status.title.job_failing",
    "last_pull_quarantined": "status.title.last_pull_quarantined",
    "quarantine_open": "status.title.quarantine_open",
    "unknown_status_codes": "status.title.unknown_status_codes",
}
ACTIONS = {
    "job_stale": "status.action.job_stale",
    "job_failing": "status.action.job_failing",
    "last_pull_quarantined": "status.action.last_pull_quarantined",
    "quarantine_open": "status.action.quarantine_open",
    "unknown_status_codes": "status.action.unknown_status_codes",
}


@dataclass(frozen=True)
class Problem:
    """One thing a person must look at: what, how many, the first reason, what to do.

    Its title and action are catalogue entries (``TITLES``, ``ACTIONS`` with ``params``,
    issue 14 §1): the dashboard says the shared action, ``postlink status`` its ``cli.``
    wording, which names the commands to run."""

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
        return say(TITLES[self.kind])

    @property
    def action(self) -> str:
        return say(ACTIONS[self.kind], **_worded(self.params))

    @property
    def action_cli(self) -> str:
        return say_on("cli", ACTIONS[self.kind], **_worded(self.params))


def _worded(params: dict[str, object]) -> dict[str, object]:
    """``params`` with a job named by its label (``pull`` is "Đọc thay đổi từ bưu điện"):
    the sentence is read by a person; the code stays in ``params`` for scripts."""
    job = params.get("job")
    if not isinstance(job, str):
        return params
    return {**params, "job": value_word("job", job) or job}


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


def _job_health(
    reader: Reader, name: str, interval: int, now: datetime, dead: set[int]
) -> JobHealth:
    recent = [
        runs.seen_as(row._mapping, dead, now)
        for row in reader.execute(
            select(JOB_RUN.c.id, JOB_RUN.c.started_at, JOB_RUN.c.outcome, JOB_RUN.c.error)
            .where(JOB_RUN.c.job == name)
            .order_by(JOB_RUN.c.started_at.desc())
            .limit(FAILING_RUNS)
        ).all()
    ]
    last = recent[0] if recent else None
    # The latest successful run, found by walking the (job, started_at) index back from the
    # newest: a max() over finished_at would read every run the job ever had (2,880 a day).
    success = reader.execute(
        select(JOB_RUN.c.finished_at)
        .where(JOB_RUN.c.job == name, JOB_RUN.c.outcome == "ok")
        .order_by(JOB_RUN.c.started_at.desc())
        .limit(1)
    ).scalar()
    failing = 0
    for run in recent:
        if run["outcome"] in ("ok", runs.RUNNING):
            break
        failing += 1
    healthy = success is not None and now - success <= timedelta(seconds=2 * interval)
    return JobHealth(
        job=name,
        interval_seconds=interval,
        last_run_at=last["started_at"] if last else None,
        last_outcome=last["outcome"] if last else None,
        last_error=last["error"] if last else "",
        last_success_at=success,
        healthy=healthy,
        failing_runs=failing,
    )


def job_health(reader: Reader, settings: Settings, now: datetime) -> list[JobHealth]:
    """Each job's last run, last success and run of failures; a dead worker's run counts as
    abandoned (read only: the worker's housekeeping writes the mark)."""
    dead = runs.dead_runs(reader, now)
    return [_job_health(reader, job.name, job.interval(settings), now, dead) for job in SCHEDULE]


def unknown_codes(reader: Reader) -> list[UnknownCode]:
    """Codes seen on stored events, or on a leg's list record, that map to ``unknown``.

    A leg is counted once per code whether the code came in its history, its list record or
    both; the events are read from a partial index holding only unknown-status rows.
    """
    pairs = union(
        select(EVENT.c.raw_code.label("code"), EVENT.c.leg_id.label("leg")).where(
            EVENT.c.status == LegStatus.UNKNOWN
        ),
        select(LEG.c.raw_status.label("code"), LEG.c.id.label("leg")).where(
            LEG.c.status == LegStatus.UNKNOWN
        ),
    ).subquery()
    counts = reader.execute(
        select(pairs.c.code, func.count()).group_by(pairs.c.code).order_by(pairs.c.code)
    ).all()
    labels = dict(
        reader.execute(
            select(EVENT.c.raw_code, func.max(EVENT.c.raw_label))
            .where(EVENT.c.status == LegStatus.UNKNOWN)
            .group_by(EVENT.c.raw_code)
        ).all()
    )
    return [UnknownCode(str(code), str(labels.get(code) or ""), int(n)) for code, n in counts]


def _quarantine_problems(reader: Reader) -> list[Problem]:
    problems: list[Problem] = []
    open_count = reader.execute(
        select(func.count()).where(QUARANTINE.c.resolved_at.is_(None))
    ).scalar_one()
    last_pull = reader.execute(
        select(JOB_RUN.c.started_at, JOB_RUN.c.counts)
        .where(JOB_RUN.c.job == "pull", JOB_RUN.c.finished_at.is_not(None))
        .order_by(JOB_RUN.c.started_at.desc())
        .limit(1)
    ).first()
    if last_pull is not None and int(last_pull.counts.get("quarantined", 0)):
        # Those of the last pull's records still open: replayed or resolved ones are done.
        since_pull = (
            QUARANTINE.c.at >= last_pull.started_at,
            QUARANTINE.c.resolved_at.is_(None),
        )
        still_open = reader.execute(select(func.count()).where(*since_pull)).scalar_one()
        first = reader.execute(
            select(QUARANTINE.c.reason).where(*since_pull).order_by(QUARANTINE.c.id).limit(1)
        ).scalar()
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
        first = reader.execute(
            select(QUARANTINE.c.reason)
            .where(QUARANTINE.c.resolved_at.is_(None))
            .order_by(QUARANTINE.c.id)
            .limit(1)
        ).scalar_one()
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
                    job.last_error or say("status.never_succeeded", **_worded({"job": job.job})),
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


def assess(reader: Reader, settings: Settings, now: datetime) -> dict[str, Any]:
    """The state, the problems, the jobs and the unknown codes (status and dashboard)."""
    jobs = job_health(reader, settings, now)
    codes = unknown_codes(reader)
    problems = [
        *_job_problems(jobs),
        *_quarantine_problems(reader),
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


#: What ``--runs`` shows of each run, in this order.
HISTORY_COLUMNS = ("job", "instance", "started_at", "finished_at", "outcome", "counts", "error")


def history(reader: Reader, limit: int, now: datetime) -> list[dict[str, Any]]:
    """The newest job runs, each with its outcome (``abandoned`` for a killed worker's)."""
    dead = runs.dead_runs(reader, now)
    rows = reader.execute(
        select(JOB_RUN.c.id, *(JOB_RUN.c[name] for name in HISTORY_COLUMNS))
        .order_by(JOB_RUN.c.started_at.desc(), JOB_RUN.c.id.desc())
        .limit(limit)
    ).all()
    shown = (runs.seen_as(row._mapping, dead, now) for row in rows)
    return [{name: run[name] for name in HISTORY_COLUMNS} for run in shown]


def collect(engine: Engine, settings: Settings, runs_shown: int = 0) -> dict[str, Any]:
    """Everything ``postlink status`` shows, as plain data, with the last ``runs_shown``
    job runs. It only reads (a monitoring check runs it every minute, possibly as a
    read-only database user): runs whose worker died show as abandoned, as the worker's
    housekeeping will mark them."""
    now = utcnow()
    with engine.connect() as connection:
        report = assess(connection, settings, now)
        if runs_shown:
            report["history"] = history(connection, runs_shown, now)
        cursor_moved = connection.execute(select(func.max(SYNC_CURSOR.c.updated_at))).scalar()
        backlog: dict[str, int] = dict(
            connection.execute(
                select(OUTBOX.c.state, func.count())
                .where(OUTBOX.c.state.in_([OutboxState.PENDING, OutboxState.FAILED]))
                .group_by(OUTBOX.c.state)
            ).all()
        )
        quarantined = connection.execute(
            select(func.count()).where(QUARANTINE.c.resolved_at.is_(None))
        ).scalar_one()
        overdue = connection.execute(
            # "= true", not "IS TRUE": PostgreSQL can only seek an index with the former.
            select(func.count()).where(LEG.c.overdue == true(), LEG.c.closed_at.is_(None))
        ).scalar_one()
    return report | {
        "feed_lag_seconds": round((now - cursor_moved).total_seconds()) if cursor_moved else None,
        "outbox_pending": backlog.get(OutboxState.PENDING, 0),
        "outbox_failed": backlog.get(OutboxState.FAILED, 0),
        "quarantined_open": quarantined,
        "overdue_open_legs": overdue,
    }
